/// Builds figures from a layout and its analysis. This is the ONE file of the figure code that reads
/// the layout tree (`Op` cases): when blocks change shape (branches plus a join: concat, a residual
/// sum with its scale, a channel split), only this file changes; the model, the layout of the
/// figure and its renderers stay as they are.
public enum FigureBuilder {
    /// The figure of the block at `address`; nil when no block is there.
    /// - Parameter times: measured medians in ms by node path (a timing's layers and branches).
    public static func block(
        at address: NodeAddress, layout: Layout, analysis: Analysis,
        times: [String: Double] = [:]
    ) -> BlockFigure? {
        guard let layer = layout.layer(at: address), case .block(let b) = layer.op,
            let stats = analysis.stats(at: address)
        else { return nil }
        let context = Context(analysis: analysis, times: times, blockMACs: stats.macs)
        let block = context.block(
            b, address: address, stats: stats, name: layer.name ?? String(address.steps.last ?? 0))
        return BlockFigure(network: layout.name, input: stats.input, block: block)
    }

    /// The whole network as a column of top-level layers and blocks (aux heads, training only, left out).
    public static func network(layout: Layout, analysis: Analysis, times: [String: Double] = [:]) -> NetworkFigure {
        let context = Context(analysis: analysis, times: times, blockMACs: nil)
        var items: [FigureNode] = []
        for (i, layer) in layout.layers.enumerated() {
            if case .aux = layer.op { continue }
            if let node = context.node(layer, address: NodeAddress([i])) { items.append(node) }
        }
        let t = analysis.totals
        return NetworkFigure(
            network: layout.name, input: layout.input, output: analysis.output, items: items,
            stats: FigureStats(
                params: t.params, macs: t.macs, output: analysis.output,
                timeMs: times[""], invalid: !analysis.isValid))
    }

    /// The top-level block that holds `address` (the block `v` draws); nil on the network row or a
    /// top-level layer that is not a block.
    public static func enclosingBlock(of address: NodeAddress, in layout: Layout) -> NodeAddress? {
        guard let first = address.steps.first, layout.layers.indices.contains(first),
            case .block = layout.layers[first].op
        else { return nil }
        return NodeAddress([first])
    }

    /// Whether the node at `address` is a block (its figure nests columns).
    public static func isBlock(_ address: NodeAddress, in layout: Layout) -> Bool {
        if case .block? = layout.layer(at: address)?.op { return true }
        return false
    }

    private struct Context {
        let analysis: Analysis
        let times: [String: Double]
        /// The MACs of the block being drawn, for shares; nil in the network column.
        let blockMACs: Int?

        func stats(_ s: NodeStats?) -> FigureStats {
            guard let s else { return FigureStats(invalid: true) }
            let share = blockMACs.map { $0 > 0 ? Double(s.macs) / Double($0) : 0 }
            return FigureStats(
                params: s.params, macs: s.macs, output: s.output, share: share, timeMs: times[s.path],
                invalid: s.error != nil || analysis.mismatchedBranches.contains(s.address))
        }

        func block(_ block: Block, address: NodeAddress, stats s: NodeStats, name: String) -> FigureBlock {
            let columns = block.branches.enumerated().map { b, branch in
                let a = address.appending(b)
                let bs = analysis.stats(at: a)
                return FigureBranch(
                    address: a, path: bs?.path ?? "", name: branch.name ?? String(b),
                    items: sequence(branch.layers, prefix: a), stats: stats(bs))
            }
            var blockStats = stats(s)
            if blockMACs == s.macs && s.depth == 0 { blockStats.share = nil }
            // A split cuts the input's channels at the bottom bus ("split 672/96/96/96"); its
            // branches' outputs are concatenated on top.
            let fanOut: FigureFanOut = if case .split(let sizes) = block.join { .split(sizes) } else { .copy }
            return FigureBlock(
                address: address, path: s.path, name: name, fanOut: fanOut, branches: columns,
                join: Self.join(block), stats: blockStats)
        }

        /// A sum's scale is its branches' (Inception-ResNet scales the residual branch, the
        /// shortcut keeps 1): the one scale other than 1, shown on the join with the sum's
        /// activation ("⊕ ×0.17 → relu").
        static func join(_ block: Block) -> FigureJoin {
            switch block.join {
            case .concat, .split:
                return .concat
            case .sum(let activation):
                let scales = Set(block.branches.map(\.scale).filter { $0 != 1 })
                return .sum(scale: scales.count == 1 ? scales.first : nil, activation: activation)
            }
        }

        func sequence(_ layers: [Layer], prefix: NodeAddress) -> [FigureNode] {
            var out: [FigureNode] = []
            for (i, layer) in layers.enumerated() {
                guard var node = node(layer, address: prefix.appending(i)) else { continue }
                // A 1x1 conv that feeds a larger conv (or a nested block) later in its branch only
                // reduces channels: the paper's "3x3 reduce", drawn white.
                if case .box(var box) = node, box.category == .conv, case .conv(let c) = layer.op,
                    c.kernel == Pair(1, 1),
                    layers[(i + 1)...].contains(where: Self.isSpatial)
                {
                    box.category = .reduction
                    node = .box(box)
                }
                out.append(node)
            }
            return out
        }

        /// A dense spatial conv or a block: what a 1x1 in front of it reduces for. Not a depthwise or
        /// grouped conv: Xception's 1x1 before its next separable conv's depthwise half widens, it
        /// is no "reduce" to draw white.
        static func isSpatial(_ layer: Layer) -> Bool {
            switch layer.op {
            case .conv(let c): c.kernel != Pair(1, 1) && c.groups == 1
            case .block: true
            default: false
            }
        }

        func node(_ layer: Layer, address: NodeAddress) -> FigureNode? {
            let s = analysis.stats(at: address)
            let path = s?.path ?? ""
            switch layer.op {
            case .block(let b):
                guard let s else { return nil }
                return .block(block(b, address: address, stats: s, name: layer.name ?? String(address.steps.last ?? 0)))
            case .aux:
                return nil
            default:
                let (label, short, category) = FigureBuilder.describe(layer.op)
                return .box(
                    FigureBox(
                        address: address, path: path, label: label, shortLabel: short, category: category,
                        stats: stats(s)))
            }
        }
    }
}

extension FigureBuilder {
    /// The paper's short wording ("1x1 conv 64", "3x3 max pool", "7x7 conv 64 /2"): each leaf
    /// op's rules say it (`LeafRules.figureLabel`), so a new kind has its box text where its other
    /// rules live; only the two composite kinds are worded here.
    static func describe(_ op: Op) -> (String, String, FigureCategory) {
        if let leaf = op.leaf { return (leaf.figureLabel, leaf.figureShortLabel, leaf.figureCategory) }
        switch op {
        case .block(let b): return ("block (\(b.branches.count) branches)", "block", .other)
        default: return ("aux head", "aux", .other)
        }
    }
}
