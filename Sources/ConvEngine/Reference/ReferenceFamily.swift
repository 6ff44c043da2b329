import Foundation

/// Plain twins of the ops the wider Inception family needs (Inception-ResNet, Xception,
/// InceptionNeXt): residual sums, GELU, layer norm, per-channel affine maps, channel slices. Same
/// style as the rest of `Reference`: NCHW arrays, Double arithmetic, written for obviousness.
extension Reference {
    /// An activation in Double: ReLU max(0, x); GELU x · ½ · (1 + erf(x / √2)) with the C
    /// library's Double erf, written through erfc for x < 0 so tiny results keep their digits.
    public static func activation(_ x: Double, _ a: Activation) -> Double {
        switch a {
        case .none: x
        case .relu: max(x, 0)
        case .gelu: x < 0 ? x * 0.5 * erfc(-x / 2.0.squareRoot()) : x * 0.5 * (1 + erf(x / 2.0.squareRoot()))
        }
    }

    /// `activation` elementwise, rounded to Float.
    public static func activation(_ x: [Float], _ a: Activation) -> [Float] {
        x.map { Float(activation(Double($0), a)) }
    }

    /// act(Σᵢ scaleᵢ · xᵢ) elementwise over arrays of one length.
    public static func sum(_ inputs: [[Float]], scales: [Float], activation a: Activation) -> [Float] {
        guard let first = inputs.first else { return [] }
        return (0..<first.count).map { i in
            var s = 0.0
            for (x, k) in zip(inputs, scales) { s += Double(k) * Double(x[i]) }
            return Float(activation(s, a))
        }
    }

    /// A conv ending a residual branch, unfused: y = conv(x) with bias and no activation, then
    /// act(shortcut + scale · y).
    public static func residualConv(
        _ x: [Float], _ shape: TensorShape, weights: ConvWeights, params: ConvParams,
        groups: Int = 1, shortcut: [Float], scale: Float
    ) throws
        -> (values: [Float], shape: TensorShape)
    {
        var plain = params
        plain.activation = .none
        let y = try conv2d(x, shape, weights: weights, params: plain, groups: groups)
        guard shortcut.count == y.values.count else {
            throw EngineError.invalidShape(
                "reference residual: shortcut of \(shortcut.count) values, conv output \(y.shape)")
        }
        return (sum([y.values, shortcut], scales: [scale, 1], activation: params.activation), y.shape)
    }

    /// act(x · scale[c] + shift[c]) per channel (nil scale: 1, nil shift: 0).
    public static func channelAffine(
        _ x: [Float], _ shape: TensorShape, scale: [Float]?, shift: [Float]?,
        activation a: Activation
    ) -> [Float] {
        var y = x
        let hw = shape.h * shape.w
        for n in 0..<shape.n {
            for c in 0..<shape.c {
                for p in 0..<hw {
                    let i = (n * shape.c + c) * hw + p
                    y[i] = Float(activation(Double(x[i]) * Double(scale?[c] ?? 1) + Double(shift?[c] ?? 0), a))
                }
            }
        }
        return y
    }

    /// Layer norm over the C channels of each pixel: (x − μ) / √(σ² + ε) · γ[c] + β[c], σ² the biased
    /// variance (PyTorch's LayerNorm; timm's LayerNorm2d permutes channels last and applies it).
    public static func layerNorm(
        _ x: [Float], _ shape: TensorShape, gamma: [Float], beta: [Float],
        epsilon: Double
    ) -> [Float] {
        var y = x
        let hw = shape.h * shape.w
        for n in 0..<shape.n {
            for p in 0..<hw {
                let idx = (0..<shape.c).map { (n * shape.c + $0) * hw + p }
                let mean = idx.reduce(0.0) { $0 + Double(x[$1]) } / Double(shape.c)
                let variance =
                    idx.reduce(0.0) { $0 + (Double(x[$1]) - mean) * (Double(x[$1]) - mean) } / Double(shape.c)
                let r = 1 / (variance + epsilon).squareRoot()
                for (c, i) in idx.enumerated() {
                    y[i] = Float((Double(x[i]) - mean) * r * Double(gamma[c]) + Double(beta[c]))
                }
            }
        }
        return y
    }

    /// Channels `channels` of an NCHW array (one slice of a channel split).
    public static func channels(_ x: [Float], _ shape: TensorShape, _ channels: Range<Int>) -> [Float] {
        let hw = shape.h * shape.w
        var y: [Float] = []
        for n in 0..<shape.n {
            y += x[((n * shape.c + channels.lowerBound) * hw)..<((n * shape.c + channels.upperBound) * hw)]
        }
        return y
    }
}
