/// A row of a table: one span per column, plus a style for the gaps and padding.
public struct TableRow: Hashable, Sendable {
    public var cells: [Span]

    public init(_ cells: [Span]) {
        self.cells = cells
    }

    public init(_ cells: [String], style: Style = .normal) {
        self.cells = cells.map { Span($0, style: style) }
    }
}

/// Columns of text with a header row, a selection highlight and a scroll offset owned by the
/// caller (compute it with `Scroll.offset`).
public struct Table: Widget {
    public var columns: [Column]
    public var rows: [TableRow]
    public var showHeader: Bool
    public var headerStyle: Style
    public var selected: Int?
    public var offset: Int
    public var gap: Int
    public var glyphs: Glyphs

    public init(columns: [Column], rows: [TableRow], showHeader: Bool = true, headerStyle: Style = Style(.dim, bold: true),
                selected: Int? = nil, offset: Int = 0, gap: Int = 1, glyphs: Glyphs) {
        self.columns = columns
        self.rows = rows
        self.showHeader = showHeader
        self.headerStyle = headerStyle
        self.selected = selected
        self.offset = offset
        self.gap = gap
        self.glyphs = glyphs
    }

    /// Rows available for data in `area` (area height minus the header).
    public func visibleRows(in area: Rect) -> Int { max(0, area.height - (showHeader ? 1 : 0)) }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let widths = Column.widths(columns, total: area.width, gap: gap)
        var y = area.y
        if showHeader {
            buffer.putColumns(columns.map { Span($0.title, style: headerStyle) }, columns: columns, widths: widths,
                              x: area.x, y: y, gap: gap, clip: area, ellipsis: glyphs.ellipsis)
            y += 1
        }
        let start = max(0, offset)
        var i = start
        while y < area.maxY && i < rows.count {
            buffer.putColumns(rows[i].cells, columns: columns, widths: widths, x: area.x, y: y, gap: gap, clip: area,
                              ellipsis: glyphs.ellipsis)
            if i == selected {
                buffer.restyle(Rect(x: area.x, y: y, width: area.width, height: 1)) { $0.reverse = true }
            }
            y += 1
            i += 1
        }
    }
}
