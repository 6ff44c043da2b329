/// Everything the core knows about one kind of leaf op, in one place: its JSON keys, how it is
/// read and written, what makes its values invalid (one rule for the decoder and the analysis),
/// its shape and counts, and its labels. Each kind has a file in this folder; the two dispatches
/// below are the only switches that list the leaf kinds. Other modules add their part where they
/// live (the runtime's plan step, the ONNX mapping, the torch text), and the conformance tests
/// iterate `Op.Kind.allCases`, so a kind that misses a place fails a test.
///
/// `LeafFormat` is the part known from the kind alone (keys, decoding); `LeafRules` the part of an
/// op value. Most rules types are both; `maxpool` and `avgpool` share one `PoolRules` value.
protocol LeafFormat {
    static var kind: Op.Kind { get }
    /// The keys a layer of this kind may hold, "op" and "name" first, then the fields in the
    /// order the canonical encoder writes them.
    static var keys: [String] { get }
    /// Reads the op's fields from `object` (keys already checked), throwing at the first problem
    /// with its JSON path.
    static func decode(_ object: JSONObject, _ decoder: LayoutDecoder) throws(LayoutError) -> Op
}

protocol LeafRules {
    /// Appends `, "key": value` for each field that differs from its default, in `keys` order.
    func encodeFields(into out: inout String)
    /// What is wrong with the op's own values, at which key; nil when nothing. The decoder throws it
    /// at the key, the analysis marks the node with it (edits can make values the decoder refuses).
    var problem: (key: String, message: String)? { get }
    /// The output shape, counts and window on `input`, or why the op cannot run there.
    func figures(input: Shape) throws(RuleError) -> LayerFigures
    /// The step of the op's sliding window: a conv's or pool's stride, 1x1 for every other op.
    var stride: Pair { get }
    /// `conv 3x3/1 → 128`: summary tables, the tree, the panels.
    func label(ascii: Bool) -> String
    /// At most ~12 columns: `3x3/1 → 128`, for narrow tree panes.
    func shortLabel(ascii: Bool) -> String
    /// The op as the papers' figures word it, on a diagram box: `1x1 conv 64`, `3x3 max pool /2`
    /// (issue 23). ASCII: the same figure model is drawn with `--ascii`.
    var figureLabel: String { get }
    /// The figure box's text when boxes are narrow: `1x1 64`, `max 3x3`.
    var figureShortLabel: String { get }
    /// The box's colour class (Netron's categories).
    var figureCategory: FigureCategory { get }
}

extension LeafRules {
    var stride: Pair { Pair(1, 1) }
}

extension Op {
    /// The rules of a leaf op, nil for a block or an aux head.
    var leaf: (any LeafRules)? {
        switch self {
        case .conv(let c): ConvRules(conv: c)
        case .maxpool(let p): PoolRules(pool: p, average: false)
        case .avgpool(let p): PoolRules(pool: p, average: true)
        case .globalavgpool: GlobalAvgPoolRules()
        case .lrn(let l): LRNRules(lrn: l)
        case .dropout(let rate): DropoutRules(rate: rate)
        case .softmax: SoftmaxRules()
        case .relu: ReluRules()
        case .batchnorm(let eps): BatchNormRules(epsilon: eps)
        case .gelu: GeluRules()
        case .layernorm(let eps): LayerNormRules(epsilon: eps)
        case .layerscale: LayerScaleRules()
        case .l2norm(let eps): L2NormRules(epsilon: eps)
        case .linear(let l): LinearRules(linear: l)
        case .block, .aux: nil
        }
    }
}

extension Op.Kind {
    /// The format rules of a leaf kind, nil for `inception` and `aux`.
    var leafFormat: (any LeafFormat.Type)? {
        switch self {
        case .conv: ConvRules.self
        case .maxpool: MaxPoolRules.self
        case .avgpool: AvgPoolRules.self
        case .globalavgpool: GlobalAvgPoolRules.self
        case .lrn: LRNRules.self
        case .dropout: DropoutRules.self
        case .softmax: SoftmaxRules.self
        case .relu: ReluRules.self
        case .batchnorm: BatchNormRules.self
        case .gelu: GeluRules.self
        case .layernorm: LayerNormRules.self
        case .layerscale: LayerScaleRules.self
        case .l2norm: L2NormRules.self
        case .linear: LinearRules.self
        case .inception, .aux: nil
        }
    }

    /// Whether layers of this kind hold other nodes.
    public var isComposite: Bool { leafFormat == nil }
}

/// Field writers the rules share.
enum FieldText {
    static func add(_ key: String, _ value: String, into out: inout String) {
        out += ", \"\(key)\": " + value
    }

    /// `3` for a square pair, `[1, 7]` otherwise.
    static func pair(_ p: Pair) -> String { p.isSquare ? String(p.h) : "[\(p.h), \(p.w)]" }

    /// "1" or "1x2": a stride in labels.
    static func stride(_ s: Pair) -> String { s.isSquare ? "\(s.h)" : "\(s.h)x\(s.w)" }

    /// " /2" after a figure label for a stride other than 1 (the papers' "7x7 conv 64 /2").
    static func figureStride(_ s: Pair) -> String { s == Pair(1, 1) ? "" : " /" + (s.isSquare ? "\(s.h)" : "\(s)") }
}
