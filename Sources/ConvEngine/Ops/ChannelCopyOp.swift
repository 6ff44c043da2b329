/// Copies channels of a tensor into a channel slice of another: an identity branch (or a dropout,
/// which is the identity at inference) feeding a concat, and the slices of a channel split that do
/// not fall on 16-channel blocks (those are views: `Tensor.channelView`, `ChannelSplit`). Ops that
/// compute something write their slice directly. Any source range and any destination offset:
/// whole vectors where both are block-aligned, a lane shift through a two-vector buffer where the
/// source range starts inside a block, lane by lane where the destination does.
public final class ChannelCopyOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    /// The input channels copied (all by default).
    public let channels: Range<Int>
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let store: SliceStore
    private let split: ElementwiseTasks

    public init(input: Tensor, channels: Range<Int>? = nil, output: ChannelSlice) throws {
        let s = input.shape
        let range = channels ?? 0..<s.c
        guard range.lowerBound >= 0, range.upperBound <= s.c, !range.isEmpty else {
            throw EngineError.invalidShape("copy: channels \(range) are not inside the input's \(s.c)")
        }
        try output.validate("copy", n: s.n, channels: range.count, h: s.h, w: s.w)
        try checkNotAliased(input, output, "copy")
        self.input = input
        self.channels = range
        self.output = output
        store = SliceStore(output, channels: range.count)
        split = ElementwiseTasks(TensorShape(n: s.n, c: range.count, h: s.h, w: s.w))
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { split.count }
    func taskPosition(_ t: Int) -> Int { split.position(t) }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, channels.count) }

    /// Pixels whose two source vectors go to scratch before any is read back shifted: the reads
    /// then find the stores already in L1, not still in the store buffer (a load that spans two
    /// pending stores cannot be forwarded from them and waits for both).
    static let shiftRun = 128

    /// One chunk of one output block: input channels lo + 16·block ..< lo + 16·block + 16.
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let (n, block, pixels) = split.task(t)
        let first = channels.lowerBound + block * channelBlock
        let (b, shift) = (first / channelBlock, first % channelBlock)
        let image = UnsafePointer(input.data) + n * input.imageStride
        let lo = image + b * input.blockStride
        // A destination block that is one vector store, the lanes past the copied channels being
        // its tensor's own padding (a slice copied into a tensor of its own): whole-vector stores,
        // those lanes stored as zeros. Otherwise `SliceStore.store` (lane by lane where needed).
        let count = min(channelBlock, channels.count - block * channelBlock)
        let keep = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) .< Int32(count)
        let direct = store.vectorPointer(n: n, block: block, pixel: pixels.lowerBound, paddingLanesAreZero: true)
        @inline(__always) func put(_ v: SIMD16<Float>, _ p: Int) {
            if let direct {
                UnsafeMutableRawPointer(direct + (p - pixels.lowerBound) &* channelBlock).storeBytes(
                    of: count == channelBlock ? v : v.replacing(with: 0, where: .!keep), as: SIMD16<Float>.self)
            } else {
                store.store(v, n: n, block: block, pixel: p)
            }
        }
        if shift == 0 {
            for p in pixels { put(loadVector(lo + p &* channelBlock), p) }
            return
        }
        // Lanes shift..<16 of block b, then lanes 0..<shift of block b + 1 (if it exists): each
        // pixel's two vectors side by side in scratch, read back 16 lanes from `shift`.
        let hasNext = b + 1 < input.blocks
        let hi = image + (hasNext ? b + 1 : b) * input.blockStride
        let pairs = scratch.assumingMemoryBound(to: Float.self)
        var start = pixels.lowerBound
        while start < pixels.upperBound {
            let end = min(pixels.upperBound, start + Self.shiftRun)
            for p in start..<end {
                let pair = UnsafeMutableRawPointer(pairs + (p - start) &* 2 &* channelBlock)
                pair.storeBytes(of: loadVector(lo + p &* channelBlock), as: SIMD16<Float>.self)
                (pair + 64).storeBytes(
                    of: hasNext ? loadVector(hi + p &* channelBlock) : SIMD16<Float>(), as: SIMD16<Float>.self)
            }
            for p in start..<end {
                let at = UnsafeRawPointer(pairs + (p - start) &* 2 &* channelBlock + shift)
                put(at.loadUnaligned(as: SIMD16<Float>.self), p)
            }
            start = end
        }
    }
}
