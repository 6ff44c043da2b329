/// A planned 2-D convolution on NCHW16c tensors: zero padding, any kh × kw, stride per axis, bias,
/// folded batchnorm (see `ConvWeights.foldingBatchNorm`) and fused ReLU, writing into a channel slice.
///
/// Plan: packs the weights, fixes the task split, and when there is left/right padding allocates a
/// copy of the input with zero columns either side (zeroed once here; a run copies only the interior).
/// Top/bottom padding costs nothing: the reduction runs kh-major, so for each output row the kernel
/// simply runs over the contiguous range of kernel rows that land inside the input — padded rows are
/// neither stored nor multiplied (10% of a 7×1 conv's FMAs on 17 rows, 8% of a 3×3's on 8 rows).
/// Run: copy the interior (if padded left/right), then one task per (image, output-channel group, row
/// or pixel chunk). A 1×1, stride-1, unpadded conv treats the image as one long row: a GEMM, no im2col.
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
    /// Input copy with zero columns left and right, `[n][inBlocks][h][planeW][16]`; nil without
    /// left/right padding (the kernel then reads the input tensor itself).
    private let padded: UnsafeMutablePointer<Float>?
    /// Width of the plane the kernel reads: w + left + right.
    private let planeW: Int
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
        let p = params.pad
        planeW = s.w + p.left + p.right
        guard input.blocks * (s.h + weights.kernelH) * planeW * channelBlock < Int(Int32.max) else {
            throw EngineError.invalidShape("conv: input \(s) is too large for one image (2^31 floats)")
        }
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
        padded = p.left + p.right == 0 ? nil : allocateFloats(s.n * input.blocks * s.h * planeW * channelBlock)
        xOffsets = PackedConvWeights.inputOffsets(inChannels: s.c, kernelH: kernelH, kernelW: kernelW,
                                                  planeH: s.h, planeW: planeW)

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
        let tasksPerImage = tasks.count
        pool.parallelFor(input.shape.n * tasksPerImage) { t, scratch in
            runTask(t, tasksPerImage: tasksPerImage, scratch: scratch.assumingMemoryBound(to: Float.self))
        }
    }

    @inline(__always)
    private func runTask(_ t: Int, tasksPerImage: Int, scratch: UnsafeMutablePointer<Float>) {
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

        let xImage = UnsafePointer(padded ?? input.data) + n * input.blocks * s.h * planeW * channelBlock
        // Window origin (tap 0,0) of the task's first output pixel; row iy0 may be above the plane,
        // but only rows from iy0 + khLo on are read.
        let xOrigin = (iy0 * planeW + task.pixel0 * params.strideW) * channelBlock

        let dst = output.tensor
        let yImage = dst.data + n * dst.imageStride
        let outPixel0 = task.row * outW + task.pixel0
        let ch0 = output.offset + group.first * channelBlock
        let valid = outChannels - group.first * channelBlock
        let args = ConvKernelArgs(
            x: xImage + xOrigin,
            xPixel: params.strideW * channelBlock,
            reduction: (khHi - khLo) * stepsPerRow,
            xOffsets: xOffsets + kStart,
            w: packed.weights + group.first * packed.outBlockStride + kStart * channelBlock,
            wBlock: packed.outBlockStride,
            bias: packed.bias + group.first * channelBlock,
            relu: params.relu,
            y: yImage + (ch0 / channelBlock) * dst.blockStride + outPixel0 * channelBlock,
            yBlock: dst.blockStride,
            alignedStore: ch0 % channelBlock == 0 && valid >= group.count * channelBlock,
            yImage: yImage,
            yChannel0: ch0,
            yPixel0: outPixel0,
            validChannels: valid)
        ConvRowDriver.run(args, blocks: group.count, pixels: task.pixels, scratch: scratch)
    }

    /// Copies the input rows into the zero-bordered buffer, one task per (image, block, row).
    private func copyIntoPadded(_ buf: UnsafeMutablePointer<Float>, _ pool: ThreadPool) {
        let s = input.shape
        let left = params.pad.left
        pool.parallelFor(s.n * input.blocks * s.h) { row in
            let src = input.data + row * s.w * channelBlock
            let dst = buf + (row * planeW + left) * channelBlock
            dst.update(from: src, count: s.w * channelBlock)
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
