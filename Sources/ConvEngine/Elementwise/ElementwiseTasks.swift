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
