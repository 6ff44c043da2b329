/// Folding an inference batchnorm into the conv before it: the one place this arithmetic lives,
/// used when a plan packs generated weights (identity statistics) and when an imported model's own
/// statistics are applied (`ModelWeights.inferenceWeights`, `import --weights`).
extension LayerWeights {
    /// The same conv with an inference batchnorm after it folded in (done once, at plan time):
    /// s = γ / √(var + ε); w′ = w · s; b′ = (b − mean) · s + β (b = 0 without bias). Arithmetic in
    /// Double. The result needs no further fold.
    public func foldingBatchNorm(
        gamma: [Float], beta: [Float], mean: [Float], variance: [Float],
        epsilon: Double = LayerWeights.batchNormEpsilon
    ) throws(NpyError) -> LayerWeights {
        guard let outChannels = weightShape.first, outChannels > 0 else {
            throw NpyError("batchnorm fold: weights of shape \(NpyFile.shapeText(weightShape)) have no output channels")
        }
        let perOut = weightShape.dropFirst().reduce(1, *)
        guard weight.count == outChannels * perOut else {
            throw NpyError("batchnorm fold: \(weight.count) values for shape \(NpyFile.shapeText(weightShape))")
        }
        if let bias, bias.count != outChannels {
            throw NpyError("batchnorm fold: \(bias.count) bias values for \(outChannels) outputs")
        }
        for (name, a) in [("gamma", gamma), ("beta", beta), ("mean", mean), ("variance", variance)]
        where a.count != outChannels {
            throw NpyError("batchnorm fold: \(a.count) \(name) values for \(outChannels) channels")
        }
        var folded = weight
        var newBias = [Float](repeating: 0, count: outChannels)
        for o in 0..<outChannels {
            let v = Double(variance[o]) + epsilon
            guard v > 0 else { throw NpyError("batchnorm fold: variance + epsilon ≤ 0 at channel \(o)") }
            let s = Double(gamma[o]) / v.squareRoot()
            for i in o * perOut..<(o + 1) * perOut { folded[i] = Float(Double(weight[i]) * s) }
            let b = Double(bias?[o] ?? 0)
            newBias[o] = Float((b - Double(mean[o])) * s + Double(beta[o]))
        }
        return LayerWeights(weightShape: weightShape, weight: folded, bias: newBias, needsBatchNormFold: false)
    }

    /// The batchnorm of generated weights: γ = 1, β = 0, mean 0, var 1 (`WeightSource.generated`),
    /// folded with `batchNormEpsilon`.
    public func foldingIdentityBatchNorm() throws(NpyError) -> LayerWeights {
        let n = weightShape.first ?? 0
        let ones = [Float](repeating: 1, count: n), zeros = [Float](repeating: 0, count: n)
        return try foldingBatchNorm(gamma: ones, beta: zeros, mean: zeros, variance: ones)
    }

    /// PyTorch's BatchNorm2d default ε, used for generated weights' identity batchnorm.
    public static let batchNormEpsilon = 1e-5
}
