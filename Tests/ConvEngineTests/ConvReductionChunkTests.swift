import XCTest

@testable import ConvEngine

/// Flat 1×1 convs with long reductions on small maps (issue 22): the pixel chunks of their tasks
/// (`Conv2DOp.flatChunks`), the weight prefetch each task gets, and the chunked reduction
/// (`ConvReductionChunks`) against the plain reference twin (`Reference.conv2d`,
/// `Reference.residualConv`), bitwise equal on 1, 2 and 4 threads.
final class ConvReductionChunkTests: XCTestCase {
    /// Plans a 1×1 conv from `c` to `out` channels on `h`×`w` (zero weights) to inspect its plan.
    func plan(c: Int, out: Int, h: Int, w: Int) throws -> Conv2DOp {
        let weights = try ConvWeights(
            outChannels: out, inChannels: c, kernelH: 1, kernelW: 1, weight: .init(repeating: 0, count: out * c))
        return try Conv2DOp(
            input: try Tensor(shape: TensorShape(c: c, h: h, w: w)),
            output: ChannelSlice(try Tensor(shape: TensorShape(c: out, h: h, w: w))), params: ConvParams(),
            weights: weights)
    }

    func testFlatChunksShareTheTilesEvenly() {
        // 8×8 with 5-pixel tiles (4-block groups): two chunks of 6 and 7 tiles, not 50 + 14 pixels.
        XCTAssertEqual(Conv2DOp.flatChunks(pixels: 64, tile: 5).map { [$0.first, $0.count] }, [[0, 30], [30, 34]])
        // 7×7: one chunk, as before.
        XCTAssertEqual(Conv2DOp.flatChunks(pixels: 49, tile: 5).map { [$0.first, $0.count] }, [[0, 49]])
        for tile in [5, 7, 10, 16] {
            let chunk = tile * max(1, (48 + tile / 2) / tile)
            for pixels in 1...400 {
                let chunks = Conv2DOp.flatChunks(pixels: pixels, tile: tile)
                XCTAssertEqual(chunks.count, (pixels + chunk - 1) / chunk, "\(pixels) pixels, tile \(tile)")
                var next = 0
                for (i, c) in chunks.enumerated() {
                    XCTAssertEqual(c.first, next, "\(pixels) pixels, tile \(tile): chunks are contiguous")
                    XCTAssertGreaterThan(c.count, 0)
                    if i + 1 < chunks.count {
                        XCTAssertEqual(c.count % tile, 0, "\(pixels) pixels, tile \(tile): whole tiles but the last")
                    }
                    next += c.count
                }
                XCTAssertEqual(next, pixels, "\(pixels) pixels, tile \(tile): every pixel once")
                let sizes = chunks.map(\.count)
                XCTAssertLessThanOrEqual(
                    (sizes.max() ?? 0) - (sizes.min() ?? 0), 2 * tile, "\(pixels) pixels, tile \(tile): even")
            }
        }
    }

    /// Regression (issue 22): Block8's 1×1 448 → 2080 on 8×8 ran tasks of 50 and 14 pixels; the
    /// 14-pixel task's share of the next group's weights (896 lines over 3 kernel calls of 448 steps)
    /// was too dense to spread (`WeightPrefetch.spreads`), so that half was never prefetched.
    /// Every task of a by-group plan now spreads its share.
    func testEveryTaskSpreadsItsWeightPrefetch() throws {
        for (c, out, h, w) in [(448, 2080, 8, 8), (2080, 192, 8, 8), (2080, 1536, 8, 8), (3072, 768, 7, 7)] {
            let op = try plan(c: c, out: out, h: h, w: w)
            XCTAssertTrue(op.positionsByGroup, "\(c)>\(out): weights outweigh the input")
            let steps = op.chunkSteps > 0 ? op.chunkSteps : c
            var prefetching = 0
            for task in 0..<op.taskCount {
                guard let ahead = op.weightPrefetch(task: task) else { continue }
                prefetching += 1
                XCTAssertTrue(
                    WeightPrefetch.spreads(lines: ahead.linesPerStep, over: steps),
                    "\(c)>\(out) task \(task): \(ahead.linesPerStep) lines per call of \(steps) steps")
            }
            XCTAssertGreaterThan(prefetching, 0, "\(c)>\(out)")
        }
    }

    /// Which convs chunk: those whose group weights, the next group's and the task's input crowd L2.
    func testChunkingIsPlannedForLargeWorkingSetsOnly() throws {
        // Inception-ResNet-v2 conv2d_7b (2 × 532 KB + 34 px · 8 KB) and InceptionNeXt's stage-4 fc2.
        for (c, out, h, w) in [(2080, 1536, 8, 8), (2080, 192, 8, 8), (3072, 768, 7, 7)] {
            let op = try plan(c: c, out: out, h: h, w: w)
            XCTAssertGreaterThan(op.chunkSteps, 0, "\(c)>\(out)")
            XCTAssertLessThan(op.chunkSteps, c, "\(c)>\(out)")
            XCTAssertEqual(op.chunkSteps % channelBlock, 0, "\(c)>\(out): whole input blocks")
            XCTAssertLessThanOrEqual(
                4 * op.chunkSteps * channelBlock * 4, ConvReductionChunks.groupBytes, "\(c)>\(out): a chunk fits")
        }
        // Fits L2 unchunked: fc1 768 → 3072 on 7×7, Block8's 448 → 2080, Block17's 1088 → 192 on 17×17;
        // and 3×3 convs never chunk.
        for (c, out, h, w) in [(768, 3072, 7, 7), (448, 2080, 8, 8), (1088, 192, 17, 17)] {
            XCTAssertEqual(try plan(c: c, out: out, h: h, w: w).chunkSteps, 0, "\(c)>\(out)")
        }
        let w3 = try ConvWeights(
            outChannels: 64, inChannels: 2080, kernelH: 3, kernelW: 3, weight: .init(repeating: 0, count: 64 * 2080 * 9)
        )
        let three = try Conv2DOp(
            input: try Tensor(shape: TensorShape(c: 2080, h: 8, w: 8)),
            output: ChannelSlice(try Tensor(shape: TensorShape(c: 64, h: 8, w: 8))),
            params: ConvParams(pad: Padding2D(h: 1, w: 1)), weights: w3)
        XCTAssertEqual(three.chunkSteps, 0)
    }

    /// Chunked convs against the reference: whole destination blocks, a slice starting inside a
    /// block (scratch tiles scattered lane by lane), a partial last block, two images.
    func testChunkedConvMatchesReference() throws {
        // (n, in, out, h, w, slice offset): 2080 → 72 on 8×8 (groups of 3 + 2 blocks, 8 real lanes
        // in the last), into channels 8... of a wider tensor; 3072 → 32 on 7×7, two images.
        for (seed, (n, c, out, h, w, offset)) in [
            (1, 2080, 72, 8, 8, 0), (1, 2080, 72, 8, 8, 8), (2, 3072, 32, 7, 7, 0), (1, 2080, 64, 8, 8, 16),
        ].enumerated() {
            var rng = TestRNG(UInt64(seed + 1))
            let shape = TensorShape(n: n, c: c, h: h, w: w)
            let x = rng.array(shape.count)
            let weights = try ConvWeights(
                outChannels: out, inChannels: c, kernelH: 1, kernelW: 1,
                weight: rng.array(out * c, scale: 0.05), bias: rng.array(out))
            let params = ConvParams(relu: true)
            let ref = try Reference.conv2d(x, shape, weights: weights, params: params)
            let total = offset + out + 3
            let output = try Tensor(shape: TensorShape(n: n, c: total, h: h, w: w))
            let op = try Conv2DOp(
                input: try makeTensor(shape, x), output: ChannelSlice(output, offset: offset), params: params,
                weights: weights)
            XCTAssertGreaterThan(op.chunkSteps, 0, "\(c)>\(out) chunks")
            let got = runOnAllPools(op, output: output)
            assertClose(
                channelSlice(got, n: n, total: total, hw: h * w, offset: offset, count: out), ref.values,
                tolerance: 1e-5, "\(c)>\(out) on \(h)x\(w), offset \(offset)")
        }
    }

    /// A chunked conv with a fused residual, the shortcut a separate tensor or the output itself (the
    /// partial sums must not overwrite the shortcut before the last chunk adds it).
    func testChunkedConvWithResidual() throws {
        for inPlace in [false, true] {
            var rng = TestRNG(inPlace ? 12 : 11)
            let shape = TensorShape(c: 2080, h: 8, w: 8)
            let x = rng.array(shape.count)
            let weights = try ConvWeights(
                outChannels: 64, inChannels: 2080, kernelH: 1, kernelW: 1,
                weight: rng.array(64 * 2080, scale: 0.05), bias: rng.array(64))
            let params = ConvParams(relu: true)
            let outShape = TensorShape(c: 64, h: 8, w: 8)
            let sc = rng.array(outShape.count)
            let ref = try Reference.residualConv(x, shape, weights: weights, params: params, shortcut: sc, scale: 0.2)
            let output = try Tensor(shape: outShape)
            let shortcut = inPlace ? output : try makeTensor(outShape, sc)
            let op = try Conv2DOp(
                input: try makeTensor(shape, x), output: ChannelSlice(output), params: params, weights: weights,
                residual: Residual(shortcut: shortcut, scale: 0.2))
            XCTAssertGreaterThan(op.chunkSteps, 0)
            var first: [UInt32]?
            for pool in Pools.all {
                if inPlace { try output.load(nchw: sc) }
                op.run(pool)
                let got = output.toNCHW()
                assertClose(got, ref.values, tolerance: 1e-5, "in place \(inPlace), \(pool.threadCount) threads")
                if let first {
                    XCTAssertEqual(got.map(\.bitPattern), first, "in place \(inPlace), \(pool.threadCount) threads")
                } else {
                    first = got.map(\.bitPattern)
                }
            }
        }
    }
}
