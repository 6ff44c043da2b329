/// Where the kernel reads the input of tiles that overlap the left or right padding.
///
/// The input is not copied into a zero-bordered buffer: tiles wholly inside the input read it in
/// place, and a tile whose windows reach past the left or right edge first gathers its window — the
/// kernel rows it needs × all input blocks × the columns it spans — into the thread's scratch with
/// zeros for the missing columns, then runs from there with a second offset table.
struct ConvEdgeInput {
    /// Unpadded input image at block 0, row 0, column 0.
    var image: UnsafePointer<Float>
    /// Input geometry: floats between blocks (h · w · 16), block count, width.
    var blockStride: Int
    var inBlocks: Int
    var width: Int
    /// Input row of kernel row 0 (may be negative), and the kernel rows inside the input.
    var firstRow: Int
    var khLo: Int
    var khHi: Int
    var kernelH: Int
    var kernelW: Int
    var strideW: Int
    var padLeft: Int
    /// Output column of the task's first pixel.
    var firstPixel: Int
    /// Scratch plane `[inBlocks][kernelH][planeW][16]`, and its offset table (already advanced to the
    /// task's first reduction step).
    var plane: UnsafeMutablePointer<Float>
    var planeW: Int
    var offsets: UnsafePointer<Int32>

    /// Whether any window of the tile's `p` pixels starting `offset` pixels into the task leaves the input.
    @inline(__always)
    func isEdge(offset: Int, pixels p: Int) -> Bool {
        let first = (firstPixel + offset) * strideW - padLeft
        return first < 0 || first + (p - 1) * strideW + kernelW > width
    }

    /// Gathers the tile's windows into `plane`; returns the plane for the kernel to read.
    func gather(offset: Int, pixels p: Int) -> UnsafePointer<Float> {
        let first = (firstPixel + offset) * strideW - padLeft
        let span = (p - 1) * strideW + kernelW
        for ib in 0..<inBlocks {
            for kh in khLo..<khHi {
                let src = image + ib * blockStride + (firstRow + kh) * width * channelBlock
                let dst = plane + ((ib * kernelH + kh) * planeW) * channelBlock
                for j in 0..<span {
                    let col = first + j
                    let to = UnsafeMutableRawPointer(dst + j * channelBlock)
                    if col >= 0 && col < width {
                        to.storeBytes(of: loadVector(src + col * channelBlock), as: SIMD16<Float>.self)
                    } else {
                        to.storeBytes(of: SIMD16<Float>.zero, as: SIMD16<Float>.self)
                    }
                }
            }
        }
        return UnsafePointer(plane)
    }
}

/// Runs the micro-kernel along a row of `pixels` output pixels: full tiles of the widest P for the
/// group's block count, then narrower tiles for the rest.
enum ConvRowDriver {
    static let maxTilePixels = 16
    static let maxGroupBlocks = 4
    /// Floats of thread scratch for one output tile `[4][16][16]`; edge planes start after it.
    static let tileScratchFloats = maxGroupBlocks * maxTilePixels * channelBlock
    /// Thread scratch the direct conv uses at most (tile + gathered edge windows): 512 KB, about
    /// half of Zen 4's L2, so a gathered window stays in L2 (measured choices in `gatherBeatsCopy`).
    static let edgeScratchBytes = 512 * 1024

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

    /// `scratch`: the pool's thread scratch; its first `tileScratchFloats` hold a misaligned tile,
    /// `edge.plane` (if any) lies after them. `epilogue`: what each tile gets after the kernel.
    ///
    /// The epilogue runs once over the whole run of pixels after its last tile where the results go
    /// straight to the output (a run is a row or ≤ 48 pixels: it is still in L1), and per tile
    /// otherwise (scratch tiles, an in-place shortcut). Per tile, GELU's long dependency chains had
    /// a few vectors to overlap: a 1×1 96 → 384 conv with GELU per tile took 2.4× as long as the
    /// conv then a separate GELU pass (`engine-microbench --only gelu`).
    static func run(
        _ a: ConvKernelArgs, blocks fb: Int, pixels: Int, edge: ConvEdgeInput?,
        scratch: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue? = nil
    ) {
        _ = KernelMetadata.ready
        let perRun = epilogue.map { a.alignedStore && !$0.inPlace } ?? false
        forEachTile(blocks: fb, pixels: pixels) { p, offset in
            tile(
                a, blocks: fb, pixels: p, offset: offset, edge: edge, scratch: scratch,
                epilogue: perRun ? nil : epilogue)
        }
        if perRun { epilogue?.apply(a.y, tileBlock: a.yBlock, blocks: fb, pixels: pixels, pixelOffset: 0) }
    }

    /// `run`, each kernel call also prefetching its share of `prefetch`'s stream.
    static func run(
        _ a: ConvKernelArgs, blocks fb: Int, pixels: Int, edge: ConvEdgeInput?,
        scratch: UnsafeMutablePointer<Float>, prefetch: inout WeightPrefetch, epilogue: ConvEpilogue? = nil
    ) {
        _ = KernelMetadata.ready
        let perRun = epilogue.map { a.alignedStore && !$0.inPlace } ?? false
        forEachTile(blocks: fb, pixels: pixels) { p, offset in
            var args = a
            prefetch.share(&args)
            tile(
                args, blocks: fb, pixels: p, offset: offset, edge: edge, scratch: scratch,
                epilogue: perRun ? nil : epilogue)
        }
        if perRun { epilogue?.apply(a.y, tileBlock: a.yBlock, blocks: fb, pixels: pixels, pixelOffset: 0) }
    }

    /// Kernel calls `run` makes for `pixels` pixels of `fb` blocks.
    static func calls(blocks fb: Int, pixels: Int) -> Int {
        var n = 0
        forEachTile(blocks: fb, pixels: pixels) { _, _ in n += 1 }
        return n
    }

    /// One kernel call: the tile of `p` pixels at `offset`, then the epilogue on the stored tile.
    @inline(__always)
    static func tile(
        _ a: ConvKernelArgs, blocks fb: Int, pixels p: Int, offset: Int, edge: ConvEdgeInput?,
        scratch: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue? = nil
    ) {
        var args = a
        var pixelOffset = offset
        if let partial = a.partial { args.partial = partial + offset &* channelBlock }
        if let edge, edge.isEdge(offset: offset, pixels: p) {
            args.x = edge.gather(offset: offset, pixels: p)
            args.xOffsets = edge.offsets
            pixelOffset = 0
        }
        if a.alignedStore && !(epilogue?.inPlace ?? false) {
            let y = a.y + offset &* channelBlock
            dispatch(fb, p, args, pixelOffset, y, a.yBlock)
            epilogue?.apply(y, tileBlock: a.yBlock, blocks: fb, pixels: p, pixelOffset: offset)
        } else if a.alignedStore, let epilogue {
            // The shortcut is the output itself: the tile goes to scratch, gets its shortcut added
            // there, and only then overwrites the shortcut, as whole vectors.
            let tileBlock = maxTilePixels * channelBlock
            dispatch(fb, p, args, pixelOffset, scratch, tileBlock)
            epilogue.apply(scratch, tileBlock: tileBlock, blocks: fb, pixels: p, pixelOffset: offset)
            let y = a.y + offset &* channelBlock
            for f in 0..<fb {
                let from = scratch + f &* tileBlock
                let to = UnsafeMutableRawPointer(y + f &* a.yBlock)
                for i in 0..<p {
                    let v = loadVector(from + i &* channelBlock)
                    to.storeBytes(of: v, toByteOffset: i &* 64, as: SIMD16<Float>.self)
                }
            }
        } else {
            // The tile goes to scratch, then lane by lane to the destination.
            dispatch(fb, p, args, pixelOffset, scratch, maxTilePixels * channelBlock)
            epilogue?.apply(
                scratch, tileBlock: maxTilePixels * channelBlock, blocks: fb, pixels: p, pixelOffset: offset)
            scatter(scratch, blocks: fb, pixels: p, a, pixel0: a.yPixel0 + offset)
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
    static func scatter(_ t: UnsafeMutablePointer<Float>, blocks fb: Int, pixels: Int, _ a: ConvKernelArgs, pixel0: Int)
    {
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
    static func dispatch(
        _ fb: Int, _ p: Int, _ a: ConvKernelArgs, _ off: Int,
        _ y: UnsafeMutablePointer<Float>, _ yb: Int
    ) {
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
