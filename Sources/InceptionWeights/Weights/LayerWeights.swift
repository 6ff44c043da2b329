import Foundation
import InceptionCore

/// The weights of one conv or linear layer as the plan receives them, in PyTorch order.
public struct LayerWeights: Sendable {
    /// `[out, in, kh, kw]` for a conv, `[out, in]` (in = C·H·W, flattened C, H, W) for a linear.
    public var weightShape: [Int]
    public var weight: [Float]
    /// `[out]`, or nil for none.
    public var bias: [Float]?
    /// True when a batchnorm still has to be folded in (generated weights of a batchnorm conv);
    /// false when the values are the inference weights already (loaded files hold folded ones).
    public var needsBatchNormFold: Bool

    public init(weightShape: [Int], weight: [Float], bias: [Float]?, needsBatchNormFold: Bool) {
        self.weightShape = weightShape
        self.weight = weight
        self.bias = bias
        self.needsBatchNormFold = needsBatchNormFold
    }
}

/// What a weighted layer needs: enough to name its files, check their shapes and generate values.
public struct WeightSpec: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case conv(Conv, inChannels: Int)
        /// A linear layer on a C×H×W input.
        case linear(Linear, input: Shape)
        /// A standalone batchnorm over `channels`: its inference form is a per-channel scale
        /// (`weight`, shape `[C]`) and shift (`bias`), γ/√(var + ε) and β − mean·γ/√(var + ε).
        case batchnorm(channels: Int, epsilon: Double)
        /// A layer norm over `channels`: γ (`weight`, `[C]`) and β (`bias`, `[C]`) as they are (nothing
        /// to fold: the statistics are the input's own).
        case layernorm(channels: Int, epsilon: Double)
        /// A layer scale over `channels`: γ (`weight`, `[C]`), no bias.
        case layerscale(channels: Int)
    }

    /// The layer's full node path (`inception_3a/3x3/1`).
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var weightShape: [Int] {
        switch kind {
        case .conv(let c, let inChannels): [c.out, inChannels / max(1, c.groups), c.kernel.h, c.kernel.w]
        case .linear(let l, let s): [l.out, s.channels * s.height * s.width]
        case .batchnorm(let c, _), .layernorm(let c, _), .layerscale(let c): [c]
        }
    }

    public var outputs: Int {
        switch kind {
        case .conv(let c, _): c.out
        case .linear(let l, _): l.out
        case .batchnorm(let c, _), .layernorm(let c, _), .layerscale(let c): c
        }
    }

    /// Inputs per output (He-normal's fan-in).
    public var fanIn: Int { weightShape.dropFirst().reduce(1, *) }

    /// Whether the layer's inference form has a bias: its own, or the folded batchnorm's shift
    /// (so loaded batchnorm convs always come with a bias file).
    public var hasInferenceBias: Bool {
        switch kind {
        case .conv(let c, _): c.bias || c.batchnorm
        case .linear(let l, _): l.bias
        case .batchnorm, .layernorm: true
        case .layerscale: false
        }
    }

    public var batchnorm: Bool {
        switch kind {
        case .conv(let c, _): return c.batchnorm
        case .batchnorm: return true
        case .linear, .layernorm, .layerscale: return false
        }
    }

    /// The file-name stem: the node path with "/" → "." (`inception_3a.3x3.1`).
    public var fileStem: String { WeightSpec.fileStem(path) }
    public var weightFile: String { fileStem + ".weight.npy" }
    public var biasFile: String { fileStem + ".bias.npy" }

    public static func fileStem(_ path: String) -> String { path.replacingOccurrences(of: "/", with: ".") }
}
