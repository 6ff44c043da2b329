import Foundation
import InceptionCore

/// A model's own weights held in memory, by node path: what an imported ONNX model brings
/// (`WeightSource.memory`). Batchnorm statistics stay separate, with the file's epsilon, and are
/// folded when a plan asks for a layer, exactly as for generated weights.
///
/// A class so that a `WeightSource` carrying ~100 MB compares and copies by identity.
public final class ModelWeights: Sendable, Equatable {
    /// One conv or linear layer: weights in PyTorch order (`[out, in, kh, kw]` / `[out, in]`), an
    /// optional bias and, for a batchnorm conv, its inference statistics.
    public struct Entry: Sendable {
        public var weightShape: [Int]
        public var weight: [Float]
        public var bias: [Float]?
        public var batchNorm: BatchNormValues?

        public init(weightShape: [Int], weight: [Float], bias: [Float]?, batchNorm: BatchNormValues? = nil) {
            self.weightShape = weightShape
            self.weight = weight
            self.bias = bias
            self.batchNorm = batchNorm
        }
    }

    /// γ (scale), β (shift), running mean and variance per channel, and ε.
    public struct BatchNormValues: Sendable {
        public var gamma: [Float]
        public var beta: [Float]
        public var mean: [Float]
        public var variance: [Float]
        public var epsilon: Double

        public init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Double) {
            self.gamma = gamma
            self.beta = beta
            self.mean = mean
            self.variance = variance
            self.epsilon = epsilon
        }
    }

    /// Where the weights came from (`googlenet.onnx`), for messages.
    public let origin: String
    public let layers: [String: Entry]

    public init(origin: String, layers: [String: Entry]) {
        self.origin = origin
        self.layers = layers
    }

    public static func == (a: ModelWeights, b: ModelWeights) -> Bool { a === b }

    /// The inference weights of `spec` (batchnorm folded), or nil when the model has none for that
    /// path or its shape no longer fits (the layer was edited): the caller then generates them.
    public func inferenceWeights(for spec: WeightSpec) throws(NpyError) -> LayerWeights? {
        guard let e = layers[spec.path], e.weightShape == spec.weightShape else { return nil }
        guard let bn = e.batchNorm else {
            return LayerWeights(weightShape: e.weightShape, weight: e.weight, bias: e.bias, needsBatchNormFold: false)
        }
        do {
            return try LayerWeights(
                weightShape: e.weightShape, weight: e.weight, bias: e.bias, needsBatchNormFold: false
            )
            .foldingBatchNorm(gamma: bn.gamma, beta: bn.beta, mean: bn.mean, variance: bn.variance, epsilon: bn.epsilon)
        } catch {
            throw NpyError("\(origin): \(spec.path): \(error)")
        }
    }

    /// Writes every layer of `layout` that has weights here as the `.npy` directory `run --weights`
    /// reads (batchnorm folded, names from `WeightSpec`). Returns the number of files written.
    public func writeDirectory(_ dir: String, for layout: Layout) throws(NpyError) -> Int {
        var written = 0
        for spec in WeightSpec.all(in: layout) {
            guard let w = try inferenceWeights(for: spec) else { continue }
            try NpyFile.write(WeightSource.join(dir, spec.weightFile), shape: w.weightShape, values: w.weight)
            written += 1
            if let b = w.bias {
                try NpyFile.write(WeightSource.join(dir, spec.biasFile), shape: [b.count], values: b)
                written += 1
            }
        }
        return written
    }
}

extension WeightSpec {
    /// Every conv, linear, standalone batchnorm, layer norm and layer scale layer of a valid `layout` (aux heads included), with the input shape
    /// its analysis gives it.
    public static func all(in layout: Layout) -> [WeightSpec] {
        Analysis(layout).nodes.compactMap { s in
            guard let input = s.input, case .layer(let layer)? = layout.node(at: s.address) else { return nil }
            switch layer.op {
            case .conv(let c): return WeightSpec(path: s.path, kind: .conv(c, inChannels: input.channels))
            case .linear(let l): return WeightSpec(path: s.path, kind: .linear(l, input: input))
            case .batchnorm(let eps):
                return WeightSpec(path: s.path, kind: .batchnorm(channels: input.channels, epsilon: eps))
            case .layernorm(let eps):
                return WeightSpec(path: s.path, kind: .layernorm(channels: input.channels, epsilon: eps))
            case .layerscale: return WeightSpec(path: s.path, kind: .layerscale(channels: input.channels))
            default: return nil
            }
        }
    }
}
