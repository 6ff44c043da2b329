/// The charts `summary --chart` prints and the explorer can show: where the params and MACs are,
/// and how the representation shrinks through depth ("shrink gradually", principle 1, made visible).
///
/// One row or column per top-level main-path node (aux heads are training-only and left out).
/// Everything fits in `width` columns (default 80); `ascii` uses '#' bars and " .:-=+*#" sparks.
public struct NetworkCharts: Sendable {
    public let layout: Layout
    public let analysis: Analysis
    public let width: Int
    public let ascii: Bool

    public init(_ layout: Layout, analysis: Analysis? = nil, width: Int = 80, ascii: Bool = false) {
        self.layout = layout
        self.analysis = analysis ?? Analysis(layout)
        self.width = max(40, width)
        self.ascii = ascii
    }

    var top: [NodeStats] { analysis.nodes.filter { $0.depth == 0 && !$0.aux } }

    /// All charts, separated by blank lines, ending with a newline.
    public func text() -> String {
        (bars(title: "Params", value: \.params) + [""] + bars(title: "MACs", value: \.macs) + [""]
            + representation() + [""] + channels()).joined(separator: "\n") + "\n"
    }

    /// Horizontal bars of one count per top-level node that has any (pools, LRN, dropout have no
    /// params or MACs and get no row), scaled to the largest, with the exact number and its share
    /// of the total beside.
    public func bars(title: String, value: KeyPath<NodeStats, Int>) -> [String] {
        let rows = top.filter { $0[keyPath: value] > 0 }
        // Checked: with an overflow error elsewhere the rows may sum past 64 bits; say so, never wrap.
        let sum = Checked.sum(rows.map { $0[keyPath: value] })
        let total = sum ?? .max
        var out = [
            Self.cut("\(title) by top-level layer (total \(sum.map(NumberFormat.grouped) ?? "over 9.2e18"))", width)
        ]
        guard let maxValue = rows.map({ $0[keyPath: value] }).max(), maxValue > 0 else { return out + ["  (none)"] }
        let numbers = rows.map { NumberFormat.grouped($0[keyPath: value]) }
        let numberWidth = numbers.map(\.count).max() ?? 0
        let shareWidth = 6
        let labelWidth = min(16, rows.map(\.path.count).max() ?? 0)
        let cells = max(8, width - labelWidth - numberWidth - shareWidth - 3)
        for (row, number) in zip(rows, numbers) {
            let v = row[keyPath: value]
            let bar = ChartGlyphs.bar(fraction: Double(v) / Double(maxValue), cells: cells, ascii: ascii)
            let share = NumberFormat.percent(Double(v) / Double(max(1, total)))
            out.append(
                Self.fit(row.path, labelWidth) + " " + bar.rightPadded(to: cells) + " "
                    + number.leftPadded(to: numberWidth) + " " + share.leftPadded(to: shareWidth))
        }
        return out
    }

    /// Representation size C·H·W from the input through every top-level node, on a log scale, as a
    /// four-row column chart.
    public func representation(rows: Int = 4) -> [String] {
        let points = series { Double($0.channels) * Double($0.height) * Double($0.width) }
        let sizes = points.map(\.value)
        guard let peak = points.max(by: { $0.value < $1.value }), let first = points.first, let last = points.last
        else { return [] }
        let r = repeatWidth(points.count)
        var out = ["Representation size C*H*W through depth (log scale, a column per layer):"]
        out += ChartGlyphs.columns(sizes, rows: rows, log: true, ascii: ascii, repeat: r).map { "  " + $0 }
        out.append("  " + Self.axis(points.count * r))
        out.append(
            "  \(first.name) \(Self.count(first.value)) -> \(last.name) \(Self.count(last.value)); "
                + "peak \(Self.count(peak.value)) at \(peak.name)")
        return out.map { Self.cut($0, width) }
    }

    /// Channel count through depth as a sparkline (log scale).
    public func channels() -> [String] {
        let points = series { Double($0.channels) }
        guard let first = points.first, let last = points.last, let peak = points.max(by: { $0.value < $1.value })
        else { return [] }
        let r = repeatWidth(points.count)
        return [
            "Channels through depth (log scale):",
            "  " + ChartGlyphs.sparkline(points.map(\.value), log: true, ascii: ascii, repeat: r),
            "  \(first.name) \(Self.count(first.value)) -> \(last.name) \(Self.count(last.value)); peak \(Self.count(peak.value)) at \(peak.name)",
        ].map { Self.cut($0, width) }
    }

    /// (name, value) for the input and every top-level node with a known output.
    func series(_ f: (Shape) -> Double) -> [(name: String, value: Double)] {
        [("input", f(layout.input))] + top.compactMap { s in s.output.map { (s.path, f($0)) } }
    }

    /// Characters per column: as wide as fits, 1 to 3.
    func repeatWidth(_ n: Int) -> Int { max(1, min(3, (width - 2) / max(1, n))) }

    /// A baseline as long as the chart ("└───" / "+---").
    static func axis(_ n: Int) -> String { String(repeating: "-", count: max(0, n)) }

    static func count(_ v: Double) -> String {
        Checked.int(v).map(NumberFormat.grouped) ?? "?"
    }

    /// `s` cut to at most `n` characters ('~' marks a cut).
    static func cut(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(max(0, n - 1))) + "~"
    }

    /// `s` cut to `n` characters ('~' marks a cut) or padded to `n`.
    static func fit(_ s: String, _ n: Int) -> String {
        s.count <= n ? s.rightPadded(to: n) : String(s.prefix(max(0, n - 1))) + "~"
    }
}
