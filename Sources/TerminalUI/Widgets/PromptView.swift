/// Draws a prompt line "label text" and places the buffer's cursor at the insertion point.
/// Text longer than the room scrolls so the cursor stays visible.
public struct PromptView: Widget {
    public var label: String
    public var state: PromptState
    public var labelStyle: Style
    public var textStyle: Style

    public init(label: String, state: PromptState, labelStyle: Style = Style(.accent, bold: true),
                textStyle: Style = .normal) {
        self.label = label
        self.state = state
        self.labelStyle = labelStyle
        self.textStyle = textStyle
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        buffer.fill(row)
        let start = buffer.put(label, x: row.x, y: row.y, style: labelStyle, clip: row)
        let room = row.maxX - start
        guard room > 0 else { buffer.cursor = nil; return }
        let beforeCursor = String(state.text.prefix(state.cursor))
        let afterCursor = String(state.text.dropFirst(state.cursor))
        // Keep one cell for the cursor itself: show the tail of the text before the cursor.
        let shownBefore = TextWidth.suffix(beforeCursor, fitting: room - 1)
        let cursorX = buffer.put(shownBefore, x: start, y: row.y, style: textStyle, clip: row)
        buffer.put(afterCursor, x: cursorX, y: row.y, style: textStyle, clip: row)
        buffer.cursor = Point(x: cursorX, y: row.y)
    }
}
