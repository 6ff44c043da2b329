/// A piece of text in one style; a line of spans is how widgets mix styles in a row
/// ("q" in the key role, " quit" in normal).
public struct Span: Hashable, Sendable, ExpressibleByStringInterpolation {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .normal) {
        self.text = text
        self.style = style
    }

    public init(_ text: String, _ role: ColorRole) {
        self.init(text, style: Style(role))
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var width: Int { TextWidth.of(text) }
}

extension Array where Element == Span {
    /// Total display width of the spans.
    public var width: Int { reduce(0) { $0 + $1.width } }
}

extension Buffer {
    /// Writes spans one after another from (x, y), clipped; returns the column after the last.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, clip: Rect? = nil) -> Int {
        var cx = x
        for s in spans { cx = put(s.text, x: cx, y: y, style: s.style, clip: clip) }
        return cx
    }

    /// Writes `text` into a one-row area, truncated with `ellipsis` and aligned; the rest of the
    /// row keeps its content (call `fill` first to blank it).
    public mutating func put(
        _ text: String, in area: Rect, style: Style = .normal, alignment: Alignment = .left,
        truncation: Truncation = .tail, ellipsis: String
    ) {
        guard !area.isEmpty else { return }
        let fitted = TextWidth.fit(
            text, width: area.width, alignment: alignment, ellipsis: ellipsis,
            truncation: truncation)
        put(fitted, x: area.x, y: area.y, style: style, clip: area)
    }
}
