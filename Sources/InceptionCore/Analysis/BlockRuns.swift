/// Repeated blocks: runs of consecutive top-level blocks with the same structure (Inception-v4's
/// 4 × InceptionA, 7 × InceptionB, 3 × InceptionC; Inception-ResNet-v2's 10 / 20 / 9 residual
/// blocks), and each block's kind, for the explorer tree, `summary` and the report (as torchinfo
/// users expect of a network built from repeated modules).
///
/// **Same structure** (`sameStructure`): two layers are equal once every name in them is removed —
/// the layer's own, its branches' and their layers', at every depth. So the same ops in the same
/// tree of branches, with every attribute the layout format stores equal: kernels, strides, pads,
/// output widths, activations, batchnorm, bias, groups, pool modes, branch scales and the join.
/// Input widths are not compared (they follow from the layer before): Inception-v3's Mixed_5c and
/// Mixed_5d take 256 and 288 channels and are one run. A run is two or more such blocks in a row.
///
/// **Kind**: the class the PyTorch export writes for the block (`InceptionA`, `ResidualB`, ...), so
/// `summary` and a `.py` export name a block alike: the export shares one class between blocks
/// whose class bodies are equal (structure and names, widths aside as constructor arguments). Kinds
/// are nil when the layout cannot be exported to PyTorch (runs are still found).
public struct BlockRuns: Equatable, Sendable {
    public struct Run: Equatable, Sendable {
        /// Index of the run's first block in `layout.layers`.
        public var start: Int
        public var count: Int
        public var range: Range<Int> { start..<(start + count) }
    }

    /// Per top-level layer: its kind (blocks only; nil when the export cannot say).
    public let kinds: [String?]
    public let runs: [Run]

    /// No blocks, no runs.
    public static let empty = BlockRuns(kinds: [], runs: [])

    private init(kinds: [String?], runs: [Run]) {
        self.kinds = kinds
        self.runs = runs
    }

    public init(_ layout: Layout, analysis: Analysis? = nil) {
        let layers = layout.layers
        var runs: [Run] = []
        var i = 0
        while i < layers.count {
            guard layers[i].op.block != nil else { i += 1; continue }
            let key = Self.unnamed(layers[i])
            var j = i + 1
            while j < layers.count, layers[j].op.block != nil, Self.unnamed(layers[j]) == key { j += 1 }
            if j - i >= 2 { runs.append(Run(start: i, count: j - i)) }
            i = j
        }
        self.runs = runs
        let byIndex = PyTorchExport.blockKinds(layout, analysis: analysis)
        kinds = layers.indices.map { layers[$0].op.block == nil ? nil : byIndex[$0] }
    }

    /// The run that starts at top-level index `index`, if any.
    public func run(startingAt index: Int) -> Run? { runs.first { $0.start == index } }

    /// The run that holds top-level index `index`, if any.
    public func run(containing index: Int) -> Run? { runs.first { $0.range.contains(index) } }

    /// "InceptionD ×4" on a run's first block, "InceptionD" on a block, "" elsewhere (`×` is `x`
    /// in ASCII).
    public func label(_ index: Int, ascii: Bool = false) -> String {
        guard index < kinds.count else { return "" }
        let kind = kinds[index] ?? (run(containing: index) != nil ? "block" : "")
        guard let run = run(startingAt: index) else { return kind }
        return kind + (ascii ? " x" : " ×") + String(run.count)
    }

    /// Whether `a` and `b` have the same structure (see the type's comment).
    public static func sameStructure(_ a: Layer, _ b: Layer) -> Bool { unnamed(a) == unnamed(b) }

    /// `layer` with every name in it removed.
    static func unnamed(_ layer: Layer) -> Layer {
        switch layer.op {
        case .block(let block):
            let branches = block.branches.map { Branch(scale: $0.scale, layers: $0.layers.map(unnamed)) }
            return Layer(.block(Block(branches: branches, join: block.join)))
        case .aux(let inner):
            return Layer(.aux(layers: inner.map(unnamed)))
        default:
            return Layer(layer.op)
        }
    }
}
