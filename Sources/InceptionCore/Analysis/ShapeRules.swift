/// The shape and count rules of one layer, given its input shape: each op's rules compute them
/// (`Sources/InceptionCore/Ops`); the walker in `Analysis.swift` threads shapes through the tree
/// and sums these up.
///
/// Conventions (stated in every report): MACs as in fvcore (conv and linear only, biases not
/// counted), FLOPs = 2·MACs; params are trainable weights + biases + 2 per batchnorm channel (γ, β);
/// batchnorm running mean and variance are buffers, 2 per channel.
struct LayerFigures {
    var output: Shape
    var params = 0
    var buffers = 0
    /// Per sample.
    var macs = 0
    /// The kernel this layer slides over its input, for the receptive field: (k, stride), or nil
    /// when the layer looks at its whole input (global pool, linear), or (1, 1) for pointwise ops.
    var window: (kernel: Pair, stride: Pair)?
}

enum ShapeRules {
    /// Output size of a convolution along one axis: floor((n + 2p − k) / s) + 1.
    static func convOut(_ n: Int, kernel k: Int, stride s: Int, pad p: Int) -> Int? {
        let padded = n + 2 * p
        guard k <= padded else { return nil }
        return (padded - k) / s + 1
    }

    /// Output size of a pool along one axis; in ceil mode ceil((n + 2p − k) / s) + 1, minus one
    /// when the last window would start past n + p (PyTorch's rule, which Caffe's GoogLeNet needs).
    static func poolOut(_ n: Int, kernel k: Int, stride s: Int, pad p: Int, ceil: Bool) -> Int? {
        let padded = n + 2 * p
        guard k <= padded else { return nil }
        guard ceil else { return (padded - k) / s + 1 }
        var out = (padded - k + s - 1) / s + 1
        if (out - 1) * s >= n + p { out -= 1 }
        return out
    }

    /// The figures of a leaf op on `input` (its rules' `figures`), or a message saying what is
    /// wrong (the caller adds the node path). Blocks and aux heads are composite: the walker
    /// handles them.
    static func figures(_ op: Op, input: Shape) throws(RuleError) -> LayerFigures {
        guard let leaf = op.leaf else { return LayerFigures(output: input) }
        return try leaf.figures(input: input)
    }
}

enum RuleError: Error {
    case message(String)
    case overflow

    var text: String {
        switch self {
        case .message(let m): m
        case .overflow: "counts overflow 64-bit integers"
        }
    }
}
