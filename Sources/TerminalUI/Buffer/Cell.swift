/// One terminal cell: a character and its style.
///
/// A wide (East-Asian) character occupies two cells: the first holds it, the second is a
/// *continuation* (`isContinuation`, symbol " ") that backends skip and plain-text rendering drops.
public struct Cell: Hashable, Sendable {
    public var symbol: Character
    public var style: Style
    public var isContinuation: Bool

    public init(_ symbol: Character = " ", style: Style = .normal, isContinuation: Bool = false) {
        self.symbol = symbol
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
