/// Runs the lints over a layout. Only the inference path is checked: aux heads exist only in
/// training and end in a classifier by design.
public struct Linter {
    public let layout: Layout
    public let analysis: Analysis
    public let options: LintOptions
    /// Main-path convs with their stats, found once (every lint walks them).
    let convs: [(stats: NodeStats, conv: Conv)]

    public init(_ layout: Layout, options: LintOptions = LintOptions()) {
        self.init(layout, analysis: Analysis(layout), options: options)
    }

    /// Lints with an analysis the caller already has (the explorer analyses once per edit).
    /// - Precondition: `analysis` is `Analysis(layout)`.
    public init(_ layout: Layout, analysis: Analysis, options: LintOptions = LintOptions()) {
        self.layout = layout
        self.analysis = analysis
        self.options = options
        self.convs = analysis.nodes.compactMap { s in
            guard !s.aux, s.op == .conv, case .conv(let c)? = layout.layer(at: s.address)?.op else { return nil }
            return (s, c)
        }
    }

    /// Every lint that fires, in network order (by node address), ids in declaration order at a node.
    public func run() -> [Lint] {
        var out: [Lint] = []
        let on = options.enabled
        if on.contains(.bottleneck) { out += bottlenecks() }
        if on.contains(.factorizationGrid) { out += factorizationGrids() }
        if on.contains(.largeKernel) { out += largeKernels() }
        if on.contains(.missingReduction) { out += missingReductions() }
        if on.contains(.widthDepthBalance) { out += balance() }
        if on.contains(.residualScaling) { out += residualScalings() }
        return out.sorted { ($0.address, $0.id) < ($1.address, $1.id) }
    }

    /// Main-path convs anywhere in the tree (not in aux heads), with their stats.
    func mainPathConvs() -> [(stats: NodeStats, conv: Conv)] { convs }

    /// The top-level main-path nodes (no aux heads), in order.
    func topLevel() -> [NodeStats] {
        analysis.nodes.filter { $0.depth == 0 && !$0.aux }
    }

    /// "12.5%".
    static func pct(_ x: Double) -> String { NumberFormat.percent(x) }
    static func grouped(_ n: Int) -> String { NumberFormat.grouped(n) }
    static func ratio(_ x: Double) -> String { NumberFormat.fixed(x, decimals: 2) }
}

extension Layout {
    /// The lints of this layout with `options` (see `Linter`).
    public func lints(options: LintOptions = LintOptions()) -> [Lint] {
        Linter(self, options: options).run()
    }
}
