/// Writes one op's output channels, 16 at a time, into its channel slice of a destination tensor.
///
/// Whole blocks at a 16-aligned slice offset are one vector store; anything else (an offset that is
/// not a multiple of 16, the op's last partial block) goes lane by lane, touching only the op's own
/// channels — so ops writing neighbouring slices of one concat tensor never overwrite each other.
struct SliceStore {
    let data: UnsafeMutablePointer<Float>
    let imageStride: Int
    let blockStride: Int
    let offset: Int
    /// The op's output channel count.
    let channels: Int
    let aligned: Bool
    /// The slice's last channel is the tensor's last channel (its last block's other lanes are padding).
    let endsAtTensorEnd: Bool

    init(_ slice: ChannelSlice, channels: Int) {
        let t = slice.tensor
        data = t.data
        imageStride = t.imageStride
        blockStride = t.blockStride
        offset = slice.offset
        self.channels = channels
        aligned = slice.offset % channelBlock == 0
        endsAtTensorEnd = slice.offset + channels == t.shape.c
    }

    /// Stores the op's channels `16·block ..< 16·block + 16` (those that exist) of `pixel` in image `n`.
    @inline(__always)
    func store(_ v: SIMD16<Float>, n: Int, block: Int, pixel: Int) {
        let first = block * channelBlock
        if aligned && first + channelBlock <= channels {
            let p = data + n * imageStride + (offset / channelBlock + block) * blockStride + pixel * channelBlock
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
        } else {
            storeLanes(v, n: n, first: first, pixel: pixel)
        }
    }

    /// Where channels `16·block ..< 16·block + 16` of `pixel` go when they are one vector store (then
    /// pixel p + i is 16·i floats further); nil when they go lane by lane.
    @inline(__always)
    func vectorPointer(n: Int, block: Int, pixel: Int) -> UnsafeMutablePointer<Float>? {
        guard aligned && (block &+ 1) &* channelBlock <= channels else { return nil }
        let blockIndex: Int = offset / channelBlock &+ block
        let at: Int = n &* imageStride &+ blockIndex &* blockStride &+ pixel &* channelBlock
        return data + at
    }

    /// Like `vectorPointer`, also for the op's last, partial block when the lanes past its channels
    /// are the destination tensor's own padding lanes (the slice ends at the tensor's last channel):
    /// for an op that computes exact zeros in those lanes (zero input lanes, weights and bias, and
    /// an activation with act(0) = 0), so the tensor's padding stays zero.
    @inline(__always)
    func vectorPointer(n: Int, block: Int, pixel: Int, paddingLanesAreZero: Bool) -> UnsafeMutablePointer<Float>? {
        if let p = vectorPointer(n: n, block: block, pixel: pixel) { return p }
        guard paddingLanesAreZero && aligned && endsAtTensorEnd && block &* channelBlock < channels else { return nil }
        let blockIndex: Int = offset / channelBlock &+ block
        return data + (n &* imageStride &+ blockIndex &* blockStride &+ pixel &* channelBlock)
    }

    /// The lanes that exist, one by one: those from the destination's lane `lane0` to its block's
    /// end, then the rest at the start of the next block (no division per lane).
    @inline(never)
    func storeLanes(_ v: SIMD16<Float>, n: Int, first: Int, pixel: Int) {
        let count = min(channelBlock, channels - first)
        let d = offset + first
        let lane0 = d % channelBlock
        let at = data + n * imageStride + (d / channelBlock) * blockStride + pixel * channelBlock + lane0
        let head = min(count, channelBlock - lane0)
        for i in 0..<head { at[i] = v[i] }
        guard head < count else { return }
        let next = at - lane0 + blockStride
        for i in head..<count { next[i - head] = v[i] }
    }
}

/// Loads 16 channels of one pixel: `[16]` at `p`.
@inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).load(as: SIMD16<Float>.self)
}

/// Throws when an op would read and write the same tensor or two views of one buffer (ops read
/// neighbourhoods of their input).
func checkNotAliased(_ input: Tensor, _ output: ChannelSlice, _ what: String) throws {
    if input.root === output.tensor.root {
        throw EngineError.invalidParameter("\(what): output tensor must not be the input tensor (or share its buffer)")
    }
}

/// Whether writing `channels` channels into `slice` may touch what an op reading `tensor`
/// reads, or (for two slices) what the other writes: same buffer and overlapping channels, in the
/// buffer owner's channel numbering (views of one tensor's different blocks do not conflict).
func overlaps(_ a: ChannelSlice, _ ac: Int, _ b: ChannelSlice, _ bc: Int) -> Bool {
    guard a.tensor.root === b.tensor.root else { return false }
    let a0 = a.tensor.parentChannelOffset + a.offset, b0 = b.tensor.parentChannelOffset + b.offset
    return a0 < b0 + bc && b0 < a0 + ac
}

/// Whether an op writing `slice` (`channels` wide) writes anything of tensor `t`.
func writes(_ slice: ChannelSlice, _ channels: Int, into t: Tensor) -> Bool {
    overlaps(slice, channels, ChannelSlice(t), t.shape.c)
}
