/// A node that cannot be planned or run: one line saying where and what.
public struct PlanError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
