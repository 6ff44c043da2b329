/// Why a structural edit was refused: one line, where (a node path) and what.
///
/// Design moves never trap on a bad target; they throw this and leave the layout unchanged, so the
/// explorer can show the line in its status bar and the CLI can print it.
public struct DesignError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The node path the edit was aimed at ("" when the address names nothing).
    public var location: String
    public var message: String

    public init(at location: String, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
