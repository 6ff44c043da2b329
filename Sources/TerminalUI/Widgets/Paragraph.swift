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
