import TerminalUI

/// Where each part of the screen goes at one terminal size. It is the only geometry the screen and
/// the key handler share: PgUp/PgDn, mouse clicks and scroll clamps read it, never a record left
/// behind by the last frame, so a key means the same thing whatever was drawn before it.
public struct Viewport: Equatable, Sendable {
    public let size: Size
    /// The title bar row.
    public let title: Rect
    /// Everything between the title bar and the status line (where overlays are centered).
    public let body: Rect
    /// The status line.
    public let status: Rect
    /// The tree pane's box and the panels' column.
    public let treeBox: Rect
    public let panels: Rect
    /// The tree's data rows (inside the box, below the header): clicks land here.
    public let treeRows: Rect
    /// Text width inside a panel box (rows drop notes that do not fit).
    public let panelTextWidth: Int
    /// Wide screens show exact params and long op labels in the tree.
    public let wide: Bool
    /// A MACs column beside params, when the tree pane leaves room for names beside it (about
    /// 145 columns and more).
    public let showsMACs: Bool

    public init(size: Size) {
        self.size = size
        let all = Rect(size: size)
        let (top, rest) = all.splitTop(1)
        let (body, bottom) = rest.splitBottom(1)
        title = top
        self.body = body
        status = bottom
        let (treeBox, panels) = body.splitLeft(max(50, size.width * 55 / 100))
        self.treeBox = treeBox
        self.panels = panels
        let inner = treeBox.inset(by: 1)
        treeRows = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(0, inner.height - 1))
        panelTextWidth = max(0, panels.width - 2)
        wide = size.width >= 110
        showsMACs = wide && treeRows.width >= 78
    }

    /// False below the smallest screen the explorer draws on (then only a notice shows).
    public var fits: Bool { size.fits(ExplorerOptions.minimumSize) }

    /// Tree rows visible at once (what PgUp/PgDn move by, less one row of context).
    public var treePageRows: Int { treeRows.height }
}
