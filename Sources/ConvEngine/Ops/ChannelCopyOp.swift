/// Copies a tensor into a channel slice of another: an identity branch (or a dropout, which is the
/// identity at inference) feeding a concat. Ops that compute something write their slice directly.
public final class ChannelCopyOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let store: SliceStore

    public init(input: Tensor, output: ChannelSlice) throws {
        let s = input.shape
        try output.validate("copy", n: s.n, channels: s.c, h: s.h, w: s.w)
        try checkNotAliased(input, output, "copy")
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
        let plane = UnsafePointer(input.data) + t * input.blockStride
        for p in 0..<pixels {
            store.store(loadVector(plane + p * channelBlock), n: t / input.blocks, block: t % input.blocks, pixel: p)
        }
    }
}
