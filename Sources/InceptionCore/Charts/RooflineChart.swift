import Foundation

/// The roofline as text: a table of layers, slowest first, each with a bar of its achieved rate
/// against its roof, and a small log-log scatter of the layers under the two roofs. Fits `width`
/// columns (default 80); `ascii` draws '#' bars on a '.' track and an ASCII roof.
///
/// Every row carries a key letter (a, b, c, ...) that marks the same layer in the scatter.
public struct RooflineChart: Sendable {
    public let roofline: Roofline
    public let points: [RooflinePoint]
    public let width: Int
    public let ascii: Bool
    /// Cut from the front of every path (the timed block's "inception_3a/"), so rows stay short.
    public let prefix: String

    public init(
        _ roofline: Roofline, samples: [RooflineSample], width: Int = 80, ascii: Bool = false, prefix: String = ""
    ) {
        self.roofline = roofline
        self.points = roofline.points(samples)
        self.width = max(50, width)
        self.ascii = ascii
        self.prefix = prefix
    }

    /// The header, the table and the scatter, separated by blank lines, ending with a newline.
    public func text(scatterRows: Int = 10) -> String {
        (header() + [""] + table() + [""] + scatter(rows: scatterRows)).joined(separator: "\n") + "\n"
    }

    /// What the numbers mean: the machine's roofs and the conventions.
    public func header() -> [String] {
        let r = roofline
        return [
            "peak \(Self.rate(r.peakGFLOPS)) GFLOP/s, bandwidth \(Self.rate(r.bandwidthGBs)) GB/s, "
                + "ridge \(Self.ratio(r.ridgeMACsPerByte)) MAC/B (\(Self.ratio(r.ridgeFLOPsPerByte)) FLOP/B)",
            "MAC/B: MACs per byte moved (input+weights+output, fp32); FLOP = 2 x MAC",
            "roof = min(peak, bandwidth x FLOP/B); mem/cmp: below/above the ridge",
        ].map { NetworkCharts.cut($0, width) }
    }

    /// Column widths of the table: key, layer, then the fixed numeric columns, the bar taking the rest.
    var labelWidth: Int { min(24, max(5, points.map { label($0).count }.max() ?? 5)) }
    /// "  key layer  ms  MAC/B  GFLOP/s  roof  bound " before the bar, "  %roof" after it.
    static let numericWidths = (ms: 8, intensity: 7, achieved: 8, roof: 7, bound: 4, percent: 5)
    var barCells: Int {
        let w = Self.numericWidths
        let fixed = 2 + labelWidth + w.ms + w.intensity + w.achieved + w.roof + w.bound + w.percent + 8
        return max(6, width - fixed)
    }

    /// The rows, slowest first: key, layer, ms, MAC/B, achieved GFLOP/s, roof GFLOP/s, bound,
    /// a bar of achieved / roof, and that share in percent.
    public func table() -> [String] {
        let w = Self.numericWidths
        let head =
            "  " + "layer".rightPadded(to: labelWidth) + " " + "ms".leftPadded(to: w.ms) + " "
            + "MAC/B".leftPadded(to: w.intensity) + " " + "GFLOP/s".leftPadded(to: w.achieved) + " "
            + "roof".leftPadded(to: w.roof) + " " + "bnd".leftPadded(to: w.bound) + " "
            + (barCells >= 15 ? "achieved / roof" : barCells >= 7 ? "vs roof" : "bar").rightPadded(to: barCells) + " "
            + "%roof".leftPadded(to: w.percent)
        var out = [NetworkCharts.cut(head.trimmingTrailingSpaces(), width)]
        if points.isEmpty { return out + ["  (no conv or linear layers timed)"] }
        for (i, p) in points.enumerated() {
            let line =
                Self.key(i) + " " + NetworkCharts.fit(label(p), labelWidth) + " "
                + NumberFormat.fixed(p.sample.ms, decimals: 3).leftPadded(to: w.ms) + " "
                + Self.ratio(p.macsPerByte).leftPadded(to: w.intensity) + " "
                + Self.rate(p.achievedGFLOPS).leftPadded(to: w.achieved) + " "
                + Self.rate(p.roofGFLOPS).leftPadded(to: w.roof) + " "
                + (p.bound == .memory ? "mem" : "cmp").leftPadded(to: w.bound) + " "
                + bar(p.percentOfRoof / 100, cells: barCells) + " "
                + (NumberFormat.fixed(p.percentOfRoof, decimals: 0) + "%").leftPadded(to: w.percent)
            out.append(line)
        }
        return out
    }

    /// `fraction` of `cells` filled, the rest a light track up to the roof: "█████▍░░░░" or
    /// "#####.....". Always exactly `cells` characters; past the roof (data in cache) it is all bar.
    public func bar(_ fraction: Double, cells: Int) -> String {
        let filled = ChartGlyphs.bar(fraction: fraction, cells: cells, ascii: ascii)
        return filled + String(repeating: ascii ? "." : "░", count: max(0, cells - filled.count))
    }

    /// The row's layer name: its path without the common prefix.
    func label(_ p: RooflinePoint) -> String {
        let path = p.sample.path
        guard !prefix.isEmpty, path.hasPrefix(prefix), path.count > prefix.count else { return path }
        return String(path.dropFirst(prefix.count))
    }

    /// a...z, then A...Z, then '*' (rows past 52 share one mark).
    static func key(_ i: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return i < letters.count ? String(letters[i]) : "*"
    }

    /// GFLOP/s and GB/s: one decimal.
    static func rate(_ x: Double) -> String { NumberFormat.fixed(x, decimals: 1) }

    /// An intensity: 3 significant digits ("0.512", "12.3", "147"); "inf" for no bytes.
    static func ratio(_ x: Double) -> String {
        guard x.isFinite else { return "inf" }
        return NumberFormat.fixed(x, decimals: x >= 100 ? 0 : x >= 10 ? 1 : x >= 1 ? 2 : 3)
    }
}
