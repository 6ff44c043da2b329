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
/// channel block, band of output rows). A task first copies the input rows its band reads, with zero
/// rows and columns for the padding, into a plane in thread scratch `[rows][planeW][16]` (a band is
/// sized to stay in L2), then runs the register-tiled kernel over it with no bounds checks: P output
/// pixels × every tap, the input read straight from the plane (`DepthwiseKernel`). Each output
/// element is summed in a fixed order (bias, then taps row by row) inside one task: results do not
/// depend on the thread count.
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
    /// `inputReLU`: the conv reads max(0, input), applied as each band's plane is filled — Xception's
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
        store = SliceStore(output, channels: s.c)
        self.inputReLU = inputReLU
    }

    deinit {
        weights.deallocate()
        bias.deallocate()
        tapOffsets.deallocate()
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n * input.blocks * bands }
    func taskPosition(_ t: Int) -> Int { (t / (input.blocks * bands) * outH + t % bands * bandRows) * outW }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    /// One band of output rows of one channel block of one image.
    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        let n = t / (input.blocks * bands)
        let block = t / bands % input.blocks
        let r0 = t % bands * bandRows
        let r1 = min(outH, r0 + bandRows)
        let (sh, sw) = (params.strideH, params.strideW)
        let plane = raw.assumingMemoryBound(to: Float.self)
        let planeRows = (r1 - r0 - 1) * sh + kernelH
        fillPlane(plane, n: n, block: block, firstRow: r0 * sh - params.pad.top, rows: planeRows)
        // After the plane: one row of outputs for a slice that is not whole vectors.
        let rowOut = plane + planeRows * planeW * channelBlock
        let w = UnsafePointer(weights) + block * kernelH * kernelW * channelBlock
        let b = loadVector(bias + block * channelBlock)
        let rowStride = planeW * channelBlock
        let taps = kernelH * kernelW
        let offsets = UnsafePointer(tapOffsets)
        let act = params.activation
        _ = KernelMetadata.ready
        for r in r0..<r1 {
            let x = UnsafePointer(plane) + (r - r0) * sh * rowStride
            // Lanes past the channels compute exact zeros (zero input lanes, weights, bias; act(0) = 0),
            // so a partial last block that ends the output tensor is stored as whole vectors too.
            let direct = store.vectorPointer(n: n, block: block, pixel: r * outW, paddingLanesAreZero: true)
            let y = direct ?? rowOut
            var x0 = 0
            while x0 < outW {
                let left = outW - x0
                let xp = x + x0 * sw * channelBlock, yp = y + x0 * channelBlock
                if left >= 8 {
                    DepthwiseKernel<8>.run(
                        x: xp, xPixel: sw * channelBlock, taps: taps, offsets: offsets, w: w, bias: b,
                        activation: act, y: yp)
                    x0 += 8
                } else if left >= 4 {
                    DepthwiseKernel<4>.run(
                        x: xp, xPixel: sw * channelBlock, taps: taps, offsets: offsets, w: w, bias: b,
                        activation: act, y: yp)
                    x0 += 4
                } else {
                    DepthwiseKernel<1>.run(
                        x: xp, xPixel: sw * channelBlock, taps: taps, offsets: offsets, w: w, bias: b,
                        activation: act, y: yp)
                    x0 += 1
                }
            }
            if direct == nil {
                for i in 0..<outW {
                    store.store(loadVector(rowOut + i * channelBlock), n: n, block: block, pixel: r * outW + i)
                }
            }
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

/// P output pixels of one row of one channel block: P accumulators (16 channels each) start at the
/// bias; each tap loads its weight vector once and does P FMAs with the input vectors under it.
/// Input vectors come from the padded plane, so there are no bounds checks; with stride s the P
/// windows start 16·s floats apart. As in `ConvMicroKernel`, the taps are one flat loop over an
/// offset table and the accumulators pass through `tap` by value: with a loop per kernel row and
/// per column, LLVM kept the accumulators in memory and stored each after every FMA (seen in the
/// disassembly).
enum DepthwiseKernel<let P: Int> {
    typealias Acc = InlineArray<P, SIMD16<Float>>

    @inline(never)
    static func run(
        x: UnsafePointer<Float>, xPixel: Int, taps: Int, offsets: UnsafePointer<Int32>,
        w: UnsafePointer<Float>, bias: SIMD16<Float>, activation: Activation, y: UnsafeMutablePointer<Float>
    ) {
        var acc = Acc(repeating: bias)
        var wp = w
        for k in 0..<taps {
            acc = tap(acc, loadVector(wp), x + Int(offsets[k]), xPixel)
            wp += channelBlock
        }
        for p in 0..<P {
            UnsafeMutableRawPointer(y + p &* channelBlock).storeBytes(
                of: activation.apply(acc[p]), as: SIMD16<Float>.self)
        }
    }

    /// One tap: P FMAs of the input vectors under it with its weight vector.
    @inline(__always)
    static func tap(_ acc0: Acc, _ wv: SIMD16<Float>, _ x: UnsafePointer<Float>, _ xPixel: Int) -> Acc {
        var acc = acc0
        for p in 0..<P { acc[p] = acc[p].addingProduct(loadVector(x + p &* xPixel), wv) }
        return acc
    }
}
