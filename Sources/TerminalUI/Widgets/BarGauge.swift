/// A horizontal bar showing a fraction of its width, to 1/8 of a cell with the UTF-8 eighth blocks
/// (▏▎▍▌▋▊▉█); the ASCII set rounds to whole '#' cells. Used for compute shares and branch times.
public struct BarGauge: Widget {
    public var fraction: Double
    public var style: Style
    public var trackStyle: Style
    public var glyphs: Glyphs

    public init(fraction: Double, style: Style = Style(.bar), trackStyle: Style = Style(.dim), glyphs: Glyphs) {
        self.fraction = fraction
        self.style = style
        self.trackStyle = trackStyle
        self.glyphs = glyphs
    }

    /// The filled part of a bar `width` cells wide (no track), e.g. 0.5 of 3 → "█▌".
    /// NaN and negative fractions draw nothing; above 1 draws the full width.
    public static func filled(_ fraction: Double, width: Int, glyphs: Glyphs) -> String {
        guard width > 0, fraction.isFinite, fraction > 0 else { return "" }
        let eighths = Int((min(fraction, 1) * Double(width) * 8).rounded())
        var s = String(repeating: glyphs.barFull, count: eighths / 8)
        let rest = eighths % 8
        if rest > 0, glyphs.barEighths.indices.contains(rest) {
            let g = glyphs.barEighths[rest]
            if g != " " { s.append(g) }
        }
        return s
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0)
        guard !row.isEmpty else { return }
        let bar = Self.filled(fraction, width: row.width, glyphs: glyphs)
        let end = buffer.put(bar, x: row.x, y: row.y, style: style, clip: row)
        if end < row.maxX {
            buffer.fill(Rect(x: end, y: row.y, width: row.maxX - end, height: 1), with: glyphs.barTrack, style: trackStyle)
        }
    }
}
