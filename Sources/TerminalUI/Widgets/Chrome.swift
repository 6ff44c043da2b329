/// A status or hint message with its meaning (errors in the error role).
public struct StatusMessage: Hashable, Sendable {
    public var text: String
    public var role: ColorRole

    public init(_ text: String, role: ColorRole = .normal) {
        self.text = text
        self.role = role
    }

    public static func error(_ text: String) -> StatusMessage { StatusMessage(text, role: .error) }
}

/// The bottom line: a message on the left (if any), key hints after it. Hints are dropped whole
/// from the end when they do not fit, never cut mid-word; a message is truncated last.
public struct StatusBar: Widget {
    public var hints: [KeyHint]
    public var message: StatusMessage?
    public var glyphs: Glyphs

    public init(hints: [KeyHint], message: StatusMessage? = nil, glyphs: Glyphs) {
        self.hints = hints
        self.message = message
        self.glyphs = glyphs
    }

    /// The hint spans that fit in `width`: "q quit  ? help".
    public static func hintSpans(_ hints: [KeyHint], width: Int) -> [Span] {
        var spans: [Span] = []
        var used = 0
        for (i, h) in hints.enumerated() {
            let sep = i == 0 ? "" : "  "
            let w = TextWidth.of(sep) + TextWidth.of(h.key) + 1 + TextWidth.of(h.label)
            if used + w > width { break }
            used += w
            spans += [Span(sep), Span(h.key, .key), Span(" " + h.label)]
        }
        return spans
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        buffer.fill(row)
        var x = row.x
        if let message, !message.text.isEmpty {
            let t = TextWidth.truncate(message.text, to: row.width, ellipsis: glyphs.ellipsis)
            x = buffer.put(t, x: x, y: row.y, style: Style(message.role), clip: row) + 3
        }
        let room = row.maxX - x
        guard room > 0 else { return }
        let spans = Self.hintSpans(hints, width: room)
        // With a message, the hints sit at the right edge; alone, at the left.
        let start = message == nil ? x : row.maxX - spans.width
        buffer.put(spans, x: start, y: row.y, clip: row)
    }
}

/// The top line: the app name / file on the left, extra facts on the right, in the title role.
public struct TitleBar: Widget {
    public var left: String
    public var right: String
    public var style: Style
    public var glyphs: Glyphs

    public init(left: String, right: String = "", style: Style = Style(.title, reverse: true), glyphs: Glyphs) {
        self.left = left
        self.right = right
        self.style = style
        self.glyphs = glyphs
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        buffer.fill(row, style: style)
        let rightWidth = min(TextWidth.of(right), max(0, row.width - 2))
        let leftRoom = row.width - (rightWidth > 0 ? rightWidth + 2 : 0)
        buffer.put(" " + left, in: Rect(x: row.x, y: row.y, width: leftRoom, height: 1), style: style,
                   ellipsis: glyphs.ellipsis)
        if rightWidth > 0 {
            buffer.put(right + " ", in: Rect(x: row.maxX - rightWidth - 1, y: row.y, width: rightWidth + 1, height: 1),
                       style: style, alignment: .right, ellipsis: glyphs.ellipsis)
        }
    }
}

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

    /// Lines visible at once inside the box.
    public func visibleLines(in area: Rect) -> Int { max(0, frame(in: area).height - 2) }

    public func render(in area: Rect, buffer: inout Buffer) {
        let f = frame(in: area)
        guard !f.isEmpty else { return }
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

/// The whole screen when the terminal is smaller than the app needs:
/// "terminal too small (need 80x24, have 60x20)", centered and wrapped.
public struct TooSmallScreen: Widget {
    public var need: Size
    public var have: Size

    public init(need: Size, have: Size) {
        self.need = need
        self.have = have
    }

    public var message: String { "terminal too small (need \(need), have \(have))" }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        buffer.clear(area)
        let lines = TextWidth.wrap(message, width: area.width)
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            buffer.put(l, in: Rect(x: area.x, y: top + i, width: area.width, height: 1).intersection(area),
                       style: Style(.warning, bold: true), alignment: .center, ellipsis: "")
        }
    }
}
