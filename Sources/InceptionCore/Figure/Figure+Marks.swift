/// Marks a figure against another figure of the same block (the layout as loaded, or the other side
/// of a compare): nodes are matched by path, as `LayoutDiff` matches them. Changed boxes carry their
/// deltas, added ones are marked, and removed ones come back where they were, marked, so the figure
/// shows what went. Works on the model only (it reads no layout).
extension BlockFigure {
    public func marked(against other: BlockFigure?) -> BlockFigure {
        guard let other else { return self }
        var out = self
        out.block = Marker.block(block, other.block)
        return out
    }
}

extension NetworkFigure {
    public func marked(against other: NetworkFigure?) -> NetworkFigure {
        guard let other else { return self }
        var out = self
        out.items = Marker.sequence(items, other.items)
        return out
    }
}

private enum Marker {
    static func mark(_ now: FigureStats, _ then: FigureStats) -> FigureMark {
        now.params == then.params && now.macs == then.macs && now.output == then.output
            ? .same : .changed(params: now.params &- then.params, macs: now.macs &- then.macs)
    }

    static func block(_ now: FigureBlock, _ then: FigureBlock) -> FigureBlock {
        var out = now
        out.mark = mark(now.stats, then.stats)
        var branches: [FigureBranch] = []
        for b in now.branches {
            if let old = then.branches.first(where: { $0.path == b.path }) {
                var merged = b
                merged.items = sequence(b.items, old.items)
                merged.mark = mark(b.stats, old.stats)
                branches.append(merged)
            } else {
                branches.append(marking(b, .added))
            }
        }
        // Removed branches where they were (by their old index, clamped).
        for (i, old) in then.branches.enumerated() where !now.branches.contains(where: { $0.path == old.path }) {
            branches.insert(marking(old, .removed), at: min(i, branches.count))
        }
        out.branches = branches
        return out
    }

    static func sequence(_ now: [FigureNode], _ then: [FigureNode]) -> [FigureNode] {
        var out: [FigureNode] = now.map { node in
            guard let old = then.first(where: { $0.path == node.path }) else { return marking(node, .added) }
            switch (node, old) {
            case (.box(var b), .box(let o)):
                b.mark =
                    b.label == o.label
                    ? mark(b.stats, o.stats)
                    : .changed(
                        params: b.stats.params &- o.stats.params,
                        macs: b.stats.macs &- o.stats.macs)
                return .box(b)
            case (.block(let b), .block(let o)):
                return .block(block(b, o))
            default:
                return marking(node, .added)
            }
        }
        for (i, old) in then.enumerated() where !now.contains(where: { $0.path == old.path }) {
            out.insert(marking(old, .removed), at: min(i, out.count))
        }
        return out
    }

    static func marking(_ node: FigureNode, _ m: FigureMark) -> FigureNode {
        switch node {
        case .box(var b):
            b.mark = m
            return .box(b)
        case .block(var b):
            b.mark = m
            b.branches = b.branches.map { marking($0, m) }
            return .block(b)
        }
    }

    static func marking(_ branch: FigureBranch, _ m: FigureMark) -> FigureBranch {
        var b = branch
        b.mark = m
        b.items = b.items.map { marking($0, m) }
        return b
    }
}
