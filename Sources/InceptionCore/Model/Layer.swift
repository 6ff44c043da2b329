/// One node of a layout: an optional name (unique among its siblings, no "/") and an operation.
///
/// A layer without a name is addressed by its 0-based index in its list (see `NodePath`).
public struct Layer: Equatable, Hashable, Sendable {
    public var name: String?
    public var op: Op

    public init(name: String? = nil, _ op: Op) {
        self.name = name
        self.op = op
    }
}

/// One branch of a block. Every branch gets the block's input; the block's join makes one tensor of
/// the branches' outputs.
public struct Branch: Equatable, Hashable, Sendable {
    public var name: String?
    /// A constant the branch's output is multiplied by before a sum join (Inception-ResNet's 0.17,
    /// 0.10, 0.20): not a parameter. 1 everywhere else; only a sum join may set it.
    public var scale: Double
    public var layers: [Layer]

    public init(name: String? = nil, scale: Double = 1, layers: [Layer]) {
        self.name = name
        self.scale = scale
        self.layers = layers
    }
}

/// Branches side by side on one input, and the join that makes one tensor of their outputs. In
/// JSON an `"op": "inception"` layer; `"join"` defaults to `"concat"`, so every file written before
/// joins existed reads (and writes back) unchanged.
public struct Block: Equatable, Hashable, Sendable {
    public var branches: [Branch]
    public var join: Join

    public init(branches: [Branch], join: Join = .concat) {
        self.branches = branches
        self.join = join
    }
}

/// How a block joins its branches' outputs. The one list of joins: every place that treats joins
/// differently switches over `Join.Kind.allCases`' cases, and the conformance tests iterate it.
public enum Join: Equatable, Hashable, Sendable {
    /// Outputs concatenated along channels (GoogLeNet, Inception-v3): grids must agree.
    case concat
    /// Outputs summed elementwise, each times its branch's `scale`, then `activation` (a residual:
    /// Inception-ResNet, Xception). A branch with no layers is the identity shortcut; every branch
    /// must end with the same shape.
    case sum(activation: Activation)
    /// The input's channels cut into `sizes` in order, one slice per branch (InceptionNeXt's
    /// `torch.split`, ONNX `Split`), the branches' outputs concatenated. A branch with no layers
    /// passes its slice through (InceptionNeXt's identity slice). The sizes are fixed by the
    /// input: they must sum to its channels, which the analysis checks (a located error).
    case split(sizes: [Int])

    public enum Kind: String, CaseIterable, Sendable {
        case concat, sum, split
    }

    public var kind: Kind {
        switch self {
        case .concat: .concat
        case .sum: .sum
        case .split: .split
        }
    }

    /// Whether a branch may have no layers (the identity): a sum's shortcut, a split's untouched slice.
    public var allowsEmptyBranch: Bool { kind == .sum || kind == .split }
    /// Whether branches may carry a `scale`.
    public var allowsScale: Bool { kind == .sum }
}

/// The operations of `inception-layout/1`. JSON key `"op"` holds `Op.Kind.rawValue`.
public enum Op: Equatable, Hashable, Sendable {
    case conv(Conv)
    case maxpool(Pool)
    case avgpool(Pool)
    case globalavgpool
    case lrn(LRN)
    case dropout(rate: Double)
    case softmax
    /// A ReLU on its own, not attached to a conv or linear (Xception's pre-activation).
    case relu
    /// An inference batchnorm on its own (not folded into a conv), with its epsilon.
    case batchnorm(epsilon: Double)
    /// GELU on its own, exact (erf) form as torch's default `nn.GELU()` (InceptionNeXt's MLPs).
    case gelu
    /// Layer norm over the channels of each pixel (timm's `LayerNorm2d`; `nn.LayerNorm` on the vector
    /// after a linear, InceptionNeXt's head), with its epsilon; γ and β are parameters.
    case layernorm(epsilon: Double)
    /// A learned per-channel scale γ (InceptionNeXt's layer scale `x · γ.reshape(1, -1, 1, 1)`): a
    /// parameter per channel, unlike a sum branch's constant `scale`.
    case layerscale
    /// Each pixel's channel vector scaled to unit length, y = x / max(‖x‖₂, eps) (`F.normalize`):
    /// the end of facenet-pytorch's face embedding.
    case l2norm(epsilon: Double)
    case linear(Linear)
    /// Branches run side by side on the same input; the block's join makes one output of theirs.
    /// JSON op name "inception" (`Kind.inception`).
    case block(Block)
    /// An auxiliary classifier head fed by the current tensor; the main path continues unchanged.
    /// Counted apart from the inference path (it only exists in training).
    case aux(layers: [Layer])

    /// The JSON op names. Leaf kinds have their rules in `Sources/InceptionCore/Ops` (`LeafRules`);
    /// `inception` (a block) and `aux` hold other nodes (see `Op.block`, `Op.auxLayers`).
    public enum Kind: String, CaseIterable, Sendable {
        case conv, maxpool, avgpool, globalavgpool, lrn, dropout, softmax, relu, batchnorm, gelu, layernorm, layerscale,
            l2norm, linear,
            inception, aux
    }

    /// A concatenating block: what layouts without joins build (`.inception(branches: b)` reads as
    /// it always did).
    public static func inception(branches: [Branch]) -> Op { .block(Block(branches: branches)) }

    public var kind: Kind {
        switch self {
        case .conv: .conv
        case .maxpool: .maxpool
        case .avgpool: .avgpool
        case .globalavgpool: .globalavgpool
        case .lrn: .lrn
        case .dropout: .dropout
        case .softmax: .softmax
        case .relu: .relu
        case .batchnorm: .batchnorm
        case .gelu: .gelu
        case .layernorm: .layernorm
        case .layerscale: .layerscale
        case .l2norm: .l2norm
        case .linear: .linear
        case .block: .inception
        case .aux: .aux
        }
    }
}

/// Activation after a conv or linear layer.
public enum Activation: String, Equatable, Hashable, Sendable {
    case relu, none
}

/// Padding of a conv: explicit per axis, or `"same"` (stride 1, odd kernels: (k − 1) / 2).
public enum Padding: Equatable, Hashable, Sendable {
    case explicit(Pair)
    case same

    /// The pad per axis for a given kernel. `same` is only valid for odd kernels and stride 1, which
    /// validation checks; here it is simply (k − 1) / 2.
    public func resolved(kernel: Pair) -> Pair {
        switch self {
        case .explicit(let p): p
        case .same: Pair((kernel.h - 1) / 2, (kernel.w - 1) / 2)
        }
    }
}

public struct Conv: Equatable, Hashable, Sendable {
    public var out: Int
    public var kernel: Pair
    public var stride: Pair
    public var pad: Padding
    public var bias: Bool
    public var batchnorm: Bool
    public var activation: Activation
    /// Channel groups: each output sees `in / groups` inputs (depthwise when groups = in, as in
    /// Xception's separable convs). `in` and `out` must be divisible by it.
    public var groups: Int

    public init(
        out: Int, kernel: Pair, stride: Pair = Pair(1, 1), pad: Padding = .explicit(Pair(0, 0)),
        bias: Bool = true, batchnorm: Bool = false, activation: Activation = .relu, groups: Int = 1
    ) {
        self.out = out
        self.kernel = kernel
        self.stride = stride
        self.pad = pad
        self.bias = bias
        self.batchnorm = batchnorm
        self.activation = activation
        self.groups = groups
    }
}

/// Max or average pooling window. `stride` defaults to the kernel in JSON.
public struct Pool: Equatable, Hashable, Sendable {
    public var kernel: Pair
    public var stride: Pair
    public var pad: Pair
    /// Ceil mode: output size rounds up, minus one when the last window would start past H + p.
    public var ceil: Bool
    /// Average pool only: padded cells count in the divisor (Caffe and PyTorch default).
    public var countPad: Bool

    public init(kernel: Pair, stride: Pair? = nil, pad: Pair = Pair(0, 0), ceil: Bool = false, countPad: Bool = true) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.pad = pad
        self.ceil = ceil
        self.countPad = countPad
    }
}

/// Local response normalisation across channels: x / (k + alpha/size · Σ x²)^beta (Caffe, ONNX).
public struct LRN: Equatable, Hashable, Sendable {
    public var size: Int
    public var alpha: Double
    public var beta: Double
    public var k: Double

    public init(size: Int = 5, alpha: Double = 1e-4, beta: Double = 0.75, k: Double = 1) {
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
    }

    /// The largest window: what the engine's LRN supports (GoogLeNet uses 5).
    public static let maxSize = 33

    /// The one rule for LRN settings, used by the decoder, the analysis and so `validate`, and
    /// matching what the engine runs: size 1...33, k > 0, alpha ≥ 0, and every number finite in
    /// float32 (the engine computes in float: alpha 1e308 would be infinity there).
    public var problem: (key: String, message: String)? {
        let floatMax = Double(Float.greatestFiniteMagnitude)
        if size < 1 || size > Self.maxSize {
            return ("size", "size must be between 1 and \(Self.maxSize), got \(size)")
        }
        if !(k > 0) || k > floatMax {
            return ("k", "k must be > 0 and at most \(NumberFormat.scientific(floatMax)) (float32), got \(k)")
        }
        if !(alpha >= 0) || alpha > floatMax {
            return (
                "alpha", "alpha must be >= 0 and at most \(NumberFormat.scientific(floatMax)) (float32), got \(alpha)"
            )
        }
        if !beta.isFinite || abs(beta) > floatMax { return ("beta", "beta must be finite in float32, got \(beta)") }
        return nil
    }
}

/// Fully connected layer; flattens C×H×W to C·H·W inputs.
public struct Linear: Equatable, Hashable, Sendable {
    public var out: Int
    public var bias: Bool
    public var activation: Activation

    public init(out: Int, bias: Bool = true, activation: Activation = .none) {
        self.out = out
        self.bias = bias
        self.activation = activation
    }
}
