/// How a depthwise kernel reads an input vector: as stored, or through a ReLU (`inputReLU` when the
/// input is read in place rather than from a plane the ReLU was applied to as it was filled).
protocol DepthwiseInput {
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float>
}

/// The input as stored (a zero-padded plane, or the input of a conv without `inputReLU`).
enum StoredInput: DepthwiseInput {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { loadVector(p) }
}

/// max(0, input), as `DepthwiseConvOp.fillPlane` applies it (a NaN stays NaN).
enum ReLUInput: DepthwiseInput {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        let v = loadVector(p)
        return v.replacing(with: 0, where: v .< SIMD16<Float>())
    }
}

/// P output pixels of one row of one channel block: P accumulators (16 channels each) start at the
/// bias; each tap loads its weight vector once and does P FMAs with the input vectors under it.
/// Input vectors come from the padded plane or, for windows inside the input, from the input itself
/// (`offsets` then hold input row strides), so there are no bounds checks; with stride s the P
/// windows start 16·s floats apart. As in `ConvMicroKernel`, the taps are one flat loop over an
/// offset table and the accumulators pass through `tap` by value: with a loop per kernel row and
/// per column, LLVM kept the accumulators in memory and stored each after every FMA (seen in the
/// disassembly).
enum DepthwiseKernel<let P: Int> {
    typealias Acc = InlineArray<P, SIMD16<Float>>

    @inline(never)
    static func run<L: DepthwiseInput>(
        _: L.Type, x: UnsafePointer<Float>, xPixel: Int, taps: Int, offsets: UnsafePointer<Int32>,
        w: UnsafePointer<Float>, bias: SIMD16<Float>, activation: Activation, y: UnsafeMutablePointer<Float>
    ) {
        var acc = Acc(repeating: bias)
        var wp = w
        for k in 0..<taps {
            acc = tap(L.self, acc, loadVector(wp), x + Int(offsets[k]), xPixel)
            wp += channelBlock
        }
        for p in 0..<P {
            UnsafeMutableRawPointer(y + p &* channelBlock).storeBytes(
                of: activation.apply(acc[p]), as: SIMD16<Float>.self)
        }
    }

    /// One tap: P FMAs of the input vectors under it with its weight vector.
    @inline(__always)
    static func tap<L: DepthwiseInput>(
        _: L.Type, _ acc0: Acc, _ wv: SIMD16<Float>, _ x: UnsafePointer<Float>, _ xPixel: Int
    ) -> Acc {
        var acc = acc0
        for p in 0..<P { acc[p] = acc[p].addingProduct(L.load(x + p &* xPixel), wv) }
        return acc
    }
}

/// P output pixels of one row of a 3×3 conv at stride S: `DepthwiseKernel`'s taps in its order
/// (bias, then taps row by row), but with the column offsets v·16 and the pixel step S·16 known
/// at compile time, so LLVM sees that tap v of window p and tap v' of window p' read the same
/// input vector when S·p + v = S·p' + v' and loads it once: (P − 1)·S + 3 loads per kernel row
/// (10 at stride 1, 17 at stride 2 for P = 8) instead of 3·P from the offset table.
enum Depthwise3x3Kernel<let P: Int, let S: Int> {
    @inline(never)
    static func run<L: DepthwiseInput>(
        _: L.Type, x: UnsafePointer<Float>, rowStride: Int, w: UnsafePointer<Float>, bias: SIMD16<Float>,
        activation: Activation, y: UnsafeMutablePointer<Float>
    ) {
        typealias K = DepthwiseKernel<P>
        let step = S &* channelBlock
        var acc = K.Acc(repeating: bias)
        var row = x, wu = w
        for _ in 0..<3 {
            acc = K.tap(L.self, acc, loadVector(wu), row, step)
            acc = K.tap(L.self, acc, loadVector(wu + channelBlock), row + channelBlock, step)
            acc = K.tap(L.self, acc, loadVector(wu + 2 &* channelBlock), row + 2 &* channelBlock, step)
            row += rowStride
            wu += 3 &* channelBlock
        }
        for p in 0..<P {
            UnsafeMutableRawPointer(y + p &* channelBlock).storeBytes(
                of: activation.apply(acc[p]), as: SIMD16<Float>.self)
        }
    }
}

/// Output pixels `0 ..< count` of one row: 3×3 at stride 1 or 2 through `Depthwise3x3Kernel`
/// (xception41's 38² and 19² maps, in cache: 0.8-0.9× the time of the offset-table kernel),
/// anything else through `DepthwiseKernel`, 8, then 4, then 1 pixels at a time. `x`: the window of
/// output pixel 0 (its rows `rowStride` floats apart); `y`: output pixel 0.
@inline(__always)
func depthwiseTiles<L: DepthwiseInput>(
    _: L.Type, count: Int, x: UnsafePointer<Float>, xPixel: Int, rowStride: Int, kernelH: Int, kernelW: Int,
    offsets: UnsafePointer<Int32>, w: UnsafePointer<Float>, bias: SIMD16<Float>, activation: Activation,
    y: UnsafeMutablePointer<Float>
) {
    let taps = kernelH * kernelW
    if kernelH == 3 && kernelW == 3 && xPixel == channelBlock {
        Depthwise3x3Tiles<1>.run(
            L.self, count: count, x: x, rowStride: rowStride, w: w, bias: bias, activation: activation, y: y)
        return
    }
    if kernelH == 3 && kernelW == 3 && xPixel == 2 * channelBlock {
        Depthwise3x3Tiles<2>.run(
            L.self, count: count, x: x, rowStride: rowStride, w: w, bias: bias, activation: activation, y: y)
        return
    }
    var i = 0
    while i < count {
        let left = count - i
        let xp = x + i * xPixel, yp = y + i * channelBlock
        if left >= 8 {
            DepthwiseKernel<8>.run(
                L.self, x: xp, xPixel: xPixel, taps: taps, offsets: offsets, w: w, bias: bias,
                activation: activation, y: yp)
            i += 8
        } else if left >= 4 {
            DepthwiseKernel<4>.run(
                L.self, x: xp, xPixel: xPixel, taps: taps, offsets: offsets, w: w, bias: bias,
                activation: activation, y: yp)
            i += 4
        } else {
            DepthwiseKernel<1>.run(
                L.self, x: xp, xPixel: xPixel, taps: taps, offsets: offsets, w: w, bias: bias,
                activation: activation, y: yp)
            i += 1
        }
    }
}

/// `depthwiseTiles` for a 3×3 conv at stride S: its kernels of 8, then 4, then 1 pixels.
enum Depthwise3x3Tiles<let S: Int> {
    @inline(__always)
    static func run<L: DepthwiseInput>(
        _: L.Type, count: Int, x: UnsafePointer<Float>, rowStride: Int, w: UnsafePointer<Float>,
        bias: SIMD16<Float>, activation: Activation, y: UnsafeMutablePointer<Float>
    ) {
        var i = 0
        while i < count {
            let left = count - i
            let xp = x + i * S * channelBlock, yp = y + i * channelBlock
            if left >= 8 {
                Depthwise3x3Kernel<8, S>.run(
                    L.self, x: xp, rowStride: rowStride, w: w, bias: bias, activation: activation, y: yp)
                i += 8
            } else if left >= 4 {
                Depthwise3x3Kernel<4, S>.run(
                    L.self, x: xp, rowStride: rowStride, w: w, bias: bias, activation: activation, y: yp)
                i += 4
            } else {
                Depthwise3x3Kernel<1, S>.run(
                    L.self, x: xp, rowStride: rowStride, w: w, bias: bias, activation: activation, y: yp)
                i += 1
            }
        }
    }
}

/// One output pixel whose window lies within the input's rows but crosses its left or right edge,
/// read in place: the columns outside the input read zeros, summed in the kernel's order (bias,
/// then the taps row by row, zeros included), so it matches the plane path bit for bit.
/// `top`: input column 0 of the window's first row; `col0`: the window's first column (may be < 0).
@inline(never)
func depthwiseEdgePixel<L: DepthwiseInput>(
    _: L.Type, top: UnsafePointer<Float>, rowStride: Int, col0: Int, width: Int, kernelH: Int, kernelW: Int,
    w: UnsafePointer<Float>, bias: SIMD16<Float>, activation: Activation, y: UnsafeMutablePointer<Float>
) {
    var acc = bias
    var wp = w
    for u in 0..<kernelH {
        let row = top + u * rowStride
        for v in 0..<kernelW {
            let ix = col0 + v
            let xv = ix >= 0 && ix < width ? L.load(row + ix * channelBlock) : SIMD16<Float>()
            acc = acc.addingProduct(xv, loadVector(wp))
            wp += channelBlock
        }
    }
    UnsafeMutableRawPointer(y).storeBytes(of: activation.apply(acc), as: SIMD16<Float>.self)
}
