/// A flat 1×1 conv's long reduction cut into chunks whose weights stay in L1 across a task's tiles.
///
/// Without it every tile of a task sweeps the group's whole weight matrix: 2080 input channels × 4
/// output blocks is 532 KB, read once per 5-pixel tile from L2 (4 cache lines per reduction step
/// for 20 FMAs), which is what held Inception-ResNet-v2's 8×8 1×1 convs and InceptionNeXt's stage-4
/// MLP below the larger maps' speed. Chunked, the task runs all its tiles over the first `steps`
/// reduction steps (their weights, ≤ `groupBytes`, then sit in L1 for the other tiles), stores the
/// partial sums in thread scratch, and continues from them over the next chunk; the last chunk adds
/// the bias, applies ReLU and the epilogue and stores to the output as an unchunked call would.
///
/// Every output pixel still gets the same FMAs in the same order (a partial sum is stored and
/// reloaded exactly; the bias of 0 added to it on the way out leaves it unchanged), so the result is
/// bit for bit the unchunked one, whatever the chunk, task or thread split.
enum ConvReductionChunks {
    /// Bytes of one chunk of a group's packed weights: two thirds of the 48 KB L1 of this machine's
    /// cores, leaving room for the tile's input lines and the partial sums.
    static let groupBytes = 32 * 1024
    /// Chunking pays only when a task's unchunked working set — the group's weights, the next
    /// group's being prefetched beside them, the task's input over the whole reduction — crowds L2
    /// out (1 MiB: half of this machine's 2 MiB L2, all of Zen 4's). Measured, 1 thread, in a pass
    /// (with the even task split): Inception-ResNet-v2's conv2d_7b, 2080 → 1536 on 8×8 (1.3 MiB),
    /// 0.94×, InceptionNeXt's stage-4 fc2, 3072 → 768 on 7×7 (2.1 MiB), 0.86×; but 768 → 3072 on
    /// 7×7 (0.5 MiB) 1.05–1.08× in `engine-microbench`, and Block17's 1×1s on 17×17 (1088 → 192:
    /// 0.7 MiB per 50-pixel task) 1.04× in a pass: there the tiles find the weights in L2 anyway
    /// and the chunks only add calls.
    static let workingSetBytes = 1024 * 1024

    /// Reduction steps per chunk for tasks of up to `taskPixels` pixels and groups of up to `blocks`
    /// output blocks over `reduction` steps, or 0 for the plain path (the working set fits L2, or
    /// the group's weights fit one chunk). Chunks are whole input blocks (a tile's input lines are
    /// not split between chunks); the last may be shorter.
    static func steps(reduction: Int, blocks: Int, taskPixels: Int) -> Int {
        let float = MemoryLayout<Float>.stride
        let bytes = blocks * reduction * channelBlock * float
        guard bytes > groupBytes, 2 * bytes + reduction * taskPixels * float > workingSetBytes else { return 0 }
        let chunks = (bytes + groupBytes - 1) / groupBytes
        let steps = (reduction + chunks - 1) / chunks
        return min(reduction, (steps + channelBlock - 1) / channelBlock * channelBlock)
    }

    /// Floats of thread scratch the partial sums of a task of `pixels` pixels take.
    static func sumFloats(pixels: Int) -> Int { ConvRowDriver.maxGroupBlocks * pixels * channelBlock }

    /// `ConvRowDriver.run` over chunks of `steps` reduction steps; partial sums at `sums`
    /// (`sumFloats(pixels:)` floats), `zeroBias` 16 · blocks zeros.
    static func run(
        _ a: ConvKernelArgs, blocks fb: Int, pixels: Int, steps: Int, sums: UnsafeMutablePointer<Float>,
        zeroBias: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        prefetch: inout WeightPrefetch?, epilogue: ConvEpilogue?
    ) {
        var k0 = 0
        while k0 < a.reduction {
            let n = min(steps, a.reduction - k0)
            var c = a
            c.reduction = n
            c.xOffsets = a.xOffsets + k0
            c.w = a.w + k0 &* a.wStep
            c.partial = k0 == 0 ? nil : UnsafePointer(sums)
            c.partialBlock = pixels * channelBlock
            let last = k0 + n == a.reduction
            if !last {
                c.y = sums
                c.yBlock = pixels * channelBlock
                c.alignedStore = true
                c.bias = zeroBias
                c.relu = false
            }
            if var ahead = prefetch {
                ConvRowDriver.run(
                    c, blocks: fb, pixels: pixels, edge: nil, scratch: scratch, prefetch: &ahead,
                    epilogue: last ? epilogue : nil)
                prefetch = ahead
            } else {
                ConvRowDriver.run(
                    c, blocks: fb, pixels: pixels, edge: nil, scratch: scratch, epilogue: last ? epilogue : nil)
            }
            k0 += n
        }
    }
}
