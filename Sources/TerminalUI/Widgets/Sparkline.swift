/// A one-row chart of recent values (▁▂▃▄▅▆▇█ or . : - = + * # @), newest at the right.
public struct Sparkline: Widget {
    public var values: [Double]
    /// The value drawn as the top level; nil scales to the largest value shown.
    public var maximum: Double?
    public var style: Style
    public var glyphs: Glyphs

    public init(values: [Double], maximum: Double? = nil, style: Style = Style(.accent), glyphs: Glyphs) {
        self.values = values
        self.maximum = maximum
        self.style = style
        self.glyphs = glyphs
    }

    /// One glyph per value: values ≤ 0 (and NaN) are blank; otherwise level ceil(v/max·8), so the
    /// maximum draws the top glyph and any positive value at least the lowest.
    public static func string(_ values: [Double], maximum: Double? = nil, glyphs: Glyphs) -> String {
        let finite = values.filter { $0.isFinite }
        let top = maximum ?? (finite.max() ?? 0)
        let levels = glyphs.sparkLevels
        return String(values.map { v -> Character in
            guard v.isFinite, v > 0, top > 0, !levels.isEmpty else { return " " }
            let level = Int((min(v, top) / top * Double(levels.count)).rounded(.up)) - 1
            return levels[min(max(0, level), levels.count - 1)]
        })
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        let shown = Array(values.suffix(row.width))
        let top = maximum ?? shown.filter { $0.isFinite }.max()
        let s = Self.string(shown, maximum: top, glyphs: glyphs)
        buffer.put(s, x: row.maxX - shown.count, y: row.y, style: style, clip: row)
    }
}
