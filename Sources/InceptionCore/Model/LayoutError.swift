/// Every error the core reports about a layout: one line, where + what.
///
/// `location` is a `line:column` for JSON syntax errors, a JSON path (`layers[7].branches[2].kernel`)
/// for type and value errors, or a node path (`inception_4e/5x5`) for shape and count errors.
/// The CLI prints `FILE:LOCATION: MESSAGE` (syntax) or `FILE: LOCATION: MESSAGE` (others).
public struct LayoutError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Not valid JSON (or not UTF-8): location is "line:column".
        case syntax
        /// Valid JSON that is not a valid layout document: location is a JSON path.
        case schema
        /// A layout whose shapes do not work out (or whose counts overflow): location is a node path.
        case shape
    }

    public var kind: Kind
    public var location: String
    public var message: String

    public init(_ kind: Kind, at location: String, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }

    /// The one line to print for a layout loaded from `file`.
    public func line(file: String) -> String {
        switch kind {
        case .syntax: "\(file):\(location): \(message)"
        default: location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
        }
    }
}
