/// Layer norm over the channels of each pixel: `y = (x − μ) / √(σ² + ε) · γ[c] + β[c]`, μ and σ² the
/// mean and (biased) variance of the pixel's C values — timm's `LayerNorm2d` and InceptionNeXt's
/// MLP head (whose norm sees an N×C×1×1 vector), ONNX `LayerNormalization` over the channel axis.
///
/// A pixel's channels lie one per lane across its blocks (`blockStride` apart), so a task (image,
/// run of pixels) walks all blocks of one pixel three times: the mean, then the variance about it
/// (two passes: no cancellation), then the normalised values (the pixel's vectors are in L1 after
/// the first); lanes past the channels are masked out of the sums. Not fused into the conv before it: the statistics need every output channel
/// of a pixel, which one conv task (one group of output blocks) does not hold. In place is allowed.
public final class LayerNormOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let epsilon: Float
    public var flops: Int { 0 }
    private let gamma: UnsafeMutablePointer<Float>
    private let beta: UnsafeMutablePointer<Float>
    private let split: PixelTasks
    private let store: SliceStore

    /// `epsilon`: timm's LayerNorm2d and InceptionNeXt use 1e-6; torch's default is 1e-5.
    public init(input: Tensor, output: ChannelSlice, gamma: [Float], beta: [Float], epsilon: Float = 1e-6) throws {
        let s = input.shape
        guard gamma.count == s.c, beta.count == s.c else {
            throw EngineError.invalidShape(
                "layer norm: \(gamma.count) gamma and \(beta.count) beta values for \(s.c) channels")
        }
        guard epsilon >= 0, epsilon.isFinite else {
            throw EngineError.invalidParameter("layer norm: epsilon \(epsilon)")
        }
        try output.validate("layer norm", n: s.n, channels: s.c, h: s.h, w: s.w)
        try checkElementwiseAlias(input, output, "layer norm")
        self.input = input
        self.output = output
        self.epsilon = epsilon
        self.gamma = packChannels(gamma, channels: s.c)!
        self.beta = packChannels(beta, channels: s.c)!
        split = PixelTasks(input)
        store = SliceStore(output, channels: s.c)
    }

    deinit {
        gamma.deallocate()
        beta.deallocate()
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { split.count }
    func taskPosition(_ t: Int) -> Int { split.position(t) }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let (n, pixels) = split.task(t)
        for p in pixels { normalize(n: n, pixel: p) }
    }

    /// One pixel: mean, variance about the mean, then the normalised channels.
    @inline(__always)
    private func normalize(n: Int, pixel: Int) {
        let blocks = input.blocks
        let x = UnsafePointer(input.data) + n * input.imageStride + pixel * channelBlock
        let bs = input.blockStride
        let last = blocks - 1
        var sum = SIMD16<Float>()
        for b in 0..<last { sum += loadVector(x + b &* bs) }
        sum += loadVector(x + last &* bs) * split.lastMask
        let c = Float(input.shape.c)
        let mean = sum.sum() / c
        let mv = SIMD16<Float>(repeating: mean)
        var sq = SIMD16<Float>()
        for b in 0..<last {
            let d = loadVector(x + b &* bs) - mv
            sq = sq.addingProduct(d, d)
        }
        let dl = (loadVector(x + last &* bs) - mv) * split.lastMask
        sq = sq.addingProduct(dl, dl)
        let rstd = SIMD16<Float>(repeating: 1 / (sq.sum() / c + epsilon).squareRoot())
        for b in 0..<blocks {
            let g = loadVector(gamma + b &* channelBlock) * rstd
            let v = loadVector(beta + b &* channelBlock).addingProduct(loadVector(x + b &* bs) - mv, g)
            store.store(v, n: n, block: b, pixel: pixel)
        }
    }
}
