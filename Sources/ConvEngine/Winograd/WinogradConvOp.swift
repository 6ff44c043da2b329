/// A planned stride-1 convolution by Winograd's minimal filtering on NCHW16c tensors: F(m×m, 3×3)
/// (m = 2, 4, 6) and F(m×m, 5×5) (m = 2, 4) in 2-D, and 1-D along the long axis of 1×n / n×1
/// kernels (F(m,3), F(2,7), F(4,7); the identity along the other axis). Any zero padding, bias, fused
/// ReLU, writing into a channel slice — the same contract as `Conv2DOp`, with th · tw
/// multiplications per mh · mw outputs and input channel instead of mh · mw · kh · kw.
///
/// Plan: transforms and packs the weights once (`WinogradWeights`). Run: one task per (image,
/// chunk of consecutive output tiles, range of output-channel groups). A task
///   1. transforms its tiles' inputs, all input blocks, into thread scratch V `[ξ][tile][ic]`
///      (padding and the ragged edge read as zeros, no padded copy);
///   2. per group of ≤ 4 output blocks, runs the ξ element-wise products as GEMMs over the input
///      channels on the direct conv's register-blocked micro-kernel (`ConvMicroKernel`: a "pixel" is
///      a tile, the reduction is the input channels), into scratch M `[ξ][block][tile][16]`;
///   3. transforms M back to output pixels, adds the bias, applies ReLU and stores into the output
///      slice (pixels past the output's edge dropped).
/// No transformed tensor larger than a task's tiles exists: V and M live in the thread's scratch.
/// 3×3 kernels use the hand-expanded 2-D tile transforms, others the hand-expanded 1-D transforms
/// per axis (`Winograd1D`). Like every engine op, each output element is computed inside one
/// task in a fixed order: results do not depend on the thread count.
///
/// Accuracy: the transforms amplify fp32 rounding, more for larger tiles (see `WinogradTransform`);
/// the planner measures each candidate against the direct conv on the real shape and drops those
/// that miss the bound (`InceptionRuntime`'s algorithm choice).
public final class WinogradConvOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let params: ConvParams
    public let outChannels: Int
    /// The transforms along height and width (`WinogradTransform.identity` on a one-tap axis).
    public let transformH: WinogradTransform
    public let transformW: WinogradTransform
    public let outH: Int
    public let outW: Int
    /// A fused residual join (its scale folded into the weights), or nil.
    public let residual: Residual?
    /// The direct conv's FLOPs (2 · MACs, fvcore's count), the work the layer is credited with.
    public let flops: Int
    /// FLOPs the element-wise stage actually executes: 2 · tiles · th · tw · inChannels ·
    /// outChannels (transforms not counted; tiles cover the output rounded up to whole tiles).
    public let executedFlops: Int
    var workFlops: Int { executedFlops }

    let packed: WinogradWeights
    /// `[inChannels]`: where each real input channel sits in a V row (block · 16 + lane).
    private let channelTable: UnsafeMutablePointer<Int32>
    private let zeroBias: UnsafeMutablePointer<Float>
    let tilesH: Int
    let tilesW: Int
    /// Tiles per task (the last chunk of an image may have fewer).
    let tilesPerTask: Int
    private let chunks: Int
    /// Output-channel groups (first block, block count ≤ 4) and the group ranges of the tasks.
    private let groups: [(first: Int, count: Int)]
    private let splits: [Range<Int>]

    /// Most tiles one task transforms (bounds the scratch, and the tail of the last chunk).
    static let maxTilesPerTask = 64
    /// Tasks per image the split aims for, so two threads balance and OpGraph can interleave.
    static let targetTasks = 4
    /// Vectors of per-tile work space (gathered tile + row pass, then row pass + output tile).
    static let workVectors = 4 * 64

    /// Scratch floats per task for `tiles` tiles of ξ products and `inBlocks` input blocks.
    static func scratchFloats(xi: Int, tiles: Int, inBlocks: Int) -> Int {
        xi * tiles * inBlocks * channelBlock  // V
            + xi * ConvRowDriver.maxGroupBlocks * tiles * channelBlock  // M
            + workVectors * channelBlock
    }

    /// Whether the op can be planned: a stride-1 kernel with transforms for `tile`, whose scratch
    /// fits one tile of work.
    public static func supports(kernelH: Int, kernelW: Int, params: ConvParams, inChannels: Int, tile m: Int) -> Bool {
        guard params.strideH == 1, params.strideW == 1,
            let (h, w) = WinogradTransform.pair(kernelH: kernelH, kernelW: kernelW, tile: m)
        else { return false }
        let inBlocks = (inChannels + channelBlock - 1) / channelBlock
        return scratchFloats(xi: h.t * w.t, tiles: 1, inBlocks: inBlocks) <= ThreadPool.scratchBytes
            / MemoryLayout<Float>.stride
    }

    /// `residual`: a fused shortcut added before the activation, as in `Conv2DOp` (its scale folded
    /// into the weights before they are transformed).
    public init(
        input: Tensor, output: ChannelSlice, params: ConvParams, weights unscaled: ConvWeights, tile m: Int,
        residual: Residual? = nil
    ) throws {
        let s = input.shape
        let weights = try unscaled.scalingOutputs(by: residual?.scale ?? 1)
        let (kh, kw) = (weights.kernelH, weights.kernelW)
        guard let (fh, fw) = WinogradTransform.pair(kernelH: kh, kernelW: kw, tile: m) else {
            throw EngineError.invalidParameter("winograd conv: no F(\(m),·) transform for a \(kh)x\(kw) kernel")
        }
        guard params.strideH == 1, params.strideW == 1 else {
            throw EngineError.invalidParameter(
                "winograd conv: needs stride 1, got \(kh)x\(kw) stride \(params.strideH)x\(params.strideW)")
        }
        guard weights.inChannels == s.c else {
            throw EngineError.invalidShape(
                "winograd conv: weights expect \(weights.inChannels) input channels, input has \(s.c)")
        }
        guard WinogradConvOp.supports(kernelH: kh, kernelW: kw, params: params, inChannels: s.c, tile: m) else {
            throw EngineError.invalidShape(
                "winograd conv: \(s.c) input channels do not fit the thread scratch for F(\(m),·)")
        }
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w, kh: kh, kw: kw)
        try output.validate("winograd conv", n: s.n, channels: weights.outChannels, h: oh, w: ow)
        try checkNotAliased(input, output, "winograd conv")
        try residual?.validate(
            "winograd conv", input: input, output: output, outChannels: weights.outChannels, h: oh, w: ow)
        guard input.blocks * s.h * s.w * channelBlock < Int(Int32.max) else {
            throw EngineError.invalidShape("winograd conv: input \(s) is too large for one image (2^31 floats)")
        }

        self.input = input
        self.output = output
        self.params = params
        self.residual = residual
        outChannels = weights.outChannels
        transformH = fh
        transformW = fw
        outH = oh
        outW = ow
        tilesH = (oh + fh.m - 1) / fh.m
        tilesW = (ow + fw.m - 1) / fw.m
        let tiles = tilesH * tilesW
        let xi = fh.t * fw.t
        flops = 2 * s.n * oh * ow * weights.outChannels * s.c * kh * kw
        executedFlops = 2 * s.n * tiles * xi * s.c * weights.outChannels

        let g = Conv2DOp.outputGroups(outChannels: weights.outChannels)
        let ob = (weights.outChannels + channelBlock - 1) / channelBlock
        groups = g

        // Task split. Every task streams the transformed weights of its groups once (ξ · ic · 64
        // floats per group: 1.5 MB for a 160 → 64 F(4,3) group; inside a network pass they come
        // from memory), so tiles per task are as many as the scratch holds (whole images where they
        // fit); a split by output groups costs only another input transform of the tiles (cheap
        // next to the products). So: fewest chunks, then groups split until a pool has
        // `targetTasks` tasks per image, and more chunks only when there would be a single task
        // (measured: 16 tiles per task instead spent up to half the time re-reading weights on
        // 14×14 maps).
        let scratch = ThreadPool.scratchBytes / MemoryLayout<Float>.stride
        var most = min(tiles, WinogradConvOp.maxTilesPerTask)
        while most > 1 && WinogradConvOp.scratchFloats(xi: xi, tiles: most, inBlocks: input.blocks) > scratch {
            most -= 1
        }
        var chunkCount = (tiles + most - 1) / most
        let target = WinogradConvOp.targetTasks
        let splitCount = min(g.count, max(1, (target + chunkCount - 1) / chunkCount))
        if chunkCount * splitCount < 2 { chunkCount = min(tiles, 2) }
        // Chunks of whole micro-kernel tiles where the scratch allows: a chunk of 51 tiles is ten
        // 5-tile kernel calls and one 1-tile call, which runs at a fifth of the rate (measured 9% of
        // a 7×1 F(2,7) layer); rounded up to 55, only the last chunk of the op has a ragged end.
        var perTask = (tiles + chunkCount - 1) / chunkCount
        let widest = ConvRowDriver.tileWidths(blocks: g.map(\.1).max() ?? 1)[0]
        let rounded = (perTask + widest - 1) / widest * widest
        if rounded <= most && rounded < tiles { perTask = rounded }
        tilesPerTask = perTask
        chunks = (tiles + tilesPerTask - 1) / tilesPerTask
        var r: [Range<Int>] = []
        for i in 0..<splitCount { r.append(i * g.count / splitCount..<(i + 1) * g.count / splitCount) }
        splits = r

        packed = WinogradWeights(weights, h: fh, w: fw, groups: g)
        zeroBias = allocateFloats(ob * channelBlock)
        channelTable = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, s.c))
        for i in 0..<s.c { channelTable[i] = Int32(i) }
    }

    deinit {
        packed.deallocate()
        zeroBias.deallocate()
        channelTable.deallocate()
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n * chunks * splits.count }
    var reads: [Tensor] { residual.map { [input, $0.shortcut] } ?? [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, outChannels) }

    /// Task t: image, chunk, split (split fastest, so a chunk's splits sit side by side in position).
    func taskPosition(_ t: Int) -> Int {
        let n = t / (chunks * splits.count)
        let chunk = t / splits.count % chunks
        let q = chunk * tilesPerTask
        return n * outH * outW + (q / tilesW) * transformH.m * outW + (q % tilesW) * transformW.m
    }

    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        switch (transformH.r, transformW.r, transformW.m) {
        case (3, 3, 2): runTask(WinogradF2.self, t, raw)
        case (3, 3, 4): runTask(WinogradF4.self, t, raw)
        case (3, 3, 6): runTask(WinogradF6.self, t, raw)
        default: runTask(WinogradF2.self, t, raw, generic: true)
        }
    }

    /// One task; `W` is the 3×3 fast path's tile unless `generic` (then per-axis 1-D transforms).
    private func runTask<W: WinogradTile>(_ w: W.Type, _ t: Int, _ raw: UnsafeMutableRawPointer, generic: Bool = false)
    {
        let s = input.shape
        let n = t / (chunks * splits.count)
        let chunk = t / splits.count % chunks
        let split = splits[t % splits.count]
        let q0 = chunk * tilesPerTask
        let tiles = min(tilesPerTask, tilesH * tilesW - q0)
        let (mh, mw, th, tw) = (transformH.m, transformW.m, transformH.t, transformW.t)
        let xiCount = th * tw
        let icp = input.blocks * channelBlock
        // A 1×n or n×1 kernel: one transform along its long axis (`input1D`), not a 2-D one.
        let oneD = generic && (th == 1 || tw == 1)
        let alongH = tw == 1

        // Scratch: V [ξ][tile][icp] | M [ξ][≤4 blocks][tile][16] | tile work.
        let v = raw.assumingMemoryBound(to: Float.self)
        let mBuf = v + xiCount * tiles * icp
        let work = UnsafeMutableRawPointer(mBuf + xiCount * ConvRowDriver.maxGroupBlocks * tiles * channelBlock)
            .assumingMemoryBound(to: V16.self)

        // The task's weights are one stream (its groups are consecutive): each GEMM's kernel calls
        // prefetch the next U_ξ, and the input transform starts on the first (see `WeightPrefetch`).
        let streamStart = packed.weights(group: split.lowerBound, xi: 0)
        let streamFloats = split.reduce(0) { $0 + xiCount * s.c * groups[$1].count * channelBlock }
        let firstLines =
            s.c * groups[split.lowerBound].count * channelBlock * MemoryLayout<Float>.stride / WeightPrefetch.lineBytes
        // Only where the GEMMs can spread the next U_ξ over their kernel calls (`WeightPrefetch.share`);
        // then at most 16 lines per tile here: a tile's transform is short, and a burst stalls the
        // core. (14×14 F(2,3) needs 8–13 for a whole U_0; with a cap of 8, 4e's 3×3 ran 1.12× as
        // long cold and 1.13× inside GoogLeNet's pass.)
        let firstCalls = ConvRowDriver.calls(blocks: groups[split.lowerBound].count, pixels: tiles)
        let spreads = WeightPrefetch.spreads(lines: (firstLines + firstCalls - 1) / firstCalls, over: s.c)
        var ahead = WeightPrefetch(
            streamStart, floats: streamFloats,
            linesPerStep: spreads ? min(16, (firstLines + tiles - 1) / tiles) : 0)

        // 1. Input transform of every tile and input block.
        let image = UnsafePointer(input.data) + n * input.imageStride
        let vVec = UnsafeMutableRawPointer(v).assumingMemoryBound(to: V16.self)
        let vStride = tiles * icp / channelBlock
        for p in 0..<tiles {
            ahead.step()
            let q = q0 + p
            let y0 = (q / tilesW) * mh - params.pad.top, x0 = (q % tilesW) * mw - params.pad.left
            for ib in 0..<input.blocks {
                let plane = image + ib * input.blockStride
                let dst = vVec + (p * icp) / channelBlock + ib
                if oneD {
                    WinogradTiles.input1D(
                        plane: plane, h: s.h, w: s.w, y0: y0, x0: x0, t: xiCount, alongH: alongH,
                        v: dst, vStride: vStride, work: work)
                } else if generic {
                    WinogradTiles.inputAnyShape(
                        plane: plane, h: s.h, w: s.w, y0: y0, x0: x0, th: th, tw: tw,
                        v: dst, vStride: vStride, work: work)
                } else {
                    WinogradTiles.input(
                        W.self, plane: plane, h: s.h, w: s.w, y0: y0, x0: x0, v: dst, vStride: vStride,
                        work: work)
                }
            }
        }

        let store = SliceStore(output, channels: outChannels)
        let y = work + 2 * 64
        for gi in split {
            let group = groups[gi]
            let fb = group.count
            let lines = s.c * fb * channelBlock * MemoryLayout<Float>.stride / WeightPrefetch.lineBytes
            let calls = ConvRowDriver.calls(blocks: fb, pixels: tiles)
            ahead.linesPerStep = (lines + calls - 1) / calls
            // 2. ξ GEMMs: M_ξ[tile][oc] = Σ_ic V_ξ[tile][ic] · U_ξ[ic][oc].
            for xi in 0..<xiCount {
                let args = ConvKernelArgs(
                    x: UnsafePointer(v + xi * tiles * icp), xPixel: icp, reduction: s.c,
                    xOffsets: UnsafePointer(channelTable),
                    w: packed.weights(group: gi, xi: xi), wBlock: channelBlock, wStep: fb * channelBlock,
                    bias: UnsafePointer(zeroBias), relu: false,
                    y: mBuf + xi * fb * tiles * channelBlock, yBlock: tiles * channelBlock, alignedStore: true,
                    yImage: mBuf, yChannel0: 0, yPixel0: 0, validChannels: fb * channelBlock)
                ConvRowDriver.run(args, blocks: fb, pixels: tiles, edge: nil, scratch: mBuf, prefetch: &ahead)
            }
            // 3. Output transform, bias, ReLU, store.
            let mVec = UnsafeMutableRawPointer(mBuf).assumingMemoryBound(to: V16.self)
            for p in 0..<tiles {
                let q = q0 + p
                let oy = (q / tilesW) * mh, ox = (q % tilesW) * mw
                let rows = min(mh, outH - oy), cols = min(mw, outW - ox)
                for f in 0..<fb {
                    if oneD {
                        Winograd1D.output(m: alongH ? mh : mw, t: xiCount, mVec + f * tiles + p, fb * tiles, y, 1)
                    } else if generic {
                        WinogradTiles.outputAnyShape(
                            m: mVec + f * tiles + p, mStride: fb * tiles, mh: mh, mw: mw,
                            th: th, tw: tw, y: y, work: work)
                    } else {
                        WinogradTiles.output(W.self, m: mVec + f * tiles + p, mStride: fb * tiles, y: y, work: work)
                    }
                    let block = group.first + f
                    let bias = loadVector(packed.bias + block * channelBlock)
                    let sc = residual.map { r in
                        UnsafePointer(r.shortcut.data) + n * r.shortcut.imageStride + block * r.shortcut.blockStride
                    }
                    for r in 0..<rows {
                        for c in 0..<cols {
                            let pixel = (oy + r) * outW + ox + c
                            var value = y[r * mw + c] + bias
                            if let sc { value += loadVector(sc + pixel * channelBlock) }
                            store.store(params.activation.apply(value), n: n, block: block, pixel: pixel)
                        }
                    }
                }
            }
        }
    }
}
