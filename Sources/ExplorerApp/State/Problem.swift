import InceptionCore

/// One entry of the problems view and of `]` / `[`: an analysis error or a design lint.
public struct Problem: Equatable, Sendable {
    public enum Severity: Equatable, Sendable { case error, lint }
    public var severity: Severity
    /// The node it is about (nil when the path names no node, e.g. the network's input).
    public var address: NodeAddress?
    public var path: String
    /// The whole text: the error's reason, or the lint's id, measurement and suggestion.
    public var text: String
}
