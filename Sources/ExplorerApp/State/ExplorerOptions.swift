import TerminalUI

/// Presentation options from the command line and environment.
public struct ExplorerOptions: Equatable, Sendable {
    public var ascii: Bool
    public var mouse: Bool
    /// Engine threads for `r` / `R` (0: all cores).
    public var threads: Int

    public init(ascii: Bool = false, mouse: Bool = true, threads: Int = 0) {
        self.ascii = ascii
        self.mouse = mouse
        self.threads = threads
    }

    /// The smallest screen the explorer draws on; below it shows a "too small" notice.
    public static let minimumSize = Size(width: 80, height: 24)
}
