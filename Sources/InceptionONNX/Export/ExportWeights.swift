import InceptionCore
import InceptionWeights

/// The trained form of one conv or linear layer as the ONNX file stores it: the weight, its bias,
/// and for a batchnorm conv the batchnorm's own four vectors (not folded), so the file has one
/// BatchNormalization node wherever the layout has batchnorm.
public struct LayerParameters: Equatable, Sendable {
    public struct BatchNorm: Equatable, Sendable {
        public var scale: [Float]
        public var shift: [Float]
        public var mean: [Float]
        public var variance: [Float]
        public var epsilon: Float

        public init(scale: [Float], shift: [Float], mean: [Float], variance: [Float], epsilon: Float) {
            self.scale = scale
            self.shift = shift
            self.mean = mean
            self.variance = variance
            self.epsilon = epsilon
        }

        /// γ = 1, β = `shift`, mean 0, var 1 − ε: the identity plus a shift (1 − ε + ε = 1 to
        /// float precision), for weights that arrive folded.
        static func identity(shift: [Float], epsilon: Float) -> BatchNorm {
            let n = shift.count
            return BatchNorm(
                scale: .init(repeating: 1, count: n), shift: shift, mean: .init(repeating: 0, count: n),
                variance: .init(repeating: 1 - epsilon, count: n), epsilon: epsilon)
        }
    }

    /// `[out, in, kh, kw]` (conv) or `[out, in]` (linear, in = C·H·W).
    public var weightShape: [Int]
    public var weight: [Float]
    public var bias: [Float]?
    public var batchnorm: BatchNorm?

    public init(weightShape: [Int], weight: [Float], bias: [Float]?, batchnorm: BatchNorm?) {
        self.weightShape = weightShape
        self.weight = weight
        self.bias = bias
        self.batchnorm = batchnorm
    }
}

extension LayerParameters {
    /// An imported layer's weights, batchnorm statistics kept apart as the model had them.
    init(_ e: ModelWeights.Entry) {
        self.init(
            weightShape: e.weightShape, weight: e.weight, bias: e.bias,
            batchnorm: e.batchNorm.map {
                BatchNorm(
                    scale: $0.gamma, shift: $0.beta, mean: $0.mean, variance: $0.variance, epsilon: Float($0.epsilon))
            })
    }
}

/// Where an ONNX export's weights come from.
public enum ExportWeights: Sendable {
    /// Exactly the weights `run --seed N` uses: seeded He-normal convs and linears, and batchnorm as
    /// the identity it is then (γ 1, β 0, mean 0, var 1, ε 1e-5, as the engine folds it).
    case seeded(UInt64)
    /// A directory that `run --weights` reads (batchnorm folded): a batchnorm conv's folded bias
    /// becomes the batchnorm's shift, its conv bias (if the layout has one) zero.
    case directory(String)
    /// The layout's own weights (an imported model's, as `ModelLoader` returns them) by node path; a
    /// layer they do not fit (an edited import: widened, factorized) is seeded with `fallbackSeed`
    /// and reported.
    case model(ModelWeights, fallbackSeed: UInt64)

    /// The batchnorm epsilon generated weights are folded with (`LayerWeights.batchNormEpsilon`).
    static let seededEpsilon = Float(LayerWeights.batchNormEpsilon)
    /// The epsilon of the identity batchnorm written for folded weights.
    static let foldedEpsilon: Float = 1e-5

    /// The parameters of `spec` (its kind holds the layer: bias, batchnorm, widths); `seeded` is true
    /// when a fallback seed made them.
    func parameters(for spec: WeightSpec) throws(ONNXExportError) -> (LayerParameters, seeded: Bool) {
        switch self {
        case .seeded(let seed):
            return (try Self.generated(spec, seed: seed), false)
        case .directory(let dir):
            let w: LayerWeights
            do {
                w = try WeightSource.directory(dir).weights(for: spec)
            } catch {
                throw ONNXExportError(error.description)
            }
            guard spec.batchnorm else {
                return (
                    LayerParameters(weightShape: w.weightShape, weight: w.weight, bias: w.bias, batchnorm: nil), false
                )
            }
            let shift = w.bias ?? .init(repeating: 0, count: spec.outputs)
            return (
                LayerParameters(
                    weightShape: w.weightShape, weight: w.weight,
                    bias: Self.declaresBias(spec) ? .init(repeating: 0, count: spec.outputs) : nil,
                    batchnorm: .identity(shift: shift, epsilon: Self.foldedEpsilon)), false
            )
        case .model(let model, let seed):
            if let e = model.layers[spec.path] {
                let p = LayerParameters(e)
                if Self.fits(p, spec: spec) { return (p, false) }
            }
            return (try Self.generated(spec, seed: seed), true)
        }
    }

    /// Whether given parameters still fit the layer as the layout now has it.
    static func fits(_ p: LayerParameters, spec: WeightSpec) -> Bool {
        guard p.weightShape == spec.weightShape, p.weight.count == spec.weightShape.reduce(1, *) else { return false }
        if declaresBias(spec) != (p.bias != nil) || (p.bias.map { $0.count != spec.outputs } ?? false) { return false }
        guard spec.batchnorm == (p.batchnorm != nil) else { return false }
        if let bn = p.batchnorm {
            let n = spec.outputs
            return bn.scale.count == n && bn.shift.count == n && bn.mean.count == n && bn.variance.count == n
        }
        return true
    }

    /// Whether the layout gives the layer a bias of its own (a batchnorm conv's folded shift aside).
    static func declaresBias(_ spec: WeightSpec) -> Bool {
        switch spec.kind {
        case .conv(let c, _): c.bias
        case .linear(let l, _): l.bias
        case .batchnorm, .layerscale: false
        case .layernorm: true  // β
        }
    }

    static func generated(_ spec: WeightSpec, seed: UInt64) throws(ONNXExportError) -> LayerParameters {
        if case .batchnorm(let c, let eps) = spec.kind {
            // A standalone batchnorm's weight is 1 (its γ, mean and var carry everything).
            let ones = [Float](repeating: 1, count: c), zeros = [Float](repeating: 0, count: c)
            return LayerParameters(
                weightShape: [c], weight: ones, bias: nil,
                batchnorm: LayerParameters.BatchNorm(
                    scale: ones, shift: zeros, mean: zeros, variance: ones, epsilon: Float(eps)))
        }
        let w: LayerWeights
        do {
            w = try WeightSource.generated(seed: seed).weights(for: spec)
        } catch {
            throw ONNXExportError(error.description)
        }
        let bn: LayerParameters.BatchNorm? =
            spec.batchnorm
            ? LayerParameters.BatchNorm(
                scale: .init(repeating: 1, count: spec.outputs),
                shift: .init(repeating: 0, count: spec.outputs),
                mean: .init(repeating: 0, count: spec.outputs),
                variance: .init(repeating: 1, count: spec.outputs), epsilon: seededEpsilon)
            : nil
        return LayerParameters(weightShape: w.weightShape, weight: w.weight, bias: w.bias, batchnorm: bn)
    }
}

/// An export that cannot be written: one line saying where and what.
public struct ONNXExportError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
