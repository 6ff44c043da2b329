/// Everything one call of the conv micro-kernel needs: a run of output pixels in one output row,
/// for a group of up to 4 output-channel blocks (64 channels).
///
/// All strides are in floats. Input pointers address the (zero-padded) NCHW16c input.
struct ConvKernelArgs {
    /// Input at the first output pixel's window origin (tap 0,0), channel block 0.
    var x: UnsafePointer<Float>
    /// Between the window origins of neighbouring output pixels: strideW · 16.
    var xPixel: Int
    /// Length of the reduction: real input channels · kh · kw.
    var reduction: Int
    /// `[reduction]`: offset of each reduction step's input value from the window origin
    /// (block · planeSize + kh · rowSize + kw · 16 + channel), precomputed at plan time.
    var xOffsets: UnsafePointer<Int32>
    /// Packed weights of the group's first output block (`PackedConvWeights` layout).
    var w: UnsafePointer<Float>
    var wBlock: Int
    /// Bias of the group's first output block, 16 floats per block.
    var bias: UnsafePointer<Float>
    var relu: Bool
    /// Destination of the row's first pixel in the group's first destination block (aligned case).
    var y: UnsafeMutablePointer<Float>
    /// Between destination channel blocks: outH · outW · 16.
    var yBlock: Int
    /// True when the group's blocks map onto whole destination blocks (16-aligned slice offset, all
    /// lanes real): results go straight to `y` as vectors. Otherwise each tile goes to a scratch tile
    /// and is scattered lane by lane, using the fields below.
    var alignedStore: Bool
    /// Destination image base, first destination channel of the group, first output pixel of the row,
    /// and how many of the group's output channels are real.
    var yImage: UnsafeMutablePointer<Float>
    var yChannel0: Int
    var yPixel0: Int
    var validChannels: Int
}

/// The register-blocked conv micro-kernel: FB output blocks × P output pixels of accumulators.
///
/// For each input channel of each tap it loads FB weight vectors (16 output channels each) and
/// broadcasts P input values, then does FB·P independent FMAs. FB·P ≤ 24 accumulators + FB weights +
/// one broadcast fit AVX-512's 32 vector registers, and ≥ 8 independent chains hide FMA latency. The
/// whole reduction (all input blocks and taps) happens in registers, in a fixed order, so a pixel's
/// result never depends on how the work was split. Bias is added on the way out, ReLU right after.
///
/// The reduction is one flat loop over (input block, kh, kw, channel) steps with an offset table, not
/// four nested loops: with nested loops LLVM's register allocator shuffled and spilled the
/// accumulators at loop boundaries, depending on unrelated code elsewhere in the module (same kernel
/// measured 30–114 GFLOP/s). Also measured: index arithmetic is wrapping (`&*`) so no overflow checks
/// sit in the loop; the accumulators pass through `step` by value; nothing here selects lanes or
/// calls out while they are live — each of those made LLVM keep them in memory (2.5x slower).
enum ConvMicroKernel<let FB: Int, let P: Int> {
    typealias Row = InlineArray<FB, SIMD16<Float>>

    /// Computes the tile at `pixelOffset` pixels into the row and stores it at `y` (tile's first
    /// pixel, block stride `yBlock`, pixel stride 16).
    @inline(never)
    static func run(_ a: ConvKernelArgs, pixelOffset: Int, y: UnsafeMutablePointer<Float>, yBlock: Int) {
        var acc = InlineArray<P, Row>(repeating: Row(repeating: .zero))
        let x0 = a.x + pixelOffset &* a.xPixel
        var wp = a.w
        for k in 0..<a.reduction {
            var wv = Row(repeating: .zero)
            for f in 0..<FB { wv[f] = UnsafeRawPointer(wp + f &* a.wBlock).load(as: SIMD16<Float>.self) }
            acc = step(acc, wv, x0 + Int(a.xOffsets[k]), a.xPixel)
            wp += channelBlock
        }
        for f in 0..<FB {
            let bias = UnsafeRawPointer(a.bias + f &* channelBlock).load(as: SIMD16<Float>.self)
            for p in 0..<P {
                UnsafeMutableRawPointer(y + (f &* yBlock &+ p &* channelBlock))
                    .storeBytes(of: acc[p][f] + bias, as: SIMD16<Float>.self)
            }
        }
        if a.relu {
            for f in 0..<FB { reluInPlace(y + f &* yBlock, count: P &* channelBlock) }
        }
    }

    /// One input channel of one tap: FB·P FMAs.
    @inline(__always)
    static func step(_ acc0: InlineArray<P, Row>, _ wv: Row, _ x: UnsafePointer<Float>, _ xPixel: Int)
        -> InlineArray<P, Row> {
        var acc = acc0
        for p in 0..<P {
            let b = SIMD16<Float>(repeating: x[p &* xPixel])
            for f in 0..<FB { acc[p][f] = acc[p][f].addingProduct(b, wv[f]) }
        }
        return acc
    }
}

/// max(0, x) over `count` floats (auto-vectorised).
@inline(never)
func reluInPlace(_ p: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { p[i] = max(p[i], 0) }
}

/// Runs the micro-kernel along a row of `pixels` output pixels: full tiles of the widest P for the
/// group's block count, then narrower tiles for the rest.
enum ConvRowDriver {
    static let maxTilePixels = 16
    static let maxGroupBlocks = 4

    /// Tile widths per block count, widest first. The widest keeps FB · P ≈ 20 accumulators: 24 also
    /// fits the 32 registers, but then LLVM spills inside the loop in some inlining contexts (measured
    /// 30–45 instead of 114 GFLOP/s for the same kernel); 20 leaves it room every time.
    static func tileWidths(blocks fb: Int) -> [Int] {
        switch fb {
        case 1: [16, 8, 4, 3, 2, 1]
        case 2: [10, 8, 4, 3, 2, 1]
        case 3: [7, 4, 3, 2, 1]
        default: [5, 4, 3, 2, 1]
        }
    }

    private static let widths: [[Int]] = (1...4).map { tileWidths(blocks: $0) }

    /// `scratch`: at least maxGroupBlocks · maxTilePixels · 16 floats (the pool's thread scratch).
    static func run(_ a: ConvKernelArgs, blocks fb: Int, pixels: Int, scratch: UnsafeMutablePointer<Float>) {
        if a.alignedStore {
            forEachTile(blocks: fb, pixels: pixels) { p, offset in
                dispatch(fb, p, a, offset, a.y + offset &* channelBlock, a.yBlock)
            }
        } else {
            // Each tile goes to a scratch tile [4][16][16] (4 KB), then a lane-by-lane scatter.
            forEachTile(blocks: fb, pixels: pixels) { p, offset in
                dispatch(fb, p, a, offset, scratch, maxTilePixels * channelBlock)
                scatter(scratch, blocks: fb, pixels: p, a, pixel0: a.yPixel0 + offset)
            }
        }
    }

    @inline(__always)
    static func forEachTile(blocks fb: Int, pixels: Int, _ body: (Int, Int) -> Void) {
        let w = widths[fb - 1]
        var offset = 0
        var i = 0
        while offset < pixels {
            while w[i] > pixels - offset { i += 1 }
            body(w[i], offset)
            offset += w[i]
        }
    }

    /// Copies a scratch tile `[fb][16][16]` into the destination channel by channel (already biased
    /// and ReLU'd), skipping lanes past the real output channels.
    static func scatter(_ t: UnsafeMutablePointer<Float>, blocks fb: Int, pixels: Int, _ a: ConvKernelArgs, pixel0: Int) {
        for f in 0..<fb {
            for lane in 0..<channelBlock where f * channelBlock + lane < a.validChannels {
                let d = a.yChannel0 + f * channelBlock + lane
                let dst = a.yImage + (d / channelBlock) * a.yBlock + pixel0 * channelBlock + d % channelBlock
                let src = t + f * maxTilePixels * channelBlock + lane
                for p in 0..<pixels { dst[p * channelBlock] = src[p * channelBlock] }
            }
        }
    }

    /// Calls the kernel specialised for (fb, p).
    static func dispatch(_ fb: Int, _ p: Int, _ a: ConvKernelArgs, _ off: Int,
                         _ y: UnsafeMutablePointer<Float>, _ yb: Int) {
        switch (fb, p) {
        case (4, 5): ConvMicroKernel<4, 5>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (4, 4): ConvMicroKernel<4, 4>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (4, 3): ConvMicroKernel<4, 3>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (4, 2): ConvMicroKernel<4, 2>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (4, _): ConvMicroKernel<4, 1>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (3, 7): ConvMicroKernel<3, 7>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (3, 4): ConvMicroKernel<3, 4>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (3, 3): ConvMicroKernel<3, 3>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (3, 2): ConvMicroKernel<3, 2>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (3, _): ConvMicroKernel<3, 1>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (2, 10): ConvMicroKernel<2, 10>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (2, 8): ConvMicroKernel<2, 8>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (2, 4): ConvMicroKernel<2, 4>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (2, 3): ConvMicroKernel<2, 3>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (2, 2): ConvMicroKernel<2, 2>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (2, _): ConvMicroKernel<2, 1>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (_, 16): ConvMicroKernel<1, 16>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (_, 8): ConvMicroKernel<1, 8>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (_, 4): ConvMicroKernel<1, 4>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (_, 3): ConvMicroKernel<1, 3>.run(a, pixelOffset: off, y: y, yBlock: yb)
        case (_, 2): ConvMicroKernel<1, 2>.run(a, pixelOffset: off, y: y, yBlock: yb)
        default: ConvMicroKernel<1, 1>.run(a, pixelOffset: off, y: y, yBlock: yb)
        }
    }
}
