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
