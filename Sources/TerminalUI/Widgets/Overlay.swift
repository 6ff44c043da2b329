/// A bordered box centered over whatever is already drawn (help, details). The caller owns the
/// scroll offset; a "more" mark in the bottom border shows when lines are cut.
public struct Overlay: Widget {
    public var title: String
    public var lines: [[Span]]
    public var offset: Int
    public var glyphs: Glyphs

    public init(title: String, lines: [[Span]], offset: Int = 0, glyphs: Glyphs) {
        self.title = title
        self.lines = lines
        self.offset = offset
        self.glyphs = glyphs
    }

    public init(title: String, text: [String], offset: Int = 0, glyphs: Glyphs) {
        self.init(title: title, lines: text.map { [Span($0)] }, offset: offset, glyphs: glyphs)
    }

    /// The box's rectangle: content plus border and one column of padding, at most the area
    /// minus a one-cell margin on each side.
    public func frame(in area: Rect) -> Rect {
        let contentWidth = max(lines.map { $0.width }.max() ?? 0, TextWidth.of(title) + 2)
        let w = min(contentWidth + 4, max(0, area.width - 2))
        let h = min(lines.count + 2, max(0, area.height - 2))
        return area.centered(width: w, height: h)
    }

    /// A margin this wide or narrower is cleared whole beside the box.
    static let narrowMargin = 4

    /// Lines visible at once inside the box.
    public func visibleLines(in area: Rect) -> Int { max(0, frame(in: area).height - 2) }

    public func render(in area: Rect, buffer: inout Buffer) {
        let f = frame(in: area)
        guard !f.isEmpty else { return }
        // The margins beside the box are cleared too (whole, when they are a few columns wide; one
        // column otherwise): else the panels' corners and the ends of their lines show down the
        // box's sides as a stack of stray glyphs.
        let left = f.x - area.x <= Self.narrowMargin ? f.x - area.x : 1
        let right = area.maxX - f.maxX <= Self.narrowMargin ? area.maxX - f.maxX : 1
        buffer.clear(Rect(x: f.x - left, y: f.y, width: f.width + left + right, height: f.height).intersection(area))
        buffer.clear(f)
        let box = Box(title: title, borderStyle: Style(.accent), glyphs: glyphs)
        box.render(in: f, buffer: &buffer)
        let inner = box.inner(f).inset(left: 1, right: 1)
        let start = Scroll.offset(selected: nil, current: offset, visible: inner.height, count: lines.count)
        Paragraph(lines: lines, offset: start).render(in: inner, buffer: &buffer)
        if start + inner.height < lines.count, f.width >= 10 {
            let more = " " + glyphs.arrowDown + " more "
            buffer.put(more, x: f.maxX - 2 - TextWidth.of(more), y: f.maxY - 1, style: Style(.accent), clip: f)
        }
    }
}
