/// The whole screen when the terminal is smaller than the app needs:
/// "terminal too small (need 80x24, have 60x20); q quits", centered and wrapped: the one key that
/// works there is named.
public struct TooSmallScreen: Widget {
    public var need: Size
    public var have: Size

    public init(need: Size, have: Size) {
        self.need = need
        self.have = have
    }

    public var message: String { "terminal too small (need \(need), have \(have)); q quits" }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        buffer.clear(area)
        let lines = TextWidth.wrap(message, width: area.width)
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            buffer.put(
                l, in: Rect(x: area.x, y: top + i, width: area.width, height: 1).intersection(area),
                style: Style(.warning, bold: true), alignment: .center, ellipsis: "")
        }
    }
}
