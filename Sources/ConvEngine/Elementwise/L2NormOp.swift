/// L2 normalisation over the channels of each pixel: `y = x / max(‖x‖₂, ε)`, the norm taken over
/// the pixel's C values — PyTorch's `F.normalize(x, p=2, dim=1)`, facenet-pytorch's embedding
/// (an N×C×1×1 vector here), ONNX's `ReduceL2 → Clip(min ε) → Div` chain. Plain twin:
/// `Reference.l2Normalize`.
///
/// Same walk as `LayerNormOp`: a pixel's channels lie one per lane across its blocks, so a task
/// (image, run of pixels) sums the squares over all blocks of one pixel, then scales them; lanes
/// past the channels are masked out of the sum. In place is allowed.
public final class L2NormOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let epsilon: Float
    public var flops: Int { 0 }
    private let split: PixelTasks
    private let store: SliceStore

    /// `epsilon`: `F.normalize`'s default is 1e-12.
    public init(input: Tensor, output: ChannelSlice, epsilon: Float = 1e-12) throws {
        let s = input.shape
        guard epsilon >= 0, epsilon.isFinite else { throw EngineError.invalidParameter("l2 norm: epsilon \(epsilon)") }
        try output.validate("l2 norm", n: s.n, channels: s.c, h: s.h, w: s.w)
        try checkElementwiseAlias(input, output, "l2 norm")
        self.input = input
        self.output = output
        self.epsilon = epsilon
        split = PixelTasks(input)
        store = SliceStore(output, channels: s.c)
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

    /// One pixel: the sum of squares, then every channel times 1 / max(√sum, ε).
    @inline(__always)
    private func normalize(n: Int, pixel: Int) {
        let blocks = input.blocks
        let x = UnsafePointer(input.data) + n * input.imageStride + pixel * channelBlock
        let bs = input.blockStride
        let last = blocks - 1
        var sq = SIMD16<Float>()
        for b in 0..<last {
            let v = loadVector(x + b &* bs)
            sq = sq.addingProduct(v, v)
        }
        let vl = loadVector(x + last &* bs) * split.lastMask
        sq = sq.addingProduct(vl, vl)
        let scale = SIMD16<Float>(repeating: 1 / max(sq.sum().squareRoot(), epsilon))
        for b in 0..<blocks {
            store.store(loadVector(x + b &* bs) * scale, n: n, block: b, pixel: pixel)
        }
    }
}
