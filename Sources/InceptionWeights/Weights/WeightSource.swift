import Foundation
import InceptionCore

/// Where a plan's conv and linear weights come from.
public enum WeightSource: Sendable, Equatable {
    /// Seeded He-normal: weights N(0, 2 / fan_in) (He et al. 2015, for ReLU networks), biases
    /// N(0, 0.01²) — small but not zero, so a dropped bias shows in the correctness tests. A
    /// batchnorm conv gets γ = 1, β = 0, mean = 0, var = 1, folded at plan time like real statistics.
    /// Each layer draws from its own stream (seed + node path), independent of what else is planned.
    case generated(seed: UInt64)
    /// A directory of `.npy` files named by node path (see `WeightSpec.weightFile`), holding the
    /// inference weights (batchnorm already folded in).
    case directory(String)
    /// A model's own weights in memory (an imported ONNX file), batchnorm folded per layer with the
    /// model's epsilon. A layer the model has no weights for, or whose shape an edit changed, gets
    /// generated ones (seed 0), so an edited model still runs.
    case memory(ModelWeights)

    /// Standard deviation of generated biases.
    public static let generatedBiasStd = 0.01

    /// The weights of `spec`. A directory's files are checked by `checkFiles` first; here a read
    /// error is still reported with the file name.
    public func weights(for spec: WeightSpec) throws(NpyError) -> LayerWeights {
        switch self {
        case .memory(let model):
            if let w = try model.inferenceWeights(for: spec) { return w }
            return try WeightSource.generated(seed: 0).weights(for: spec)
        case .generated(let seed):
            if case .batchnorm(let c, let eps) = spec.kind {
                // γ = 1, β = 0, mean 0, var 1, folded with the layer's own ε.
                return LayerWeights(
                    weightShape: [c], weight: .init(repeating: Float(1 / (1 + eps).squareRoot()), count: c),
                    bias: .init(repeating: 0, count: c), needsBatchNormFold: false)
            }
            switch spec.kind {
            case .layernorm(let c, _):
                // torch's initial γ = 1, β = 0 (what the .py export builds).
                return LayerWeights(
                    weightShape: [c], weight: .init(repeating: 1, count: c), bias: .init(repeating: 0, count: c),
                    needsBatchNormFold: false)
            case .layerscale(let c):
                // γ = 1: the identity, as the .py export's LayerScale starts (timm starts at 1e-6).
                return LayerWeights(
                    weightShape: [c], weight: .init(repeating: 1, count: c), bias: nil, needsBatchNormFold: false)
            default: break
            }
            var rng = SplitMix64(seed: seed, stream: spec.path)
            let count = spec.weightShape.reduce(1, *)
            let weight = rng.normals(count, std: (2 / Double(max(1, spec.fanIn))).squareRoot())
            let hasBias: Bool =
                switch spec.kind {
                case .conv(let c, _): c.bias
                case .linear(let l, _): l.bias
                case .batchnorm, .layernorm, .layerscale: false
                }
            let bias = hasBias ? rng.normals(spec.outputs, std: Self.generatedBiasStd) : nil
            return LayerWeights(
                weightShape: spec.weightShape, weight: weight, bias: bias,
                needsBatchNormFold: spec.batchnorm)
        case .directory(let dir):
            let w = try NpyFile.read(Self.join(dir, spec.weightFile))
            try Self.expect(w.shape, spec.weightShape, file: Self.join(dir, spec.weightFile))
            var bias: [Float]?
            if spec.hasInferenceBias {
                let b = try NpyFile.read(Self.join(dir, spec.biasFile))
                try Self.expect(b.shape, [spec.outputs], file: Self.join(dir, spec.biasFile))
                bias = b.values
            }
            return LayerWeights(weightShape: spec.weightShape, weight: w.values, bias: bias, needsBatchNormFold: false)
        }
    }

    /// Checks every file `specs` need (presence, header, dtype, shape, size) before anything is
    /// planned, so a bad directory fails in one line naming the file and the expected shape.
    public func checkFiles(_ specs: [WeightSpec]) throws(NpyError) {
        guard case .directory(let dir) = self else { return }
        var st = stat()
        guard stat(dir, &st) == 0 else { throw NpyError("\(PathText.shown(dir)): no such weights directory") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw NpyError(
                "\(PathText.shown(dir)): is \(RegularFile.kindName(st.st_mode) == "FIFO" ? "a FIFO" : "a " + RegularFile.kindName(st.st_mode)), not a weights directory"
            )
        }
        for spec in specs {
            var files = [(spec.weightFile, spec.weightShape)]
            if spec.hasInferenceBias { files.append((spec.biasFile, [spec.outputs])) }
            for (name, shape) in files {
                let path = Self.join(dir, name)
                let header: NpyHeader
                do {
                    header = try NpyFile.readHeader(path)
                } catch {
                    throw NpyError(
                        "\(error.description) (expected float32 \(NpyFile.shapeText(shape)) for \(spec.path))")
                }
                try Self.expect(header.shape, shape, file: path)
            }
        }
    }

    static func expect(_ got: [Int], _ want: [Int], file: String) throws(NpyError) {
        guard got == want else {
            throw NpyError(
                "\(PathText.shown(file)): shape \(NpyFile.shapeText(got)), expected \(NpyFile.shapeText(want))")
        }
    }

    static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
