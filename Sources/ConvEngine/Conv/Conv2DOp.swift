/// A planned 2-D convolution on NCHW16c tensors: zero padding, any kh × kw, stride per axis, bias,
/// folded batchnorm (see `ConvWeights.foldingBatchNorm`) and fused ReLU, writing into a channel slice.
///
/// Plan: packs the weights and fixes the task split. Padding is never materialised as a padded copy
/// of the input: top/bottom padding costs nothing, because the reduction runs kh-major and for each
/// output row the kernel runs over just the contiguous range of kernel rows inside the input (padded
/// rows are neither stored nor multiplied: 10% of a 7×1 conv's FMAs on 17 rows, 8% of a 3×3's on 8
/// rows). Left/right padding: tiles inside the input read it in place; the tiles at the row ends
/// gather their windows into thread scratch with zero columns (`ConvEdgeInput`). Only when that
/// scratch would not fit (very many channels × a wide kernel) does the plan fall back to a
/// zero-bordered copy of the whole input (border zeroed once here, interior copied each run).
/// Run: one task per (image, output-channel group, row or pixel chunk). A 1×1, stride-1, unpadded
/// conv treats the image as one long row: a GEMM with no im2col.
///
/// Epilogues: bias and ReLU in the kernel's store; a fused residual (`Residual`: shortcut + scale ·
/// conv, then the activation) and GELU on each stored tile while it is in L1 (`ConvEpilogue`).
/// `inputChannels` lets the conv read a channel range of its input (one group of `GroupedDirectConvOp`),
/// also one that starts inside a channel block.
public final class Conv2DOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let params: ConvParams
    public let outChannels: Int
    public let kernelH: Int
    public let kernelW: Int
    public let outH: Int
    public let outW: Int
    public let flops: Int
    /// The input channels the conv reads (all of them unless planned for one group).
    public let inputChannels: Range<Int>
    /// A fused residual join (shortcut, scale already folded into the weights), or nil.
    public let residual: Residual?

    private let packed: PackedConvWeights
    /// The input blocks the conv reads: from `firstBlock`, `spanBlocks` of them.
    private let firstBlock: Int
    private let spanBlocks: Int
    /// `[reduction]` input offsets of the reduction steps (see `ConvKernelArgs.xOffsets`).
    private let xOffsets: UnsafeMutablePointer<Int32>
    /// Fallback only: input copy with zero columns left and right, `[n][inBlocks][h][planeW][16]`.
    private let padded: UnsafeMutablePointer<Float>?
    /// Width of the plane the kernel reads: w, or w + left + right for the fallback copy.
    private let planeW: Int
    /// Left/right padding handled by gathering edge tiles (`ConvEdgeInput`): the offset table of the
    /// gathered plane `[inBlocks][kh][edgePlaneW][16]`; nil without left/right padding or in fallback.
    private let edgeOffsets: UnsafeMutablePointer<Int32>?
    private let edgePlaneW: Int
    /// How left/right padding is handled (tests check both strategies are exercised).
    var gathersEdges: Bool { edgeOffsets != nil }
    var copiesPaddedInput: Bool { padded != nil }
    /// Output-channel groups: first block and block count (1...4) of each.
    private let groups: [(first: Int, count: Int)]
    /// One image's tasks, fixed at plan time from the shapes alone (group-major, so a thread taking
    /// consecutive tasks keeps one group's weights in cache).
    private let tasks: [ConvTask]
    /// Per group, its tasks' indices in `tasks`.
    private let groupTasks: [Range<Int>]
    /// The weights outweigh the input at least twice (a 3×3 on a 7×7 map, a 1×1 from 1280 channels
    /// on 8×8): task positions go group by group, so `OpGraph`'s two threads split the output
    /// channels — each streams half the weights — rather than the pixels, where each streamed all
    /// of them (see `taskPosition`).
    let positionsByGroup: Bool
    /// Flat 1×1 convs whose tasks' working set crowds L2: reduction steps per chunk
    /// (`ConvReductionChunks`), 0 for the whole reduction in one sweep per tile. The partial sums
    /// sit in thread scratch after the tile (where edge planes go; a flat conv has no edges).
    let chunkSteps: Int
    /// `[maxGroupBlocks · 16]` zeros: the bias of a chunk that stores partial sums.
    private let zeroBias: UnsafeMutablePointer<Float>

    /// `inputChannels`: the channels of `input` the weights' input channels are (default all);
    /// `residual`: a shortcut added before the activation (its scale folded into the weights here).
    public init(
        input: Tensor, output: ChannelSlice, params: ConvParams, weights unscaled: ConvWeights,
        inputChannels: Range<Int>? = nil, residual: Residual? = nil
    ) throws {
        let s = input.shape
        let channels = inputChannels ?? 0..<s.c
        guard channels.lowerBound >= 0, channels.upperBound <= s.c, unscaled.inChannels == channels.count else {
            throw EngineError.invalidShape(
                "conv: weights expect \(unscaled.inChannels) input channels, input channels \(channels) of \(s.c)")
        }
        let weights = try unscaled.scalingOutputs(by: residual?.scale ?? 1)
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w, kh: weights.kernelH, kw: weights.kernelW)
        try output.validate("conv", n: s.n, channels: weights.outChannels, h: oh, w: ow)
        try checkNotAliased(input, output, "conv")
        try residual?.validate("conv", input: input, output: output, outChannels: weights.outChannels, h: oh, w: ow)
        let lane0 = channels.lowerBound % channelBlock
        let first = channels.lowerBound / channelBlock
        let span = (lane0 + channels.count + channelBlock - 1) / channelBlock
        let p = params.pad
        let g = Conv2DOp.outputGroups(outChannels: weights.outChannels)

        let sidePadded = p.left + p.right > 0
        edgePlaneW = (ConvRowDriver.maxTilePixels - 1) * params.strideW + weights.kernelW
        let gatherEdges =
            sidePadded
            && Conv2DOp.gatherBeatsCopy(
                inBlocks: span, groupBlocks: g.map(\.1),
                height: s.h, width: s.w, outH: oh, outW: ow, kernelH: weights.kernelH, kernelW: weights.kernelW,
                strideW: params.strideW, pad: p, edgePlaneW: edgePlaneW)
        planeW = sidePadded && !gatherEdges ? s.w + p.left + p.right : s.w
        guard
            span * (s.h + weights.kernelH) * (s.w + p.left + p.right + edgePlaneW) * channelBlock
                < Int(Int32.max)
        else {
            throw EngineError.invalidShape("conv: input \(s) is too large for one image (2^31 floats)")
        }
        self.input = input
        self.output = output
        self.params = params
        self.inputChannels = channels
        self.residual = residual
        firstBlock = first
        spanBlocks = span
        outChannels = weights.outChannels
        kernelH = weights.kernelH
        kernelW = weights.kernelW
        outH = oh
        outW = ow
        flops = 2 * s.n * oh * ow * weights.outChannels * weights.inChannels * weights.kernelH * weights.kernelW
        packed = PackedConvWeights(weights)
        padded = sidePadded && !gatherEdges ? allocateFloats(s.n * span * s.h * planeW * channelBlock) : nil
        xOffsets = PackedConvWeights.inputOffsets(
            inChannels: channels.count, kernelH: kernelH, kernelW: kernelW,
            planeH: s.h, planeW: planeW, lane0: lane0)
        edgeOffsets =
            gatherEdges
            ? PackedConvWeights.inputOffsets(
                inChannels: channels.count, kernelH: kernelH, kernelW: kernelW,
                planeH: kernelH, planeW: edgePlaneW, lane0: lane0)
            : nil

        groups = g

        // A 1×1, stride-1, unpadded conv sees the image as one row of h·w pixels, cut into chunks of
        // about 48 pixels (`flatChunks`) so even a one-group conv on a 28×28 image has ~16 tasks to
        // balance over the threads. Other convs: one task per output row.
        let flat =
            weights.kernelH == 1 && weights.kernelW == 1 && params.strideH == 1 && params.strideW == 1
            && p.isZero
        var t: [ConvTask] = []
        var ranges: [Range<Int>] = []
        for (gi, group) in g.enumerated() {
            defer { ranges.append((ranges.last?.upperBound ?? 0)..<t.count) }
            if flat {
                let tile = ConvRowDriver.tileWidths(blocks: group.1)[0]
                for (p0, n) in Conv2DOp.flatChunks(pixels: oh * ow, tile: tile) {
                    t.append(ConvTask(group: gi, row: 0, pixel0: p0, pixels: n))
                }
            } else {
                for r in 0..<oh { t.append(ConvTask(group: gi, row: r, pixel0: 0, pixels: ow)) }
            }
        }
        tasks = t
        groupTasks = ranges
        let taskPixels = t.map(\.pixels).max() ?? 1
        let sumsFit =
            (ConvRowDriver.tileScratchFloats + ConvReductionChunks.sumFloats(pixels: taskPixels))
            * MemoryLayout<Float>.stride <= ThreadPool.scratchBytes
        chunkSteps =
            flat && sumsFit
            ? ConvReductionChunks.steps(
                reduction: packed.reduction, blocks: g.map(\.count).max() ?? 1,
                taskPixels: taskPixels)
            : 0
        zeroBias = allocateFloats(ConvRowDriver.maxGroupBlocks * channelBlock)
        positionsByGroup =
            weights.outChannels * channels.count * weights.kernelH * weights.kernelW
            >= 2 * channels.count * s.h * s.w
    }

    /// A flat conv's pixel chunks (first pixel, count) for tiles `tile` pixels wide: as many chunks as
    /// whole 48-pixel-ish runs (`tile` · ⌊(48 + tile/2) / tile⌋ pixels) cover the image, the tiles
    /// shared evenly between them. Cut at fixed 50 pixels, an 8×8 map was tasks of 50 and 14 pixels:
    /// the short task's share of the next group's weight prefetch was too dense to spread over its 3
    /// kernel calls (`WeightPrefetch.spreads`), so half the next weights came on demand; 30 + 34
    /// made Inception-ResNet-v2's Block8 1×1 448 → 2080 + residual 0.90× as long in a pass.
    static func flatChunks(pixels: Int, tile: Int) -> [(first: Int, count: Int)] {
        let chunk = tile * max(1, (48 + tile / 2) / tile)
        let count = (pixels + chunk - 1) / chunk
        let tiles = (pixels + tile - 1) / tile
        var chunks: [(first: Int, count: Int)] = []
        var p0 = 0
        for i in 0..<count {
            let n = min(pixels - p0, (tiles * (i + 1) / count - tiles * i / count) * tile)
            chunks.append((p0, n))
            p0 += n
        }
        return chunks
    }

    /// The output-channel groups every conv op splits its work by: even groups of ≤ 4 output blocks
    /// (one micro-kernel call's accumulators). 6 blocks → 3 + 3 rather than 4 + 2, 5 → 3 + 2 not
    /// 4 + 1, since narrow groups get wider pixel tiles but fewer accumulators per weight load.
    static func outputGroups(outChannels: Int) -> [(first: Int, count: Int)] {
        let ob = (outChannels + channelBlock - 1) / channelBlock
        let groupCount = (ob + ConvRowDriver.maxGroupBlocks - 1) / ConvRowDriver.maxGroupBlocks
        var g: [(first: Int, count: Int)] = []
        var first = 0
        for i in 0..<groupCount {
            let count = (ob - first) / (groupCount - i)
            g.append((first, count))
            first += count
        }
        return g
    }

    deinit {
        packed.deallocate()
        padded?.deallocate()
        zeroBias.deallocate()
        xOffsets.deallocate()
        edgeOffsets?.deallocate()
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    /// Fallback only: the bands of the zero-bordered input copy (see `runPrologueTask`).
    var prologueTaskCount: Int { padded == nil ? 0 : input.shape.n * spanBlocks * copyBands }

    var taskCount: Int { input.shape.n * tasks.count }
    func taskPosition(_ t: Int) -> Int {
        let task = tasks[t % tasks.count]
        let image = t / tasks.count
        if positionsByGroup { return ((image * groups.count + task.group) * outH + task.row) * outW + task.pixel0 }
        return (image * outH + task.row) * outW + task.pixel0
    }
    var reads: [Tensor] { residual.map { [input, $0.shortcut] } ?? [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, outChannels) }

    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        let scratch = raw.assumingMemoryBound(to: Float.self)
        let tasksPerImage = tasks.count
        let s = input.shape
        let n = t / tasksPerImage
        let task = tasks[t % tasksPerImage]
        let group = groups[task.group]

        // Kernel rows inside the input for this output row: kh in khLo..<khHi (may be empty when the
        // window lies wholly in the padding: the output is then just the bias).
        let iy0 = task.row * params.strideH - params.pad.top
        let khLo = min(max(0, -iy0), kernelH)
        let khHi = max(khLo, min(kernelH, s.h - iy0))
        let stepsPerRow = packed.reduction / kernelH
        let kStart = khLo * stepsPerRow

        // The conv's first input block of image n: in the zero-bordered copy (which holds just the
        // conv's blocks) or in the input itself (a view's images may lie further apart than its blocks).
        let xImage =
            padded.map { UnsafePointer($0) + n * spanBlocks * s.h * planeW * channelBlock }
            ?? UnsafePointer(input.data) + n * input.imageStride + firstBlock * input.blockStride
        // Window origin (tap 0,0) of the task's first output pixel; row iy0 may be above the plane and
        // the column left of it, but only rows from iy0 + khLo on are read, and edge tiles read their
        // gathered copy instead.
        let column0 = task.pixel0 * params.strideW - (padded == nil ? params.pad.left : 0)
        let xOrigin = (iy0 * planeW + column0) * channelBlock
        let edge = edgeOffsets.map { table in
            ConvEdgeInput(
                image: xImage, blockStride: input.blockStride, inBlocks: spanBlocks, width: s.w,
                firstRow: iy0, khLo: khLo, khHi: khHi, kernelH: kernelH, kernelW: kernelW,
                strideW: params.strideW, padLeft: params.pad.left, firstPixel: task.pixel0,
                plane: scratch + ConvRowDriver.tileScratchFloats, planeW: edgePlaneW,
                offsets: UnsafePointer(table) + kStart)
        }

        let pixel0 = task.row * outW + task.pixel0
        let args = ConvKernelArgs(
            x: xImage + xOrigin, xPixel: params.strideW * channelBlock, reduction: (khHi - khLo) * stepsPerRow,
            xOffsets: xOffsets + kStart, packed: packed, group: group, kStart: kStart,
            relu: ConvEpilogue.kernelReLU(params, residual: residual),
            output: output, outChannels: outChannels, n: n, pixel0: pixel0)
        let epilogue =
            ConvEpilogue.needed(params, residual: residual)
            ? ConvEpilogue(
                shortcut: residual.map { r in
                    UnsafePointer(r.shortcut.data) + n * r.shortcut.imageStride + group.first * r.shortcut.blockStride
                        + pixel0 * channelBlock
                },
                shortcutBlock: residual?.shortcut.blockStride ?? 0, activation: params.activation,
                inPlace: residual.map { $0.shortcut.root === output.tensor.root } ?? false)
            : nil
        if chunkSteps > 0 && chunkSteps < args.reduction {
            var ahead = weightPrefetch(task: t % tasksPerImage)
            ConvReductionChunks.run(
                args, blocks: group.count, pixels: task.pixels, steps: chunkSteps,
                sums: scratch + ConvRowDriver.tileScratchFloats, zeroBias: zeroBias, scratch: scratch,
                prefetch: &ahead, epilogue: epilogue)
        } else if var ahead = weightPrefetch(task: t % tasksPerImage) {
            ConvRowDriver.run(
                args, blocks: group.count, pixels: task.pixels, edge: edge, scratch: scratch,
                prefetch: &ahead, epilogue: epilogue)
        } else {
            ConvRowDriver.run(
                args, blocks: group.count, pixels: task.pixels, edge: edge, scratch: scratch,
                epilogue: epilogue)
        }
    }

    /// Which weights task `local` prefetches while it runs (`WeightPrefetch`). Where tasks run group
    /// by group (`positionsByGroup`; one by one they always do), the K tasks of group g prefetch
    /// group g + 1's weights between them, task k the k-th share, so the next group's first sweep
    /// finds them in cache instead of stalling on memory (GoogLeNet's 5b 3×3 and 1×1 in a pass:
    /// 0.91× and 0.88×). Tasks by position meet all groups' weights in their first row, in one
    /// task each; prefetching there measured no gain (4e's 1×1: 0.98×), so they do not.
    func weightPrefetch(task local: Int) -> WeightPrefetch? {
        let gi = tasks[local].group
        guard positionsByGroup, gi + 1 < groups.count else { return nil }
        let range = groupTasks[gi]
        let next = groups[gi + 1]
        let lineFloats = WeightPrefetch.lineBytes / MemoryLayout<Float>.stride
        let lines = next.count * packed.outBlockStride / lineFloats
        let share = (lines + range.count - 1) / range.count
        let from = min(lines, (local - range.lowerBound) * share)
        let chunks = chunkSteps > 0 ? (packed.reduction + chunkSteps - 1) / chunkSteps : 1
        let calls = chunks * ConvRowDriver.calls(blocks: groups[gi].count, pixels: tasks[local].pixels)
        return WeightPrefetch(
            UnsafePointer(packed.weights) + next.first * packed.outBlockStride + from * lineFloats,
            floats: min(share, lines - from) * lineFloats, linesPerStep: (share + calls - 1) / calls)
    }

    /// Whether gathering the edge tiles' windows (per group, per row) moves fewer bytes than one
    /// zero-bordered copy of the input, and fits the thread scratch. Measured (1 thread): gathering
    /// wins for GoogLeNet's conv1 (7×7/2 on 224², 3 channels: 5% faster, and the copy was what kept
    /// 2 threads from scaling); the copy wins on narrow images with many output groups (3×3 448→384
    /// on 8×8: every tile is an edge tile and 6 groups would gather it 6 times: 4% faster copying).
    static func gatherBeatsCopy(
        inBlocks: Int, groupBlocks: [Int], height: Int, width: Int, outH: Int, outW: Int,
        kernelH: Int, kernelW: Int, strideW: Int, pad: Padding2D, edgePlaneW: Int
    ) -> Bool {
        let scratchFloats =
            min(ThreadPool.scratchBytes, ConvRowDriver.edgeScratchBytes) / MemoryLayout<Float>.stride
            - ConvRowDriver.tileScratchFloats
        guard inBlocks * kernelH * edgePlaneW * channelBlock <= scratchFloats else { return false }
        var gathered = 0
        for fb in groupBlocks {
            ConvRowDriver.forEachTile(blocks: fb, pixels: outW) { p, offset in
                let first = offset * strideW - pad.left
                if first < 0 || first + (p - 1) * strideW + kernelW > width {
                    gathered += kernelH * ((p - 1) * strideW + kernelW)
                }
            }
        }
        return gathered * outH <= height * (width + pad.left + pad.right)
    }

    /// Fallback: copies band `t` of input rows into the zero-bordered buffer. A task is one (image,
    /// block, band of rows) of about 32 KB: per-row tasks of a narrow image were so small (640 B on
    /// 8×8) that claiming them cost more than copying.
    func runPrologueTask(_ t: Int) {
        guard let buf = padded else { return }
        let s = input.shape
        let left = params.pad.left
        let plane = t / copyBands  // image · spanBlocks + block of the conv's blocks
        let (image, block) = (plane / spanBlocks, plane % spanBlocks)
        let src = UnsafePointer(input.data) + image * input.imageStride + (firstBlock + block) * input.blockStride
        let y0 = (t % copyBands) * copyBandRows
        for y in y0..<min(s.h, y0 + copyBandRows) {
            (buf + ((plane * s.h + y) * planeW + left) * channelBlock).update(
                from: src + y * s.w * channelBlock,
                count: s.w * channelBlock)
        }
    }

    /// Rows per band of the fallback copy, and bands per plane.
    private var copyBandRows: Int {
        let s = input.shape
        return max(1, min(s.h, 32768 / (s.w * channelBlock * MemoryLayout<Float>.stride)))
    }
    private var copyBands: Int { (input.shape.h + copyBandRows - 1) / copyBandRows }
}

/// A run of output pixels in one output row for one output-channel group (flat 1×1 convs: row 0 is
/// the whole image).
struct ConvTask {
    var group: Int
    var row: Int
    var pixel0: Int
    var pixels: Int
}
