/// The task split the elementwise ops share: one task per (image, channel block, chunk of about
/// `pixelsPerTask` pixels), so a task is worth claiming (as `PoolOp` found) and two threads balance.
struct ElementwiseTasks {
    let n: Int
    let blocks: Int
    let pixels: Int
    let chunk: Int
    let chunks: Int

    static let pixelsPerTask = 1024

    init(_ shape: TensorShape) {
        n = shape.n
        blocks = (shape.c + channelBlock - 1) / channelBlock
        pixels = shape.h * shape.w
        chunk = min(pixels, ElementwiseTasks.pixelsPerTask)
        chunks = (pixels + chunk - 1) / chunk
    }

    var count: Int { n * blocks * chunks }

    /// Task t's image, block and pixel range.
    func task(_ t: Int) -> (n: Int, block: Int, pixels: Range<Int>) {
        let c = t % chunks
        return (t / (blocks * chunks), t / chunks % blocks, c * chunk..<min(pixels, (c + 1) * chunk))
    }

    /// Where task t's output starts in its image, for `OpGraph`'s ordering.
    func position(_ t: Int) -> Int { t / (blocks * chunks) * pixels + t % chunks * chunk }
}

/// The task split of the ops that reduce over each pixel's channels (`LayerNormOp`, `L2NormOp`): a
/// pixel's channels lie one per lane across its blocks, so a task is (image, run of pixels) — about
/// 256 pixel-channel blocks, whole steps of 8 pixels — and walks every block of each of its pixels.
/// `lastMask` keeps the last block's lanes past the channels out of the per-pixel sums.
struct PixelTasks {
    static let pixelsPerStep = 8
    let images: Int
    let pixels: Int
    let pixelsPerTask: Int
    let chunks: Int
    /// 1 in the lanes of real channels of the last block, 0 past them.
    let lastMask: SIMD16<Float>

    init(_ input: Tensor) {
        let s = input.shape
        images = s.n
        pixels = s.h * s.w
        let per = max(
            PixelTasks.pixelsPerStep, 256 / input.blocks / PixelTasks.pixelsPerStep * PixelTasks.pixelsPerStep)
        pixelsPerTask = min(pixels, per)
        chunks = (pixels + pixelsPerTask - 1) / pixelsPerTask
        let real = s.c - (input.blocks - 1) * channelBlock
        var m = SIMD16<Float>()
        for i in 0..<real { m[i] = 1 }
        lastMask = m
    }

    var count: Int { images * chunks }

    /// Task t's image and pixel range.
    func task(_ t: Int) -> (n: Int, pixels: Range<Int>) {
        let p0 = t % chunks * pixelsPerTask
        return (t / chunks, p0..<min(pixels, p0 + pixelsPerTask))
    }

    /// Where task t's output starts in its image, for `OpGraph`'s ordering.
    func position(_ t: Int) -> Int { t / chunks * pixels + t % chunks * pixelsPerTask }
}

/// Channel-wise vectors packed `[block][16]` (lanes past the channels zero), or nil.
func packChannels(_ values: [Float]?, channels: Int, fill: Float = 0) -> UnsafeMutablePointer<Float>? {
    guard let values else { return nil }
    let blocks = (channels + channelBlock - 1) / channelBlock
    let p = allocateFloats(blocks * channelBlock)
    if fill != 0 { p.update(repeating: fill, count: blocks * channelBlock) }
    for c in 0..<channels { p[c] = values[c] }
    return p
}

/// Throws unless an elementwise op may write `output` while reading `input`: a different buffer, or
/// exactly the same elements (in place: each element is read just before it is written).
func checkElementwiseAlias(_ input: Tensor, _ output: ChannelSlice, _ what: String) throws {
    guard input.root === output.tensor.root else { return }
    guard input.parentChannelOffset == output.tensor.parentChannelOffset + output.offset else {
        throw EngineError.invalidParameter(
            "\(what): output overlaps an input at other channels (in place needs the same ones)")
    }
}
