/// A stride-1 "same" max or average pool followed by a 1×1 conv, as one op: each task pools just
/// the pixels it convolves, for every input block, into thread scratch and runs the 1×1 conv's
/// micro-kernel over that — the pooled tensor never exists.
///
/// Why: the pool branch of an inception block (GoogLeNet's 3×3 max pool → 1×1 "pool proj",
/// Inception-v3's 3×3 average pool → 1×1) is a pass over the whole block input that writes a tensor
/// as large, which the conv then reads back; at 2 threads the two ops also hand that tensor from
/// core to core. Measured inside whole passes (`bench --profile`, alternating rounds): at 2 threads
/// GoogLeNet's nine pool branches 0.573 → 0.470 ms and Inception-v3's 2.8 → 1.9 ms; at 1 thread
/// 0.85 → 0.83 and 3.07 → 2.98 ms. Hot in cache on one thread the fused op is a little slower than
/// the two ops (`engine-microbench --only pb.`: 0.145 vs 0.124 ms on 3b's 256 → 64): pooling a
/// chunk reads every input block at once, where the pool op streams one plane at a time.
///
/// Results are bitwise those of `PoolOp` then `Conv2DOp`: the window is reduced in the same order
/// (each column over the window's rows top to bottom, then the columns left to right, then the
/// average's divisor), and the conv's reduction runs over the input channels in the flat 1×1 conv's
/// order on the same micro-kernel.
///
/// Run: one task per (image, chunk of consecutive output pixels), all output-channel groups in the
/// task (the chunk is pooled once). Chunks are whole micro-kernel tiles, at most 50 pixels, and
/// small enough that an image has about 8 tasks (a 7×7 map: 5-pixel chunks, 10 tasks).
public final class PooledConvOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let pool: PoolKind
    public let poolParams: PoolParams
    public let input: Tensor
    public let output: ChannelSlice
    public let params: ConvParams
    public let outChannels: Int
    /// The conv's FLOPs (2 · MACs); the pool's comparisons and additions are not counted, as for
    /// `PoolOp`.
    public let flops: Int

    private let packed: PackedConvWeights
    /// Offsets of the reduction steps into the pooled chunk `[inBlocks][chunkPixels][16]`.
    private let xOffsets: UnsafeMutablePointer<Int32>
    private let groups: [(first: Int, count: Int)]
    /// Output pixels per task (the last chunk of an image may have fewer), and chunks per image.
    let chunkPixels: Int
    private let chunks: Int

    /// Whether a pool and the 1×1 conv after it can be one op: the pool keeps the map's size
    /// (stride 1, window 2·pad + 1 per axis) and the conv is 1×1, stride 1, unpadded.
    public static func fuses(pool p: PoolParams, kernelH: Int, kernelW: Int, conv: ConvParams) -> Bool {
        p.strideH == 1 && p.strideW == 1 && p.kernelH == 2 * p.padH + 1 && p.kernelW == 2 * p.padW + 1
            && kernelH == 1 && kernelW == 1 && conv.strideH == 1 && conv.strideW == 1 && conv.pad.isZero
    }

    public init(
        _ pool: PoolKind, poolParams: PoolParams, input: Tensor, output: ChannelSlice, params: ConvParams,
        weights: ConvWeights
    ) throws {
        let s = input.shape
        guard PooledConvOp.fuses(pool: poolParams, kernelH: weights.kernelH, kernelW: weights.kernelW, conv: params)
        else {
            throw EngineError.invalidParameter(
                "pooled conv: needs a stride-1 same-size pool and a 1x1 stride-1 unpadded conv, got a "
                    + "\(poolParams.kernelH)x\(poolParams.kernelW)/\(poolParams.strideH) pool and a "
                    + "\(weights.kernelH)x\(weights.kernelW) conv")
        }
        guard weights.inChannels == s.c else {
            throw EngineError.invalidShape(
                "pooled conv: weights expect \(weights.inChannels) input channels, input has \(s.c)")
        }
        try output.validate("pooled conv", n: s.n, channels: weights.outChannels, h: s.h, w: s.w)
        try checkNotAliased(input, output, "pooled conv")
        guard params.activation != .gelu else {
            throw EngineError.invalidParameter("pooled conv: a GELU epilogue is not supported here; plan Conv2DOp")
        }
        let g = Conv2DOp.outputGroups(outChannels: weights.outChannels)
        let pixels = s.h * s.w
        let tile = ConvRowDriver.tileWidths(blocks: g.map(\.count).max() ?? 1)[0]
        var chunk = tile * max(1, min(50 / tile, pixels / 8 / tile))
        // Thread scratch: the conv's tile, the pooled chunk, then one row's reduced columns (at most
        // chunk + 2 · pad of them).
        let room =
            (ThreadPool.scratchBytes / MemoryLayout<Float>.stride - ConvRowDriver.tileScratchFloats)
            / channelBlock - 2 * poolParams.padW
        chunk = min(chunk, room / (input.blocks + 1))
        guard chunk >= 1 else {
            throw EngineError.invalidShape("pooled conv: \(s.c) input channels do not fit the thread scratch")
        }
        self.pool = pool
        self.poolParams = poolParams
        self.input = input
        self.output = output
        self.params = params
        outChannels = weights.outChannels
        flops = 2 * s.n * pixels * weights.outChannels * s.c
        packed = PackedConvWeights(weights)
        xOffsets = PackedConvWeights.inputOffsets(inChannels: s.c, kernelH: 1, kernelW: 1, planeH: 1, planeW: chunk)
        groups = g
        chunkPixels = chunk
        chunks = (pixels + chunk - 1) / chunk
    }

    deinit {
        packed.deallocate()
        xOffsets.deallocate()
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n * chunks }
    func taskPosition(_ t: Int) -> Int { t / chunks * input.shape.h * input.shape.w + t % chunks * chunkPixels }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, outChannels) }

    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        let s = input.shape
        let n = t / chunks
        let p0 = t % chunks * chunkPixels
        let count = min(chunkPixels, s.h * s.w - p0)
        let scratch = raw.assumingMemoryBound(to: Float.self)
        let pooled = scratch + ConvRowDriver.tileScratchFloats
        let columns = UnsafeMutableRawPointer(pooled + input.blocks * chunkPixels * channelBlock)
            .assumingMemoryBound(to: SIMD16<Float>.self)
        switch pool {
        case .max: poolChunk(MaxReducer.self, n: n, p0: p0, count: count, into: pooled, columns: columns)
        case .average: poolChunk(SumReducer.self, n: n, p0: p0, count: count, into: pooled, columns: columns)
        }
        for group in groups {
            let args = ConvKernelArgs(
                x: UnsafePointer(pooled), xPixel: channelBlock, reduction: s.c, xOffsets: xOffsets,
                packed: packed, group: group, relu: params.relu, output: output, outChannels: outChannels,
                n: n, pixel0: p0)
            ConvRowDriver.run(args, blocks: group.count, pixels: count, edge: nil, scratch: scratch)
        }
    }

    /// Pools output pixels `p0 ..< p0 + count` of image `n`, every input block, into
    /// `pooled[block][pixel - p0][16]`: per row of the chunk, each input column the windows need is
    /// reduced over the window's rows into `columns`, then each output over its window's columns
    /// (`PoolOp`'s order).
    @inline(__always)
    private func poolChunk<R: PoolReducer>(
        _: R.Type, n: Int, p0: Int, count: Int, into pooled: UnsafeMutablePointer<Float>,
        columns: UnsafeMutablePointer<SIMD16<Float>>
    ) {
        let s = input.shape
        let p = poolParams
        let pooledVec = UnsafeMutableRawPointer(pooled).assumingMemoryBound(to: SIMD16<Float>.self)
        let rowStride = s.w &* channelBlock
        var q = p0
        while q < p0 &+ count {
            let oy = q / s.w, x0 = q % s.w
            let x1 = min(s.w, x0 &+ (p0 &+ count &- q))
            let wy = PoolParams.window(oy, n: s.h, kernel: p.kernelH, stride: 1, pad: p.padH)
            let rows = wy.hi &- wy.lo
            let cLo = max(0, x0 &- p.padW), cHi = min(s.w, x1 &+ p.padW)
            // 3-wide windows (every inception pool branch): the columns are combined directly, as
            // `PoolOp` does; the general loop's set-up per output cost twice the pool op's time.
            let threeWide = p.kernelW == 3 && p.padW == 1
            for block in 0..<input.blocks {
                let top =
                    UnsafePointer(input.data)
                    + (n &* input.imageStride &+ block &* input.blockStride
                        &+ wy.lo &* rowStride)
                if rows == 3 {
                    var cell = top + cLo &* channelBlock
                    for c in 0..<(cHi &- cLo) {
                        columns[c] = R.combine(
                            R.combine(loadVector(cell), loadVector(cell + rowStride)),
                            loadVector(cell + 2 &* rowStride))
                        cell += channelBlock
                    }
                } else {
                    for c in cLo..<cHi { columns[c &- cLo] = PoolOp.column(R.self, top, x: c, rows: rows, width: s.w) }
                }
                let out = pooledVec + (block &* chunkPixels &+ (q &- p0))
                for x in x0..<x1 {
                    let lo = max(0, x &- p.padW), hi = min(s.w, x &- p.padW &+ p.kernelW)
                    let first = columns + (lo &- cLo)
                    var v: SIMD16<Float>
                    if threeWide && hi &- lo == 3 {
                        v = R.combine(R.combine(first[0], first[1]), first[2])
                    } else {
                        v = first[0]
                        var c = 1
                        while c < hi &- lo {
                            v = R.combine(v, first[c])
                            c &+= 1
                        }
                    }
                    if R.self == SumReducer.self {
                        // A same-size stride-1 window always spans kernelW columns counting the pad.
                        let cells = p.countPad ? wy.padded &* p.kernelW : rows &* (hi &- lo)
                        v /= SIMD16(repeating: Float(cells))
                    }
                    out[x &- x0] = v
                }
            }
            q &+= x1 &- x0
        }
    }
}
