/// Convolution weights in PyTorch order, as a caller supplies them.
public struct ConvWeights: Sendable {
    public let outChannels: Int
    public let inChannels: Int
    public let kernelH: Int
    public let kernelW: Int
    /// `[outChannels][inChannels][kernelH][kernelW]`.
    public private(set) var weight: [Float]
    /// `[outChannels]`, or nil for no bias.
    public private(set) var bias: [Float]?

    /// Throws when a count is non-positive or an array's length does not match it.
    public init(
        outChannels: Int, inChannels: Int, kernelH: Int, kernelW: Int,
        weight: [Float], bias: [Float]? = nil
    ) throws {
        guard outChannels > 0, inChannels > 0, kernelH > 0, kernelW > 0 else {
            throw EngineError.invalidParameter(
                "conv weights: \(outChannels)x\(inChannels)x\(kernelH)x\(kernelW) has a dimension ≤ 0")
        }
        guard let count = CheckedSize.product(outChannels, inChannels, kernelH, kernelW), weight.count == count else {
            throw EngineError.invalidShape(
                "conv weights: \(weight.count) values for \(outChannels)x\(inChannels)x\(kernelH)x\(kernelW)")
        }
        if let bias, bias.count != outChannels {
            throw EngineError.invalidShape("conv weights: \(bias.count) bias values for \(outChannels) outputs")
        }
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.weight = weight
        self.bias = bias
    }
}

extension ConvWeights {
    /// The same conv followed by a per-output-channel affine map y ↦ scale[o] · y + shift[o], folded
    /// in (w′ = w · scale[o], b′ = b · scale[o] + shift[o], in Double): a layer scale γ after the
    /// conv, a residual branch's constant scale, an inference batchnorm given as scale and shift.
    public func scalingOutputs(_ scale: [Float], shift: [Float]? = nil) throws -> ConvWeights {
        guard scale.count == outChannels, shift.map({ $0.count == outChannels }) ?? true else {
            throw EngineError.invalidShape(
                "conv output scale: \(scale.count) scales, \(shift?.count ?? 0) shifts for \(outChannels) channels")
        }
        let perOut = inChannels * kernelH * kernelW
        var w = weight
        var b = [Float](repeating: 0, count: outChannels)
        for o in 0..<outChannels {
            let s = Double(scale[o])
            for i in o * perOut..<(o + 1) * perOut { w[i] = Float(Double(weight[i]) * s) }
            b[o] = Float(Double(bias?[o] ?? 0) * s + Double(shift?[o] ?? 0))
        }
        let hasBias = bias != nil || shift != nil
        return try ConvWeights(
            outChannels: outChannels, inChannels: inChannels, kernelH: kernelH, kernelW: kernelW,
            weight: w, bias: hasBias ? b : nil)
    }

    /// The same conv with a per-input-channel affine map x ↦ scale[i] · x + shift[i] before it,
    /// folded in (w′ = w · scale[i], b′ = b + Σ w · shift[i] over each output's inputs and taps, in
    /// Double): an inference batchnorm right before the conv. Exact only when no padded pixel enters
    /// the conv (a 1×1 unpadded conv): padding is zero after the map, and the folded shift would add
    /// shift[i] there. The caller checks that.
    public func foldingInputAffine(scale: [Float], shift: [Float]) throws -> ConvWeights {
        guard scale.count == inChannels, shift.count == inChannels else {
            throw EngineError.invalidShape(
                "conv input affine: \(scale.count) scales, \(shift.count) shifts for \(inChannels) input channels")
        }
        let taps = kernelH * kernelW
        var w = weight
        var b = [Float](repeating: 0, count: outChannels)
        for o in 0..<outChannels {
            var sum = Double(bias?[o] ?? 0)
            for i in 0..<inChannels {
                let s = Double(scale[i]), t = Double(shift[i])
                for k in (o * inChannels + i) * taps..<(o * inChannels + i + 1) * taps {
                    w[k] = Float(Double(weight[k]) * s)
                    sum += Double(weight[k]) * t
                }
            }
            b[o] = Float(sum)
        }
        return try ConvWeights(
            outChannels: outChannels, inChannels: inChannels, kernelH: kernelH, kernelW: kernelW, weight: w, bias: b)
    }

    /// All outputs scaled by one constant (a residual branch's scale).
    public func scalingOutputs(by scale: Float) throws -> ConvWeights {
        if scale == 1 { return self }
        return try scalingOutputs([Float](repeating: scale, count: outChannels))
    }
}

/// Weights repacked once at plan time for the NCHW16c kernels.
///
/// Layout `[outBlock][k][oc 16]` where k runs over the reduction steps (kh, input block, kw, real
/// input channel) in that order: for one step, the 16 output channels of a block are one aligned
/// vector, and the kernel reads the weights of an output block strictly sequentially. kh outermost
/// makes the steps of any range of kernel rows contiguous, so rows in the padding are skipped by
/// shortening the reduction. Lanes past the real output channels are zero.
struct PackedConvWeights {
    let outBlocks: Int
    /// Reduction steps: inChannels · kh · kw.
    let reduction: Int
    /// Floats per output block: reduction · 16.
    let outBlockStride: Int
    let weights: UnsafeMutablePointer<Float>
    /// `[outBlock][16]`, zero where there is no bias.
    let bias: UnsafeMutablePointer<Float>

    init(_ w: ConvWeights) {
        let cb = channelBlock
        outBlocks = (w.outChannels + cb - 1) / cb
        let taps = w.kernelH * w.kernelW
        reduction = w.inChannels * taps
        outBlockStride = reduction * cb
        weights = allocateFloats(outBlocks * outBlockStride)
        bias = allocateFloats(outBlocks * cb)
        let inBlocks = (w.inChannels + cb - 1) / cb
        for o in 0..<w.outChannels {
            var k = 0
            for kh in 0..<w.kernelH {
                for ib in 0..<inBlocks {
                    for kw in 0..<w.kernelW {
                        for c in 0..<min(cb, w.inChannels - ib * cb) {
                            let i = ib * cb + c
                            weights[(o / cb) * outBlockStride + k * cb + o % cb] =
                                w.weight[((o * w.inChannels + i) * w.kernelH + kh) * w.kernelW + kw]
                            k += 1
                        }
                    }
                }
            }
            bias[o] = w.bias?[o] ?? 0
        }
    }

    /// The input offsets matching the reduction order, for an input plane of `planeH × planeW` pixels.
    /// `lane0`: the weights' first input channel sits at lane `lane0` of the plane's first block (a
    /// group of a grouped conv that starts inside a block); channel i is then at block
    /// (lane0 + i) / 16, lane (lane0 + i) % 16. The steps keep the packing's order either way.
    static func inputOffsets(
        inChannels: Int, kernelH: Int, kernelW: Int, planeH: Int, planeW: Int, lane0: Int = 0
    )
        -> UnsafeMutablePointer<Int32>
    {
        let cb = channelBlock
        let table = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, inChannels * kernelH * kernelW))
        var k = 0
        for kh in 0..<kernelH {
            for ib in 0..<(inChannels + cb - 1) / cb {
                for kw in 0..<kernelW {
                    for c in 0..<min(cb, inChannels - ib * cb) {
                        let a = lane0 + ib * cb + c
                        table[k] = Int32((((a / cb) * planeH + kh) * planeW + kw) * cb + a % cb)
                        k += 1
                    }
                }
            }
        }
        return table
    }

    func deallocate() {
        weights.deallocate()
        bias.deallocate()
    }
}
