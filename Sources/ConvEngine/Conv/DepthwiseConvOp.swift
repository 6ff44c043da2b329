/// A planned depthwise convolution (groups = channels, one filter per channel) on NCHW16c tensors:
/// each of a vector's 16 lanes is its own channel, so a tap is one FMA of the input vector and that
/// tap's weight vector — no broadcasts, no reduction across lanes. Any kh × kw (3×3, 1×k and k×1 up
/// to InceptionNeXt's 1×11 / 11×1, and the rest), any stride and zero padding, bias, and an
/// activation (ReLU, GELU) in the store; writing into a channel slice.
///
/// Depthwise convs do kh·kw FMAs per 128 bytes moved (a vector in, a vector out): they are memory-
/// bound, judged against the machine's bandwidth, not its FMA peak (`engine-microbench --only dw`).
///
/// Plan: packs the weights `[block][kh·kw][16]` and fixes the task split. Run: one task per (image,
/// channel block, band of output rows). Rows whose windows lie inside the input's rows read the
/// input in place: the register-tiled kernel (`DepthwiseKernel`, P output pixels × every tap) over
/// the columns whose windows lie inside it too, a bounds-checked pixel at the left and right edges
/// (`depthwiseEdgePixel`). The rows above and below (and every row when few columns are inside)
/// first copy the input rows they read, with zero rows and columns for the padding, into a plane in
/// thread scratch `[rows][planeW][16]`, then run the same kernel over the plane. Reading in place
/// lets the kernel's FMAs overlap the input's stream from L3 instead of following a copy of it
/// (xception41's 3×3 layers at 150², 75², 38², stride 1 and 2: 0.66-0.88× the plane-only time on
/// one thread, `engine-microbench --only dw.x41`). Each output element is summed in one fixed order
/// (bias, then taps row by row, padding taps adding 0·w) inside one task, whichever path computes
/// it: the paths agree bit for bit and results do not depend on the thread count.
public final class DepthwiseConvOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let params: ConvParams
    public let kernelH: Int
    public let kernelW: Int
    public let outH: Int
    public let outW: Int
    /// 2 · MACs: 2 · n · c · outH · outW · kh · kw (fvcore's count for a conv with groups = c).
    public let flops: Int

    /// `[block][kh · kw][16]`, lanes past the channels zero.
    private let weights: UnsafeMutablePointer<Float>
    /// `[block][16]`.
    private let bias: UnsafeMutablePointer<Float>
    /// `[kh · kw]`: each tap's offset in the plane from the window origin, (u · planeW + v) · 16.
    private let tapOffsets: UnsafeMutablePointer<Int32>
    /// `[kh · kw]`: each tap's offset in the input from the window origin, (u · w + v) · 16.
    private let inputOffsets: UnsafeMutablePointer<Int32>
    /// Output rows and columns whose windows lie inside the input's rows (columns): read in place.
    let interiorRows: Range<Int>
    let interiorCols: Range<Int>
    /// Rows of `interiorRows` read the input in place: false when over an eighth of the columns are
    /// edge columns (xception41's 10² exit maps, InceptionNeXt's 1×11 on 56²: there the bounds-
    /// checked edge pixels cost more than the plane's copy saves, measured with engine-microbench).
    let readsInPlace: Bool
    /// Width of the padded plane a task reads: (outW − 1) · strideW + kw columns.
    let planeW: Int
    /// Output rows per task, and bands per block.
    let bandRows: Int
    let bands: Int
    private let store: SliceStore
    /// The conv reads max(0, input) (a ReLU fused before it).
    public let inputReLU: Bool

    /// Scratch a band's plane may use: 512 KB, half of Zen 4's L2, so the plane stays there while
    /// the kernel reads each input vector kh · kw / stride² times.
    static let planeBytes = 512 * 1024
    /// Output pixels per task the split aims for (like `PoolOp`: enough work per claimed task).
    static let pixelsPerTask = 1024

    /// Bytes of the packed weights `[block][kh·kw][16]`, the bias `[block][16]` and the tap offsets
    /// this op keeps for `channels` channels (the plan's memory estimate).
    public static func weightBytes(channels: Int, kernelH: Int, kernelW: Int) -> Int {
        let blocks = (channels + channelBlock - 1) / channelBlock
        let taps = kernelH * kernelW
        return (blocks * taps * channelBlock + blocks * channelBlock) * MemoryLayout<Float>.stride
            + taps * MemoryLayout<Int32>.stride
    }

    /// `weights`: PyTorch's depthwise layout `[c][1][kh][kw]` (outChannels = c, inChannels = 1).
    /// `inputReLU`: the conv reads max(0, input), applied as a plane is filled or, on rows read in
    /// place, as each input vector is loaded (`ReLUInput`) — Xception's
    /// ReLU before each separable conv without a pass (and a buffer) of its own.
    public init(
        input: Tensor, output: ChannelSlice, params: ConvParams, weights w: ConvWeights, inputReLU: Bool = false
    ) throws {
        let s = input.shape
        guard w.inChannels == 1, w.outChannels == s.c else {
            throw EngineError.invalidShape(
                "depthwise conv: weights \(w.outChannels)x\(w.inChannels)x\(w.kernelH)x\(w.kernelW) do not fit \(s.c) channels (expected \(s.c)x1xKxK)"
            )
        }
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w, kh: w.kernelH, kw: w.kernelW)
        try output.validate("depthwise conv", n: s.n, channels: s.c, h: oh, w: ow)
        try checkNotAliased(input, output, "depthwise conv")
        let pw = (ow - 1) * params.strideW + w.kernelW
        let rowBytes = pw * channelBlock * MemoryLayout<Float>.stride
        guard w.kernelH * rowBytes + ow * channelBlock * MemoryLayout<Float>.stride <= ThreadPool.scratchBytes else {
            throw EngineError.invalidShape(
                "depthwise conv: a \(w.kernelH)-row window of width \(pw) exceeds the thread scratch")
        }
        // Rows per band: about `pixelsPerTask` outputs, and a plane within `planeBytes` (at least one row).
        var rows = max(1, min(oh, DepthwiseConvOp.pixelsPerTask / max(1, ow)))
        while rows > 1 && ((rows - 1) * params.strideH + w.kernelH) * rowBytes > DepthwiseConvOp.planeBytes {
            rows -= 1
        }
        self.input = input
        self.output = output
        self.params = params
        kernelH = w.kernelH
        kernelW = w.kernelW
        outH = oh
        outW = ow
        planeW = pw
        bandRows = rows
        bands = (oh + rows - 1) / rows
        flops = 2 * s.n * s.c * oh * ow * w.kernelH * w.kernelW
        let taps = w.kernelH * w.kernelW
        weights = allocateFloats(input.blocks * taps * channelBlock)
        bias = allocateFloats(input.blocks * channelBlock)
        for c in 0..<s.c {
            let (b, lane) = (c / channelBlock, c % channelBlock)
            for k in 0..<taps { weights[(b * taps + k) * channelBlock + lane] = w.weight[c * taps + k] }
            bias[c] = w.bias?[c] ?? 0
        }
        tapOffsets = .allocate(capacity: taps)
        for u in 0..<w.kernelH {
            for v in 0..<w.kernelW { tapOffsets[u * w.kernelW + v] = Int32((u * pw + v) * channelBlock) }
        }
        inputOffsets = .allocate(capacity: taps)
        for u in 0..<w.kernelH {
            for v in 0..<w.kernelW { inputOffsets[u * w.kernelW + v] = Int32((u * s.w + v) * channelBlock) }
        }
        interiorRows = DepthwiseConvOp.interior(
            out: oh, size: s.h, kernel: w.kernelH, stride: params.strideH, padBefore: params.pad.top)
        interiorCols = DepthwiseConvOp.interior(
            out: ow, size: s.w, kernel: w.kernelW, stride: params.strideW, padBefore: params.pad.left)
        readsInPlace = !interiorRows.isEmpty && 8 * interiorCols.count >= 7 * ow
        store = SliceStore(output, channels: s.c)
        self.inputReLU = inputReLU
    }

    /// Outputs o (of `out`) whose windows o · stride − padBefore ..< that + kernel lie in 0 ..< size.
    static func interior(out: Int, size: Int, kernel: Int, stride: Int, padBefore: Int) -> Range<Int> {
        let lo = min(out, (padBefore + stride - 1) / stride)
        guard size + padBefore - kernel >= 0 else { return lo..<lo }
        let hi = min(out, (size + padBefore - kernel) / stride + 1)
        return lo..<max(lo, hi)
    }

    deinit {
        weights.deallocate()
        bias.deallocate()
        tapOffsets.deallocate()
        inputOffsets.deallocate()
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n * input.blocks * bands }
    func taskPosition(_ t: Int) -> Int { (t / (input.blocks * bands) * outH + t % bands * bandRows) * outW }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    /// One band of output rows of one channel block of one image: its interior rows in place, the
    /// rest through a plane.
    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        let n = t / (input.blocks * bands)
        let block = t / bands % input.blocks
        let r0 = t % bands * bandRows
        let r1 = min(outH, r0 + bandRows)
        let scratch = raw.assumingMemoryBound(to: Float.self)
        _ = KernelMetadata.ready
        let a = readsInPlace ? min(r1, max(r0, interiorRows.lowerBound)) : r1
        let b = readsInPlace ? max(a, min(r1, interiorRows.upperBound)) : r1
        if r0 < a { runThroughPlane(n: n, block: block, rows: r0..<a, scratch: scratch) }
        if a < b {
            if inputReLU {
                runInPlace(ReLUInput.self, n: n, block: block, rows: a..<b, scratch: scratch)
            } else {
                runInPlace(StoredInput.self, n: n, block: block, rows: a..<b, scratch: scratch)
            }
        }
        if b < r1 { runThroughPlane(n: n, block: block, rows: b..<r1, scratch: scratch) }
    }

    /// Output rows `rows` from a zero-padded copy of the input rows they read (`fillPlane`).
    private func runThroughPlane(n: Int, block: Int, rows: Range<Int>, scratch plane: UnsafeMutablePointer<Float>) {
        let (sh, sw) = (params.strideH, params.strideW)
        let planeRows = (rows.count - 1) * sh + kernelH
        fillPlane(plane, n: n, block: block, firstRow: rows.lowerBound * sh - params.pad.top, rows: planeRows)
        // After the plane: one row of outputs for a slice that is not whole vectors.
        let rowOut = plane + planeRows * planeW * channelBlock
        let w = UnsafePointer(weights) + block * kernelH * kernelW * channelBlock
        let b = loadVector(bias + block * channelBlock)
        let rowStride = planeW * channelBlock
        for r in rows {
            let x = UnsafePointer(plane) + (r - rows.lowerBound) * sh * rowStride
            // Lanes past the channels compute exact zeros (zero input lanes, weights, bias; act(0) = 0),
            // so a partial last block that ends the output tensor is stored as whole vectors too.
            let direct = store.vectorPointer(n: n, block: block, pixel: r * outW, paddingLanesAreZero: true)
            let y = direct ?? rowOut
            depthwiseTiles(
                StoredInput.self, count: outW, x: x, xPixel: sw * channelBlock, rowStride: rowStride,
                kernelH: kernelH, kernelW: kernelW, offsets: tapOffsets, w: w, bias: b,
                activation: params.activation, y: y)
            if direct == nil { storeRow(rowOut, n: n, block: block, row: r) }
        }
    }

    /// Output rows `rows`, whose windows lie inside the input's rows, read from the input itself:
    /// interior columns by the kernel, the edge columns pixel by pixel with bounds checks.
    private func runInPlace<L: DepthwiseInput>(
        _: L.Type, n: Int, block: Int, rows: Range<Int>, scratch rowOut: UnsafeMutablePointer<Float>
    ) {
        let s = input.shape
        let (sh, sw) = (params.strideH, params.strideW)
        let src = UnsafePointer(input.data) + n * input.imageStride + block * input.blockStride
        let w = UnsafePointer(weights) + block * kernelH * kernelW * channelBlock
        let b = loadVector(bias + block * channelBlock)
        let act = params.activation
        let rowStride = s.w * channelBlock
        let (c0, c1) = (interiorCols.lowerBound, interiorCols.upperBound)
        for r in rows {
            let top = src + (r * sh - params.pad.top) * rowStride
            let direct = store.vectorPointer(n: n, block: block, pixel: r * outW, paddingLanesAreZero: true)
            let y = direct ?? rowOut
            for x in 0..<c0 {
                depthwiseEdgePixel(
                    L.self, top: top, rowStride: rowStride, col0: x * sw - params.pad.left, width: s.w,
                    kernelH: kernelH, kernelW: kernelW, w: w, bias: b, activation: act, y: y + x * channelBlock)
            }
            for x in c1..<outW {
                depthwiseEdgePixel(
                    L.self, top: top, rowStride: rowStride, col0: x * sw - params.pad.left, width: s.w,
                    kernelH: kernelH, kernelW: kernelW, w: w, bias: b, activation: act, y: y + x * channelBlock)
            }
            depthwiseTiles(
                L.self, count: c1 - c0, x: top + (c0 * sw - params.pad.left) * channelBlock,
                xPixel: sw * channelBlock, rowStride: rowStride, kernelH: kernelH, kernelW: kernelW,
                offsets: inputOffsets, w: w, bias: b, activation: act, y: y + c0 * channelBlock)
            if direct == nil { storeRow(rowOut, n: n, block: block, row: r) }
        }
    }

    /// A row of outputs computed into scratch, stored lane by lane into a slice that is not whole vectors.
    private func storeRow(_ rowOut: UnsafeMutablePointer<Float>, n: Int, block: Int, row r: Int) {
        for i in 0..<outW {
            store.store(loadVector(rowOut + i * channelBlock), n: n, block: block, pixel: r * outW + i)
        }
    }

    /// Copies input rows `firstRow ..< firstRow + rows` of one block into `plane[rows][planeW][16]`,
    /// column j holding input column j − pad.left; rows and columns outside the input are zeros.
    private func fillPlane(_ plane: UnsafeMutablePointer<Float>, n: Int, block: Int, firstRow: Int, rows: Int) {
        let s = input.shape
        let src = UnsafePointer(input.data) + n * input.imageStride + block * input.blockStride
        let left = params.pad.left
        // Plane columns holding input columns: j in copyLo ..< copyHi.
        let copyLo = min(planeW, left)
        let copyHi = max(copyLo, min(planeW, left + s.w))
        for i in 0..<rows {
            let dst = plane + i * planeW * channelBlock
            let iy = firstRow + i
            guard iy >= 0 && iy < s.h else {
                dst.update(repeating: 0, count: planeW * channelBlock)
                continue
            }
            if copyLo > 0 { dst.update(repeating: 0, count: copyLo * channelBlock) }
            if copyHi > copyLo {
                let from = src + (iy * s.w + copyLo - left) * channelBlock
                if inputReLU {
                    for j in 0..<(copyHi - copyLo) {
                        let v = loadVector(from + j &* channelBlock)
                        UnsafeMutableRawPointer(dst + (copyLo + j) &* channelBlock).storeBytes(
                            of: v.replacing(with: 0, where: v .< SIMD16<Float>()), as: SIMD16<Float>.self)
                    }
                } else {
                    (dst + copyLo * channelBlock).update(from: from, count: (copyHi - copyLo) * channelBlock)
                }
            }
            if planeW > copyHi {
                (dst + copyHi * channelBlock).update(repeating: 0, count: (planeW - copyHi) * channelBlock)
            }
        }
    }
}
