/// A planned 2-D convolution on NCHW16c tensors: zero padding, any kh × kw, stride per axis, bias,
/// folded batchnorm (see `ConvWeights.foldingBatchNorm`) and fused ReLU, writing into a channel slice.
///
/// Plan: packs the weights, allocates a zero-bordered copy of the input when there is padding (the
/// border is zeroed once here; a run only copies the interior), and fixes the task split. Run: copy
/// the interior (if padded), then one task per (image, output-channel group, row or pixel chunk).
/// A 1×1, stride-1, unpadded conv treats the image as one long row, i.e. a GEMM with no im2col.
public final class Conv2DOp: EngineOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let params: ConvParams
    public let outChannels: Int
    public let kernelH: Int
    public let kernelW: Int
    public let outH: Int
    public let outW: Int
    public let flops: Int

    private let packed: PackedConvWeights
    /// `[reduction]` input offsets of the reduction steps (see `ConvKernelArgs.xOffsets`).
    private let xOffsets: UnsafeMutablePointer<Int32>
    /// Zero-bordered input copy `[n][inBlocks][paddedH][paddedW][16]`, or nil when unpadded.
    private let padded: UnsafeMutablePointer<Float>?
    private let paddedH: Int
    private let paddedW: Int
    /// Output-channel groups: first block and block count (1...4) of each.
    private let groups: [(first: Int, count: Int)]
    /// One image's tasks, fixed at plan time from the shapes alone (group-major, so a thread taking
    /// consecutive tasks keeps one group's weights in cache).
    private let tasks: [ConvTask]

    public init(input: Tensor, output: ChannelSlice, params: ConvParams, weights: ConvWeights) throws {
        let s = input.shape
        guard weights.inChannels == s.c else {
            throw EngineError.invalidShape("conv: weights expect \(weights.inChannels) input channels, input has \(s.c)")
        }
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w, kh: weights.kernelH, kw: weights.kernelW)
        try output.validate("conv", n: s.n, channels: weights.outChannels, h: oh, w: ow)
        try checkNotAliased(input, output, "conv")
        self.input = input
        self.output = output
        self.params = params
        outChannels = weights.outChannels
        kernelH = weights.kernelH
        kernelW = weights.kernelW
        outH = oh
        outW = ow
        flops = 2 * s.n * oh * ow * weights.outChannels * weights.inChannels * weights.kernelH * weights.kernelW
        packed = PackedConvWeights(weights)

        let p = params.pad
        paddedH = s.h + p.top + p.bottom
        paddedW = s.w + p.left + p.right
        guard input.blocks * paddedH * paddedW * channelBlock < Int(Int32.max) else {
            throw EngineError.invalidShape("conv: input \(s) is too large for one image (2^31 floats)")
        }
        padded = p.isZero ? nil : allocateFloats(s.n * input.blocks * paddedH * paddedW * channelBlock)
        xOffsets = PackedConvWeights.inputOffsets(
            inChannels: s.c, kernelH: kernelH, kernelW: kernelW,
            planeH: p.isZero ? s.h : paddedH, planeW: p.isZero ? s.w : paddedW)

        // Even groups of ≤ 4 output blocks: 6 blocks → 3 + 3 rather than 4 + 2, 5 → 3 + 2 not 4 + 1,
        // since narrow groups get wider pixel tiles but fewer accumulators per weight load.
        let ob = packed.outBlocks
        let groupCount = (ob + 3) / 4
        var g: [(Int, Int)] = []
        var first = 0
        for i in 0..<groupCount {
            let count = (ob - first) / (groupCount - i)
            g.append((first, count))
            first += count
        }
        groups = g

        // A 1×1, stride-1, unpadded conv sees the image as one row of h·w pixels, cut into chunks of
        // about 48 pixels (a whole number of the group's widest tiles) so even a one-group conv on a
        // 28×28 image has ~16 tasks to balance over the threads. Other convs: one task per output row.
        let flat = weights.kernelH == 1 && weights.kernelW == 1 && params.strideH == 1 && params.strideW == 1
            && p.isZero
        var t: [ConvTask] = []
        for (gi, group) in g.enumerated() {
            if flat {
                let tile = ConvRowDriver.tileWidths(blocks: group.1)[0]
                let chunk = tile * max(1, (48 + tile / 2) / tile)
                for p0 in stride(from: 0, to: oh * ow, by: chunk) {
                    t.append(ConvTask(group: gi, row: 0, pixel0: p0, pixels: min(chunk, oh * ow - p0)))
                }
            } else {
                for r in 0..<oh { t.append(ConvTask(group: gi, row: r, pixel0: 0, pixels: ow)) }
            }
        }
        tasks = t
    }

    deinit {
        packed.deallocate()
        padded?.deallocate()
        xOffsets.deallocate()
    }

    public func run(_ pool: ThreadPool) {
        if let padded { copyIntoPadded(padded, pool) }
        let s = input.shape
        let tasksPerImage = tasks.count
        pool.parallelFor(s.n * tasksPerImage) { t, scratch in
            runTask(t, tasksPerImage: tasksPerImage, scratch: scratch.assumingMemoryBound(to: Float.self))
        }
    }

    @inline(__always)
    private func runTask(_ t: Int, tasksPerImage: Int, scratch: UnsafeMutablePointer<Float>) {
        let s = input.shape
        let n = t / tasksPerImage
        let task = tasks[t % tasksPerImage]
        let group = groups[task.group]
        let row = task.row

        let xPlaneW = padded == nil ? s.w : paddedW
        let xPlaneH = padded == nil ? s.h : paddedH
        let xImage = UnsafePointer(padded ?? input.data) + n * input.blocks * xPlaneH * xPlaneW * channelBlock
        let pixel0 = task.pixel0
        let pixels = task.pixels
        // Window origin of the chunk's first output pixel (in the flat 1×1 case row = 0, stride = 1
        // and pixel0 indexes the whole image, so the same formula holds).
        let xOrigin = (row * params.strideH * xPlaneW + pixel0 * params.strideW) * channelBlock

        let dst = output.tensor
        let yImage = dst.data + n * dst.imageStride
        let outPixel0 = row * outW + pixel0
        let ch0 = output.offset + group.first * channelBlock
        let valid = outChannels - group.first * channelBlock
        let aligned = ch0 % channelBlock == 0 && valid >= group.count * channelBlock
        let args = ConvKernelArgs(
            x: xImage + xOrigin,
            xPixel: params.strideW * channelBlock,
            reduction: packed.reduction,
            xOffsets: xOffsets,
            w: packed.weights + group.first * packed.outBlockStride,
            wBlock: packed.outBlockStride,
            bias: packed.bias + group.first * channelBlock,
            relu: params.relu,
            y: yImage + (ch0 / channelBlock) * dst.blockStride + outPixel0 * channelBlock,
            yBlock: dst.blockStride,
            alignedStore: aligned,
            yImage: yImage,
            yChannel0: ch0,
            yPixel0: outPixel0,
            validChannels: valid)
        ConvRowDriver.run(args, blocks: group.count, pixels: pixels, scratch: scratch)
    }

    /// Copies the input into the interior of the zero-bordered buffer, one task per (image, block).
    private func copyIntoPadded(_ buf: UnsafeMutablePointer<Float>, _ pool: ThreadPool) {
        let s = input.shape
        let pad = params.pad
        let planes = s.n * input.blocks
        pool.parallelFor(planes) { plane in
            let src = input.data + plane * input.blockStride
            let dst = buf + plane * paddedH * paddedW * channelBlock
            for y in 0..<s.h {
                let d = dst + ((y + pad.top) * paddedW + pad.left) * channelBlock
                d.update(from: src + y * s.w * channelBlock, count: s.w * channelBlock)
            }
        }
    }
}

/// A run of output pixels in one output row for one output-channel group (flat 1×1 convs: row 0 is
/// the whole image).
struct ConvTask {
    var group: Int
    var row: Int
    var pixel0: Int
    var pixels: Int
}
