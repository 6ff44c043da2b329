/// The line-editing model behind every text prompt: text plus a cursor (in characters, 0...count).
/// Pure and independent of drawing, so editing is unit-tested key by key.
public struct PromptState: Hashable, Sendable {
    public private(set) var text: String
    /// Insertion point, 0...text.count (characters, not columns).
    public private(set) var cursor: Int

    public enum Outcome: Hashable, Sendable {
        case editing
        case submitted(String)
        case cancelled
    }

    public init(text: String = "") {
        self.text = text
        self.cursor = text.count
    }

    /// Applies one key: printable characters insert, Backspace/Delete remove, ←/→/Home/End
    /// (and ^A/^E) move, ^U clears, ^K cuts to the end, Enter submits, Esc/^C cancel. Other keys
    /// are ignored (`.editing`).
    public mutating func apply(_ key: Key) -> Outcome {
        switch key {
        case .char(let c):
            insert(c)
        case .backspace, .ctrl("h"):
            if cursor > 0 {
                remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete, .ctrl("d"):
            if cursor < text.count { remove(at: cursor) }
        case .left, .ctrl("b"):
            cursor = max(0, cursor - 1)
        case .right, .ctrl("f"):
            cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"):
            cursor = 0
        case .end, .ctrl("e"):
            cursor = text.count
        case .ctrl("u"):
            text = ""
            cursor = 0
        case .ctrl("k"):
            text = String(text.prefix(cursor))
        case .enter:
            return .submitted(text)
        case .escape, .ctrl("c"), .terminate:
            return .cancelled
        default:
            break
        }
        return .editing
    }

    private mutating func insert(_ c: Character) {
        let c = TextWidth.displayable(c)
        let i = text.index(text.startIndex, offsetBy: cursor)
        text.insert(c, at: i)
        cursor += 1
    }

    private mutating func remove(at n: Int) {
        let i = text.index(text.startIndex, offsetBy: n)
        text.remove(at: i)
    }
}

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

/// A yes/no question in one line: "quit without saving? (y/n)".
public struct ConfirmPrompt: Widget {
    public var question: String
    public var style: Style

    public init(_ question: String, style: Style = Style(.warning, bold: true)) {
        self.question = question
        self.style = style
    }

    /// y/Y → true; n/N/Esc/^C → false; anything else → nil (keep asking).
    public static func answer(for key: Key) -> Bool? {
        switch key {
        case .char("y"), .char("Y"): true
        case .char("n"), .char("N"), .escape, .ctrl("c"): false
        default: nil
        }
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        buffer.fill(row)
        buffer.put(question + " (y/n)", x: row.x, y: row.y, style: style, clip: row)
    }
}
