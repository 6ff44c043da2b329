/// Global average pool: N×C×H×W → N×C×1×1 (into a channel slice of an N×C′×1×1 tensor).
public final class GlobalAvgPoolOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let store: SliceStore

    public init(input: Tensor, output: ChannelSlice) throws {
        let s = input.shape
        try output.validate("global average pool", n: s.n, channels: s.c, h: 1, w: 1)
        try checkNotAliased(input, output, "global average pool")
        self.input = input
        self.output = output
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n * input.blocks }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    /// One channel block of one image.
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let pixels = input.shape.h * input.shape.w
        let plane =
            UnsafePointer(input.data) + t / input.blocks * input.imageStride + t % input.blocks * input.blockStride
        var sum = SIMD16<Float>.zero
        for p in 0..<pixels { sum += loadVector(plane + p * channelBlock) }
        store.store(sum / SIMD16(repeating: Float(pixels)), n: t / input.blocks, block: t % input.blocks, pixel: 0)
    }
}
