/// A border with an optional title in the top edge: "┌ Parameters ──┐". Draw it, then draw the
/// content into `inner(area)`.
public struct Box: Widget {
    public var title: String?
    public var titleStyle: Style
    public var borderStyle: Style
    public var glyphs: Glyphs

    public init(
        title: String? = nil, titleStyle: Style = Style(.title), borderStyle: Style = Style(.border),
        glyphs: Glyphs
    ) {
        self.title = title
        self.titleStyle = titleStyle
        self.borderStyle = borderStyle
        self.glyphs = glyphs
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let g = glyphs
        let hline = String(repeating: g.horizontal, count: max(0, area.width - 2))
        buffer.put(String(g.topLeft) + hline + String(g.topRight), x: area.x, y: area.y, style: borderStyle, clip: area)
        if area.height >= 2 {
            buffer.put(
                String(g.bottomLeft) + hline + String(g.bottomRight), x: area.x, y: area.maxY - 1,
                style: borderStyle, clip: area)
        }
        if area.height > 2 {
            for y in (area.y + 1)..<(area.maxY - 1) {
                buffer.put(String(g.vertical), x: area.x, y: y, style: borderStyle, clip: area)
                if area.width >= 2 {
                    buffer.put(String(g.vertical), x: area.maxX - 1, y: y, style: borderStyle, clip: area)
                }
            }
        }
        if let title, !title.isEmpty, area.width >= 5 {
            // " title " starting after the corner and one rule cell; truncated to keep both corners.
            let room = area.width - 4
            let t = TextWidth.truncate(title, to: room, ellipsis: g.ellipsis)
            buffer.put(
                " " + t + " ", x: area.x + 1, y: area.y, style: titleStyle,
                clip: Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1))
        }
    }
}
