/// One visible row of a tree, already flattened by the app (children of collapsed nodes omitted).
public struct TreeRow: Hashable, Sendable {
    /// 0 for roots; a child is one deeper than its parent, and follows it directly.
    public var depth: Int
    public var hasChildren: Bool
    public var isExpanded: Bool
    public var name: String
    public var nameStyle: Style
    /// Text for the columns after the tree column, one span per `TreeView.columns` entry.
    public var cells: [Span]

    public init(
        depth: Int, name: String, nameStyle: Style = .normal, hasChildren: Bool = false,
        isExpanded: Bool = false, cells: [Span] = []
    ) {
        self.depth = max(0, depth)
        self.name = name
        self.nameStyle = nameStyle
        self.hasChildren = hasChildren
        self.isExpanded = isExpanded
        self.cells = cells
    }
}

/// An indented tree with guide lines ("├─", "└─", "│ "), expand markers and extra columns
/// (op, shape, params…). Selection and scroll offset are the caller's; keep the offset with
/// `TreeView.scrollOffset` so the selection stays visible.
///
/// A row at depth d draws d-1 guide cells (one per ancestor level below the roots: "│ " while that
/// ancestor has later siblings, else blank), then its own connector, then the expand marker and
/// the name. Roots have no connector.
public struct TreeView: Widget {
    public var rows: [TreeRow]
    /// Header and width of the tree column (usually `.fill`).
    public var treeColumn: Column
    public var columns: [Column]
    public var showHeader: Bool
    public var headerStyle: Style
    public var guideStyle: Style
    public var selected: Int?
    public var offset: Int
    /// An unfocused tree marks its selection with underline instead of reverse video.
    public var focused: Bool
    public var glyphs: Glyphs

    public init(
        rows: [TreeRow], treeColumn: Column = Column("", width: .fill), columns: [Column] = [],
        showHeader: Bool = false, headerStyle: Style = Style(.dim, bold: true), guideStyle: Style = Style(.dim),
        selected: Int? = nil, offset: Int = 0, focused: Bool = true, glyphs: Glyphs
    ) {
        self.rows = rows
        self.treeColumn = treeColumn
        self.columns = columns
        self.showHeader = showHeader
        self.headerStyle = headerStyle
        self.guideStyle = guideStyle
        self.selected = selected
        self.offset = offset
        self.focused = focused
        self.glyphs = glyphs
    }

    /// Data rows visible in `area`.
    public func visibleRows(in area: Rect) -> Int { max(0, area.height - (showHeader ? 1 : 0)) }

    /// The offset that keeps `selected` visible (see `Scroll.offset`), with one row of context.
    public static func scrollOffset(
        selected: Int?, current: Int, visibleRows: Int, rowCount: Int,
        margin: Int = 1
    ) -> Int {
        Scroll.offset(selected: selected, current: current, visible: visibleRows, count: rowCount, margin: margin)
    }

    /// The row index under screen row `y` for a mouse click, or nil.
    public func rowIndex(atY y: Int, in area: Rect) -> Int? {
        let first = area.y + (showHeader ? 1 : 0)
        guard y >= first, y < area.maxY else { return nil }
        let i = max(0, offset) + (y - first)
        return i < rows.count ? i : nil
    }

    /// The guide prefix of every row ("│ ├─"), computed in one backward pass: a level continues
    /// ("│") when a later row at that depth appears before any shallower row.
    public static func guides(for rows: [TreeRow], glyphs: Glyphs) -> [String] {
        var seen: [Bool] = []
        var result = [String](repeating: "", count: rows.count)
        for i in stride(from: rows.count - 1, through: 0, by: -1) {
            let d = rows[i].depth
            if seen.count <= d { seen += [Bool](repeating: false, count: d + 1 - seen.count) }
            if d > 0 {
                var s = ""
                for level in 1..<d { s += seen[level] ? glyphs.treeVertical : glyphs.treeBlank }
                s += seen[d] ? glyphs.treeBranch : glyphs.treeLast
                result[i] = s
            }
            seen[d] = true
            for level in (d + 1)..<seen.count { seen[level] = false }
        }
        return result
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let all = [treeColumn] + columns
        let widths = Column.widths(all, total: area.width)
        var y = area.y
        if showHeader {
            buffer.putColumns(
                all.map { Span($0.title, style: headerStyle) }, columns: all, widths: widths,
                x: area.x, y: y, gap: 1, clip: area, ellipsis: glyphs.ellipsis)
            y += 1
        }
        let guides = Self.guides(for: rows, glyphs: glyphs)
        let treeWidth = widths.first ?? 0
        var i = max(0, offset)
        while y < area.maxY && i < rows.count {
            let row = rows[i]
            let marker = row.hasChildren ? (row.isExpanded ? glyphs.expanded : glyphs.collapsed) : glyphs.leaf
            let treeClip = Rect(x: area.x, y: y, width: treeWidth, height: 1).intersection(area)
            var cx = buffer.put(guides[i], x: area.x, y: y, style: guideStyle, clip: treeClip)
            cx = buffer.put(marker + " ", x: cx, y: y, style: guideStyle, clip: treeClip)
            let nameRoom = area.x + treeWidth - cx
            if nameRoom > 0 {
                // Trimmed in the middle: "branch7x7x3_1" and "_2" keep the ends that tell them apart.
                buffer.put(
                    TextWidth.truncate(row.name, to: nameRoom, ellipsis: glyphs.ellipsis, mode: .middle), x: cx, y: y,
                    style: row.nameStyle, clip: treeClip)
            }
            if !columns.isEmpty {
                buffer.putColumns(
                    [Span("")] + row.cells, columns: all, widths: widths, x: area.x, y: y, gap: 1,
                    clip: Rect(x: area.x + treeWidth, y: y, width: area.width - treeWidth, height: 1),
                    ellipsis: glyphs.ellipsis)
            }
            if i == selected {
                buffer.restyle(Rect(x: area.x, y: y, width: area.width, height: 1)) { s in
                    if focused { s.reverse = true } else { s.underline = true }
                }
            }
            y += 1
            i += 1
        }
    }
}
