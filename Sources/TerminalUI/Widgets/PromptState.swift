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
    /// (and ^A/^E) move, ^U clears, ^K cuts to the end, ^W deletes the word before the cursor (and
    /// the spaces or one "/" after it, as shells do for paths), Enter submits, Esc/^C cancel. Other keys
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
        case .ctrl("w"):
            deleteWordBackward()
        case .enter:
            return .submitted(text)
        case .escape, .ctrl("c"), .terminate:
            return .cancelled
        default:
            break
        }
        return .editing
    }

    /// Replaces the whole text and puts the cursor at its end (completion).
    public mutating func replace(with newText: String) {
        text = newText
        cursor = newText.count
    }

    /// ^W: removes trailing spaces or slashes before the cursor, then the word before them.
    private mutating func deleteWordBackward() {
        let chars = Array(text)
        var start = cursor
        while start > 0 && (chars[start - 1] == " " || chars[start - 1] == "/") { start -= 1 }
        while start > 0 && chars[start - 1] != " " && chars[start - 1] != "/" { start -= 1 }
        text = String(chars[..<start] + chars[cursor...])
        cursor = start
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
