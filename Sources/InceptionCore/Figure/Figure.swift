/// The figure of a block as the papers draw it (GoogLeNet Fig. 2, Inception-v3 Figs. 5-7): the
/// input at the bottom, one column per branch, each layer a box, nested blocks inside their branch,
/// the join on top. An inception block is series-parallel, so the model is a tree of sequences and
/// parallel groups; no general graph is needed.
///
/// The model holds what every renderer needs (terminal, SVG, Graphviz) and nothing of how they draw
/// it. It is built from a layout by `FigureBuilder` (the one file that reads `Op`), so a change of
/// the layout tree touches that file only.
public struct BlockFigure: Equatable, Sendable {
    /// The network's name, for titles.
    public var network: String
    /// What feeds the block ("Previous layer" and its shape): the bottom of the figure.
    public var input: Shape?
    public var block: FigureBlock

    public init(network: String, input: Shape?, block: FigureBlock) {
        self.network = network
        self.input = input
        self.block = block
    }
}

/// The whole network as one column (the paper's tall GoogLeNet figure): the input at the bottom,
/// then every top-level layer and block in order. Blocks keep their branches, so a renderer may
/// draw them collapsed (one box) or open.
public struct NetworkFigure: Equatable, Sendable {
    public var network: String
    public var input: Shape
    public var output: Shape?
    public var items: [FigureNode]
    public var stats: FigureStats

    public init(network: String, input: Shape, output: Shape?, items: [FigureNode], stats: FigureStats) {
        self.network = network
        self.input = input
        self.output = output
        self.items = items
        self.stats = stats
    }
}

/// One item of a sequence: a layer's box, or a block drawn inside the sequence.
public enum FigureNode: Equatable, Sendable {
    case box(FigureBox)
    indirect case block(FigureBlock)

    public var address: NodeAddress {
        switch self {
        case .box(let b): b.address
        case .block(let b): b.address
        }
    }

    public var path: String {
        switch self {
        case .box(let b): b.path
        case .block(let b): b.path
        }
    }

    public var stats: FigureStats {
        switch self {
        case .box(let b): b.stats
        case .block(let b): b.stats
        }
    }

    public var mark: FigureMark {
        switch self {
        case .box(let b): b.mark
        case .block(let b): b.mark
        }
    }
}

/// One layer: a box with its op ("1x1 conv 64") and its figures.
public struct FigureBox: Equatable, Sendable {
    public var address: NodeAddress
    public var path: String
    /// The paper's wording, short: "1x1 conv 64", "3x3 max pool", "5x5 conv 32 /2".
    public var label: String
    /// At most ~8 columns, for narrow panes: "1x1 64", "max 3x3".
    public var shortLabel: String
    public var category: FigureCategory
    public var stats: FigureStats
    public var mark: FigureMark

    public init(
        address: NodeAddress, path: String, label: String, shortLabel: String, category: FigureCategory,
        stats: FigureStats, mark: FigureMark = .same
    ) {
        self.address = address
        self.path = path
        self.label = label
        self.shortLabel = shortLabel
        self.category = category
        self.stats = stats
        self.mark = mark
    }
}

/// A block: how its input reaches the branches, the branches side by side, and how their outputs join.
public struct FigureBlock: Equatable, Sendable {
    public var address: NodeAddress
    public var path: String
    /// The block's own name ("inception_3a"; a nested block's index when unnamed).
    public var name: String
    public var fanOut: FigureFanOut
    public var branches: [FigureBranch]
    public var join: FigureJoin
    /// The block's totals (the sum of its branches) and its output shape.
    public var stats: FigureStats
    public var mark: FigureMark

    public init(
        address: NodeAddress, path: String, name: String, fanOut: FigureFanOut = .copy, branches: [FigureBranch],
        join: FigureJoin, stats: FigureStats, mark: FigureMark = .same
    ) {
        self.address = address
        self.path = path
        self.name = name
        self.fanOut = fanOut
        self.branches = branches
        self.join = join
        self.stats = stats
        self.mark = mark
    }
}

/// One column of a block. A branch without items is an identity shortcut (a residual block's `x`).
public struct FigureBranch: Equatable, Sendable {
    public var address: NodeAddress
    public var path: String
    public var name: String
    /// Bottom to top: the first layer the input meets comes first.
    public var items: [FigureNode]
    public var stats: FigureStats
    public var mark: FigureMark

    public init(
        address: NodeAddress, path: String, name: String, items: [FigureNode], stats: FigureStats,
        mark: FigureMark = .same
    ) {
        self.address = address
        self.path = path
        self.name = name
        self.items = items
        self.stats = stats
        self.mark = mark
    }

    public var isIdentity: Bool { items.isEmpty }
}

/// How a block's input reaches its branches: every branch gets all of it (Inception), or each gets a
/// slice of its channels (InceptionNeXt's split, "split 672/96/96/96").
public enum FigureFanOut: Equatable, Sendable {
    case copy
    case split([Int])

    /// The text on the fan-out bus; nil when every branch simply gets the input.
    public func label(ascii: Bool) -> String? {
        switch self {
        case .copy: nil
        case .split(let sizes): "split " + sizes.map(String.init).joined(separator: "/")
        }
    }
}

/// How a block's branches meet: concatenated along channels (the paper's "Filter concatenation"),
/// or summed (a residual block, its residual branch scaled, then the sum's activation if it has
/// one: "⊕ ×0.17 → relu"; Inception-ResNet's last block and Xception's have none).
public enum FigureJoin: Equatable, Sendable {
    case concat
    case sum(scale: Double?, activation: Activation = .none)

    /// The join's text: "Filter concatenation" on a top-level block, "concat" nested (short);
    /// "⊕ ×0.17 → relu" / "+ x0.17 -> relu" for a sum (the arrow part only when it has an activation).
    public func label(short: Bool, ascii: Bool) -> String {
        switch self {
        case .concat:
            return short ? "concat" : "Filter concatenation"
        case .sum(let scale, let activation):
            let plus = ascii ? "+" : "⊕"
            let after = activation == .none ? "" : " \(ascii ? "->" : "→") \(activation.rawValue)"
            guard let scale, scale != 1 else { return (short ? plus : "\(plus) sum") + after }
            return
                "\(plus) \(ascii ? "x" : "×")\(NumberFormat.fixed(scale, decimals: scale * 100 == (scale * 100).rounded() ? 2 : 3))"
                + after
        }
    }
}

/// What a box is, for colour (Netron's categories; d2l's figure fills main ops and leaves the 1x1
/// reductions white).
public enum FigureCategory: String, Equatable, Sendable, CaseIterable {
    /// A conv that is a branch's main op (or stands alone).
    case conv
    /// A 1x1 conv that only reduces channels before a larger conv of the same branch.
    case reduction
    case pool, norm, linear
    /// Dropout, softmax and the like.
    case other
}

/// The figures a box can show on its second line: exact counts and the output shape, plus the
/// block's share and a measured time when the renderer has them.
public struct FigureStats: Equatable, Sendable {
    public var params: Int
    public var macs: Int
    public var output: Shape?
    /// This node's MACs over its block's MACs (0...1); nil for the block itself or a network item.
    public var share: Double?
    /// A measured median in milliseconds (after `r`); nil when not timed.
    public var timeMs: Double?
    /// The analysis found this node invalid.
    public var invalid: Bool

    public init(
        params: Int = 0, macs: Int = 0, output: Shape? = nil, share: Double? = nil, timeMs: Double? = nil,
        invalid: Bool = false
    ) {
        self.params = params
        self.macs = macs
        self.output = output
        self.share = share
        self.timeMs = timeMs
        self.invalid = invalid
    }
}

/// How a node compares with the same path in another figure (the layout as loaded, or the `=`
/// compare's other side): drawn as a mark on the box with the delta.
public enum FigureMark: Equatable, Sendable {
    case same
    /// On both sides with different figures: the deltas, current minus other.
    case changed(params: Int, macs: Int)
    case added
    /// Only in the other figure: drawn where it was, so the user sees what went.
    case removed

    public var isSame: Bool { self == .same }
}

extension BlockFigure {
    /// The branches named without the prefix they all share ("branch1x1", "branch3x3dbl",
    /// "branch_pool" → "1x1", "3x3dbl", "pool"), for one box per branch in a narrow pane. Names stay
    /// as they are when stripping would leave one empty.
    public func withShortBranchNames() -> BlockFigure {
        let names = block.branches.map(\.name)
        guard names.count > 1, var prefix = names.first else { return self }
        for n in names.dropFirst() { while !n.hasPrefix(prefix) { prefix.removeLast() } }
        guard !prefix.isEmpty else { return self }
        let short = names.map { n -> String in
            var s = Substring(n.dropFirst(prefix.count))
            while s.first == "_" || s.first == "-" || s.first == "/" { s = s.dropFirst() }
            return String(s)
        }
        guard !short.contains(where: \.isEmpty) else { return self }
        var out = self
        for i in out.block.branches.indices { out.block.branches[i].name = short[i] }
        return out
    }
}
