/// A single line of text: truncated with an ellipsis and aligned inside the area's first row.
public struct Label: Widget {
    public var text: String
    public var style: Style
    public var alignment: Alignment
    public var truncation: Truncation
    public var glyphs: Glyphs

    public init(_ text: String, style: Style = .normal, alignment: Alignment = .left, truncation: Truncation = .tail,
                glyphs: Glyphs) {
        self.text = text
        self.style = style
        self.alignment = alignment
        self.truncation = truncation
        self.glyphs = glyphs
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        buffer.put(text, in: area.row(0), style: style, alignment: alignment, truncation: truncation,
                   ellipsis: glyphs.ellipsis)
    }
}

/// Lines of spans, one per row from the top, clipped (no wrapping: wrap first with
/// `TextWidth.wrap` if you need to). `offset` skips that many lines (scrolling).
public struct Paragraph: Widget {
    public var lines: [[Span]]
    public var offset: Int

    public init(lines: [[Span]], offset: Int = 0) {
        self.lines = lines
        self.offset = offset
    }

    public init(_ text: [String], style: Style = .normal, offset: Int = 0) {
        self.init(lines: text.map { [Span($0, style: style)] }, offset: offset)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let start = max(0, offset)
        for row in 0..<area.height {
            let i = start + row
            guard i < lines.count else { break }
            buffer.put(lines[i], x: area.x, y: area.y + row, clip: area)
        }
    }
}
