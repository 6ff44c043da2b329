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
    /// Said after the ellipsis when the message is cut ("L log": where to read it whole).
    public var cutNote: String?

    public init(hints: [KeyHint], message: StatusMessage? = nil, glyphs: Glyphs, cutNote: String? = nil) {
        self.hints = hints
        self.message = message
        self.glyphs = glyphs
        self.cutNote = cutNote
    }

    /// The hint spans that fit in `width`, in table order: "q quit  ? help". Pinned hints are
    /// kept first (while they fit at all); the others follow in order while room is left, and
    /// the first one that does not fit ends them, so hints never come out of order.
    public static func hintSpans(_ hints: [KeyHint], width: Int) -> [Span] {
        func cost(_ h: KeyHint) -> Int { TextWidth.of(h.key) + 1 + TextWidth.of(h.label) }
        var keep = [Bool](repeating: false, count: hints.count)
        var used = 0
        for (i, h) in hints.enumerated() where h.pinned {
            let w = cost(h) + (used == 0 ? 0 : 2)
            if used + w > width { break }
            used += w
            keep[i] = true
        }
        for (i, h) in hints.enumerated() where !h.pinned {
            let w = cost(h) + (used == 0 ? 0 : 2)
            if used + w > width { break }
            used += w
            keep[i] = true
        }
        var spans: [Span] = []
        for (i, h) in hints.enumerated() where keep[i] {
            spans += [Span(spans.isEmpty ? "" : "  "), Span(h.key, .key), Span(" " + h.label)]
        }
        return spans
    }

    /// Width the pinned hints need (a message is cut to leave it).
    public static func pinnedWidth(_ hints: [KeyHint]) -> Int {
        hintSpans(hints.filter(\.pinned), width: Int.max / 2).width
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        buffer.fill(row)
        var x = row.x
        if let message, !message.text.isEmpty {
            let text = glyphs.fold(message.text)
            let reserve = Self.pinnedWidth(hints)
            let room = reserve > 0 && row.width > reserve + 23 ? row.width - reserve - 3 : row.width
            let note = cutNote.map { " (\($0))" } ?? ""
            let cut = TextWidth.of(text) > room && room > TextWidth.of(note) + 12
            let t = TextWidth.truncate(text, to: cut ? room - TextWidth.of(note) : room, ellipsis: glyphs.ellipsis)
            x = buffer.put(t, x: x, y: row.y, style: Style(message.role), clip: row)
            if cut { x = buffer.put(note, x: x, y: row.y, style: Style(.dim), clip: row) }
            x += 3
        }
        let room = row.maxX - x
        guard room > 0 else { return }
        let spans = Self.hintSpans(hints, width: room)
        // With a message, the hints sit at the right edge; alone, at the left.
        let start = message == nil ? x : row.maxX - spans.width
        buffer.put(spans, x: start, y: row.y, clip: row)
    }
}
