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
        buffer.put(
            " " + left, in: Rect(x: row.x, y: row.y, width: leftRoom, height: 1), style: style,
            ellipsis: glyphs.ellipsis)
        if rightWidth > 0 {
            buffer.put(
                right + " ", in: Rect(x: row.maxX - rightWidth - 1, y: row.y, width: rightWidth + 1, height: 1),
                style: style, alignment: .right, ellipsis: glyphs.ellipsis)
        }
    }
}
