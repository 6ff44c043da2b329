/// Draws a prompt line "label text" and places the buffer's cursor at the insertion point.
/// Text longer than the room scrolls so the cursor stays visible.
public struct PromptView: Widget {
    public var label: String
    public var state: PromptState
    public var labelStyle: Style
    public var textStyle: Style
    /// A dim note at the right end ("3 of 11" while searching, Tab's candidates), drawn only
    /// where it leaves the text 16 columns (the text scrolls, the cursor stays in view); cut at
    /// its end when long.
    public var note: String?

    public init(
        label: String, state: PromptState, labelStyle: Style = Style(.accent, bold: true),
        textStyle: Style = .normal, note: String? = nil
    ) {
        self.label = label
        self.state = state
        self.labelStyle = labelStyle
        self.textStyle = textStyle
        self.note = note
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        buffer.fill(row)
        let start = buffer.put(label, x: row.x, y: row.y, style: labelStyle, clip: row)
        var end = row.maxX
        if let note, !note.isEmpty {
            let textRoom = min(16, TextWidth.of(state.text) + 2)
            let noteRoom = row.maxX - start - textRoom - 2
            if noteRoom >= 8 {
                let shown = TextWidth.truncate(note, to: noteRoom, ellipsis: "…")
                end = row.maxX - TextWidth.of(shown)
                buffer.put(shown, x: end, y: row.y, style: Style(.dim), clip: row)
                end -= 2
            }
        }
        let room = end - start
        guard room > 0 else { buffer.cursor = nil; return }
        let beforeCursor = String(state.text.prefix(state.cursor))
        let afterCursor = String(state.text.dropFirst(state.cursor))
        // Keep one cell for the cursor itself: show the tail of the text before the cursor.
        let shownBefore = TextWidth.suffix(beforeCursor, fitting: room - 1)
        let textClip = Rect(x: row.x, y: row.y, width: end - row.x, height: 1)
        let cursorX = buffer.put(shownBefore, x: start, y: row.y, style: textStyle, clip: textClip)
        buffer.put(afterCursor, x: cursorX, y: row.y, style: textStyle, clip: textClip)
        buffer.cursor = Point(x: cursorX, y: row.y)
    }
}
