import Foundation

/// The plain-text chart primitives: horizontal bars in eighths of a cell, sparklines and small
/// column charts, in Unicode block elements or an ASCII fallback.
public enum ChartGlyphs {
    /// Left-aligned partial cells, 1/8 to 7/8.
    static let horizontalEighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    /// Bottom-aligned partial cells, 1/8 to 7/8.
    static let verticalEighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]
    static let sparkUnicode: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let sparkASCII: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#"]

    /// A bar of `fraction` (clamped to 0...1) of `cells` cells: full blocks and one partial eighth in
    /// Unicode ("███▍"), whole '#' cells in ASCII. Rounded to the nearest eighth (cell in ASCII); a
    /// non-zero fraction always shows at least the smallest mark.
    public static func bar(fraction: Double, cells: Int, ascii: Bool) -> String {
        guard cells > 0, fraction.isFinite, fraction > 0 else { return "" }
        let f = min(1, fraction)
        if ascii {
            let n = max(1, Checked.clampedInt((f * Double(cells)).rounded(), 0...cells))
            return String(repeating: "#", count: n)
        }
        let eighths = max(1, Checked.clampedInt((f * Double(cells) * 8).rounded(), 0...Checked.saturatingMul(cells, 8)))
        let full = eighths / 8, rest = eighths % 8
        return String(repeating: "█", count: full) + (rest > 0 ? String(horizontalEighths[rest - 1]) : "")
    }

    /// The level 0...(levels − 1) of each value on a linear or log scale between the values' min
    /// and max (all the middle level when they are equal). Non-positive values on a log scale get 0.
    static func levels(_ values: [Double], count levels: Int, log: Bool) -> [Int] {
        let mapped = values.map { v -> Double? in
            guard v.isFinite else { return nil }
            if log { return v > 0 ? log10(v) : nil }
            return v
        }
        let known = mapped.compactMap { $0 }
        guard let lo = known.min(), let hi = known.max(), levels > 1 else { return values.map { _ in 0 } }
        return mapped.map { m in
            guard let m else { return 0 }
            guard hi > lo else { return (levels - 1) / 2 }
            return Checked.clampedInt(((m - lo) / (hi - lo) * Double(levels - 1)).rounded(), 0...(levels - 1))
        }
    }

    /// One character per value, `repeat` times each: ▁..█ (or " .:-=+*#" in ASCII, where the lowest
    /// level is '.' so every point shows).
    public static func sparkline(_ values: [Double], log: Bool, ascii: Bool, repeat r: Int = 1) -> String {
        let lv = levels(values, count: 8, log: log)
        var out = ""
        for l in lv {
            let ch = ascii ? sparkASCII[max(1, l)] : sparkUnicode[l]
            out += String(repeating: String(ch), count: max(1, r))
        }
        return out
    }

    /// A column chart `rows` high, one column (`repeat` characters wide) per value, top row first.
    /// Unicode columns grow in eighths of a row; ASCII columns in whole '#' cells.
    public static func columns(_ values: [Double], rows: Int, log: Bool, ascii: Bool, repeat r: Int = 1) -> [String] {
        let perRow = ascii ? 1 : 8
        let total = max(1, rows) * perRow
        // Level 1...total: the smallest value still shows.
        let lv = levels(values, count: total, log: log).map { $0 + 1 }
        return (0..<max(1, rows)).map { row in
            let base = (rows - 1 - row) * perRow
            var line = ""
            for l in lv {
                let fill = min(perRow, max(0, l - base))
                let ch: Character = fill == 0 ? " " : fill == perRow ? (ascii ? "#" : "█") : verticalEighths[fill - 1]
                line += String(repeating: String(ch), count: max(1, r))
            }
            return line.trimmingTrailingSpaces()
        }
    }
}
