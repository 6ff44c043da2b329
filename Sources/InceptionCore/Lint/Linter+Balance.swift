/// width-depth-balance: the share of spatial (3x3, 5x5, 1 x n ...) convs should grow with depth.
///
/// Top-level inception blocks are grouped into stages by their output grid (consecutive blocks with
/// the same H x W); a stage's share is the sum over its blocks of the measured part divided by the
/// sum of the whole (so bigger blocks weigh more):
/// - `.channels` (default): output channels of branches holding a conv with a kernel larger than
///   1x1, over all output channels — GoogLeNet's "ratio of 3x3 and 5x5 convolutions";
/// - `.macs`: MACs of convs with a kernel larger than 1x1, over the blocks' MACs.
/// It fires at the first block of a stage whose share is more than balanceDrop (absolute) below the
/// previous stage's. Per-block wiggles are not flagged: GoogLeNet's own Table 1 goes up and down
/// within a stage.
extension Linter {
    struct Stage {
        var grid: (Int, Int)
        var first: NodeStats
        var names: [String] = []
        var part = 0.0
        var whole = 0.0
        var share: Double { whole > 0 ? part / whole : 0 }
    }

    func stages() -> [Stage] {
        var stages: [Stage] = []
        for s in topLevel() {
            guard let out = s.output, let branches = layout.layer(at: s.address)?.op.block?.branches else { continue }
            let (part, whole) = share(of: s, branches)
            if let last = stages.last, last.grid == (out.height, out.width) {
                stages[stages.count - 1].names.append(s.path)
                stages[stages.count - 1].part += part
                stages[stages.count - 1].whole += whole
            } else {
                stages.append(Stage(grid: (out.height, out.width), first: s, names: [s.path], part: part, whole: whole))
            }
        }
        return stages
    }

    private func share(of block: NodeStats, _ branches: [Branch]) -> (Double, Double) {
        switch options.balanceMeasure {
        case .channels:
            var part = 0.0, whole = 0.0
            for b in branches.indices {
                guard let out = analysis.stats(at: block.address.appending(b))?.output else { continue }
                whole += Double(out.channels)
                if Self.hasSpatialConv(branches[b].layers) { part += Double(out.channels) }
            }
            return (part, whole)
        case .macs:
            // The block's convs are the contiguous run of nodes after it one level deeper or more
            // (pre-order), so only they are visited: scanning every conv per block was quadratic.
            var part = 0.0
            for (s, conv) in convs(inTopLevel: block) where !conv.isPointwise { part += Double(s.macs) }
            return (part, Double(block.macs))
        }
    }

    /// The main-path convs inside the top-level node `block` (binary search on the address order).
    func convs(inTopLevel block: NodeStats) -> ArraySlice<(stats: NodeStats, conv: Conv)> {
        guard let top = block.address.steps.first else { return [] }
        var lo = 0, hi = convs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (convs[mid].stats.address.steps.first ?? 0) < top { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < convs.count, convs[end].stats.address.steps.first == top { end += 1 }
        return convs[lo..<end]
    }

    static func hasSpatialConv(_ layers: [Layer]) -> Bool {
        layers.contains { l in
            if case .conv(let c) = l.op { return !c.isPointwise }
            return l.op.block?.branches.contains { hasSpatialConv($0.layers) } ?? false
        }
    }

    func balance() -> [Lint] {
        let all = stages()
        var out: [Lint] = []
        let what =
            options.balanceMeasure == .channels
            ? "of output channels from branches with 3x3/5x5-type convs"
            : "of MACs in 3x3/5x5-type convs"
        for (prev, next) in zip(all, all.dropFirst()) where prev.share - next.share > options.balanceDrop {
            out.append(
                Lint(
                    id: .widthDepthBalance, path: next.first.path, address: next.first.address,
                    measured:
                        "stage \(next.grid.0)x\(next.grid.1) (\(Self.span(next.names))): \(Self.pct(next.share)) \(what), "
                        + "down from \(Self.pct(prev.share)) at \(prev.grid.0)x\(prev.grid.1) (\(Self.span(prev.names)))",
                    suggestion:
                        "widen the 3x3/5x5 branches (+/w on their convs) or narrow the 1x1 and pool branches in the later stage"
                ))
        }
        return out
    }

    static func span(_ names: [String]) -> String {
        guard let f = names.first, let l = names.last else { return "" }
        return names.count == 1 ? f : "\(f)..\(l)"
    }
}
