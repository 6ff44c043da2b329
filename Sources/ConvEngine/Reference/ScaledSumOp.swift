/// A residual join, plainly: `y = act(Σ scaleᵢ · xᵢ)` over tensors of one shape (Inception-ResNet's
/// `x + 0.17 · branch` then ReLU, Xception's unscaled add). A plain loop, one task per channel
/// block of one image, written for correctness beside its NCHW twin `Reference.scaledSum`; a fused
/// residual epilogue on the conv kernels is the fast path's business.
public final class ScaledSumOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let inputs: [Tensor]
    public let scales: [Float]
    public let relu: Bool
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let store: SliceStore

    public init(inputs: [Tensor], scales: [Float], relu: Bool, output: ChannelSlice) throws {
        guard let first = inputs.first, inputs.count == scales.count else {
            throw EngineError.invalidParameter("sum: needs one scale per input and at least one input")
        }
        let s = first.shape
        for t in inputs where t.shape != s {
            throw EngineError.invalidShape("sum: input \(t.shape) differs from \(s)")
        }
        try output.validate("sum", n: s.n, channels: s.c, h: s.h, w: s.w)
        for t in inputs { try checkNotAliased(t, output, "sum") }
        self.inputs = inputs
        self.scales = scales
        self.relu = relu
        self.output = output
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { inputs[0].shape.n * inputs[0].blocks }
    var reads: [Tensor] { inputs }
    var writes: (slice: ChannelSlice, channels: Int) { (output, inputs[0].shape.c) }

    /// One channel block of one image: every pixel's 16 lanes summed over the inputs.
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let first = inputs[0]
        let pixels = first.shape.h * first.shape.w
        let offset = t * first.blockStride
        for p in 0..<pixels {
            var v = SIMD16<Float>(repeating: 0)
            for (i, x) in inputs.enumerated() {
                v += scales[i] * loadVector(UnsafePointer(x.data) + offset + p * channelBlock)
            }
            if relu { v = v.replacing(with: 0, where: v .< 0) }
            store.store(v, n: t / first.blocks, block: t % first.blocks, pixel: p)
        }
    }
}

extension Reference {
    /// `act(Σ scaleᵢ · xᵢ)` on NCHW arrays of one shape, accumulated in Double: the oracle for
    /// `ScaledSumOp`.
    public static func scaledSum(_ xs: [[Float]], scales: [Double], relu: Bool) -> [Float] {
        guard let n = xs.first?.count else { return [] }
        return (0..<n).map { i in
            var sum = 0.0
            for (k, x) in xs.enumerated() { sum += scales[k] * Double(x[i]) }
            return Float(relu ? max(0, sum) : sum)
        }
    }
}
