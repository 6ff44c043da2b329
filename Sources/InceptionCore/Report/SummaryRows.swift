/// The rows every summary format prints: one per node, in pre-order, with the text columns already
/// worked out, so table, CSV, Markdown and JSON agree on what they say.
public struct SummaryRow: Sendable {
    public var stats: NodeStats
    /// The node's own name (last path component), for tree-indented display.
    public var name: String
    /// `conv 3x3/1 → 128`, or `branch` / `identity` / `branch ×0.17` for branch rows.
    public var opText: String
    /// The op tag JSON uses: the layout op, or "branch".
    public var opTag: String
    /// A top-level block's kind, "×N" on the first of a run of repeated blocks (`BlockRuns.label`);
    /// "" on every other row.
    public var kind = ""
}

/// A whole-layout summary: the rows to show (limited by depth) and the totals.
public struct Summary: Sendable {
    public let layout: Layout
    public let analysis: Analysis
    public let rows: [SummaryRow]
    /// Repeated blocks and every top-level block's kind.
    public let runs: BlockRuns

    /// - Parameter depth: show nodes whose depth is below this many levels (nil: all). Depth 1 shows
    ///   only top-level layers and blocks; depth 2 adds branches; depth 3 their layers.
    public init(_ layout: Layout, batch: Int = 1, depth: Int? = nil, ascii: Bool = false) {
        self.init(layout, analysis: Analysis(layout, batch: batch), depth: depth, ascii: ascii)
    }

    public init(_ layout: Layout, analysis: Analysis, depth: Int? = nil, ascii: Bool = false) {
        self.layout = layout
        self.analysis = analysis
        let runs = BlockRuns(layout, analysis: analysis)
        self.runs = runs
        var rows: [SummaryRow] = []
        rows.reserveCapacity(analysis.nodes.count)
        for stats in analysis.nodes where depth.map({ stats.depth < $0 }) ?? true {
            let name = stats.path.split(separator: "/").last.map(String.init) ?? stats.path
            if stats.isBranch {
                let text =
                    layout.node(at: stats.address).flatMap { node -> String? in
                        if case .branch(let b) = node { return OpLabel.branch(b, ascii: ascii) }
                        return nil
                    } ?? "branch"
                rows.append(SummaryRow(stats: stats, name: name, opText: text, opTag: "branch"))
            } else if let layer = layout.layer(at: stats.address) {
                let kind = stats.depth == 0 ? runs.label(stats.address.steps[0], ascii: ascii) : ""
                rows.append(
                    SummaryRow(
                        stats: stats, name: name, opText: OpLabel.text(layer.op, ascii: ascii),
                        opTag: layer.op.kind.rawValue, kind: kind))
            }
        }
        self.rows = rows
    }

    /// Whether any row has a kind (the table and the Markdown show a Kind column then).
    public var hasKinds: Bool { runs.kinds.contains { $0 != nil } || !runs.runs.isEmpty }

    /// The counting convention, stated under every table.
    public static let convention =
        "MACs = multiply-accumulates of conv and linear layers (biases not counted); FLOPs = 2 x MACs. "
        + "Params = weights + biases + 2 per batchnorm channel; batchnorm running mean/var are buffers."
}
