import ConvEngine
import XCTest

/// A whole (scaled-down) GoogLeNet inception block planned the way the runtime will: every branch's
/// last op writes straight into its slice of one concat tensor. Checked against the reference ops and
/// a reference concat.
final class InceptionBlockTests: XCTestCase {
    func testInceptionBlockWithFreeConcat() throws {
        var rng = TestRNG(50)
        let shape = TensorShape(n: 2, c: 24, h: 9, w: 9)
        let x = rng.array(shape.count)
        func weights(_ o: Int, _ i: Int, _ k: Int) throws -> ConvWeights {
            try ConvWeights(
                outChannels: o, inChannels: i, kernelH: k, kernelW: k,
                weight: rng.array(o * i * k * k, scale: 0.3), bias: rng.array(o))
        }
        let w1 = try weights(16, 24, 1), w3r = try weights(12, 24, 1), w3 = try weights(20, 12, 3)
        let w5r = try weights(4, 24, 1), w5 = try weights(8, 4, 5), wp = try weights(8, 24, 1)
        let relu = ConvParams(relu: true)
        let pool = PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1)

        // Reference.
        let b1 = try Reference.conv2d(x, shape, weights: w1, params: relu)
        let r3 = try Reference.conv2d(x, shape, weights: w3r, params: relu)
        let b3 = try Reference.conv2d(
            r3.values, r3.shape, weights: w3, params: ConvParams(pad: Padding2D(h: 1, w: 1), relu: true))
        let r5 = try Reference.conv2d(x, shape, weights: w5r, params: relu)
        let b5 = try Reference.conv2d(
            r5.values, r5.shape, weights: w5, params: ConvParams(pad: Padding2D(h: 2, w: 2), relu: true))
        let pooled = try Reference.pool(.max, x, shape, params: pool)
        let bp = try Reference.conv2d(pooled.values, pooled.shape, weights: wp, params: relu)
        let expected = Reference.concat([b1, b3, b5, bp])

        // Engine: 16 + 20 + 8 + 8 = 52 channels; offsets 16, 36, 44 are not all multiples of 16.
        let input = try makeTensor(shape, x)
        let out = try Tensor(shape: TensorShape(n: 2, c: 52, h: 9, w: 9))
        let t3 = try Tensor(shape: TensorShape(n: 2, c: 12, h: 9, w: 9))
        let t5 = try Tensor(shape: TensorShape(n: 2, c: 4, h: 9, w: 9))
        let tp = try Tensor(shape: shape)
        let ops: [EngineOp] = [
            try Conv2DOp(input: input, output: ChannelSlice(out, offset: 0), params: relu, weights: w1),
            try Conv2DOp(input: input, output: ChannelSlice(t3), params: relu, weights: w3r),
            try Conv2DOp(
                input: t3, output: ChannelSlice(out, offset: 16),
                params: ConvParams(pad: Padding2D(h: 1, w: 1), relu: true), weights: w3),
            try Conv2DOp(input: input, output: ChannelSlice(t5), params: relu, weights: w5r),
            try Conv2DOp(
                input: t5, output: ChannelSlice(out, offset: 36),
                params: ConvParams(pad: Padding2D(h: 2, w: 2), relu: true), weights: w5),
            try PoolOp(.max, input: input, output: ChannelSlice(tp), params: pool),
            try Conv2DOp(input: tp, output: ChannelSlice(out, offset: 44), params: relu, weights: wp),
        ]
        var results: [[Float]] = []
        for threads in Pools.all {
            out.zero()
            for op in ops { op.run(threads) }
            results.append(out.toNCHW())
        }
        assertClose(results[0], expected)
        XCTAssertEqual(results[1].map(\.bitPattern), results[0].map(\.bitPattern))
        XCTAssertEqual(results[2].map(\.bitPattern), results[0].map(\.bitPattern))

        // The same block as two concurrent groups (first op of every branch, then the second ops):
        // bitwise the same result on every pool.
        let level1 = try ConcurrentOps([ops[1], ops[0], ops[3], ops[5]])
        let level2 = try ConcurrentOps([ops[2], ops[4], ops[6]])
        XCTAssertEqual(level1.flops + level2.flops, ops.reduce(0) { $0 + $1.flops })
        for threads in Pools.all {
            out.zero()
            level1.run(threads)
            level2.run(threads)
            XCTAssertEqual(
                out.toNCHW().map(\.bitPattern), results[0].map(\.bitPattern), "\(threads.threadCount) threads")
        }

        // Dependent or overlapping ops are refused.
        XCTAssertThrowsError(try ConcurrentOps([ops[1], ops[2]]))  // ops[2] reads t3, which ops[1] writes
        let clash = try Conv2DOp(input: input, output: ChannelSlice(out, offset: 10), params: relu, weights: w1)
        XCTAssertThrowsError(try ConcurrentOps([ops[0], clash]))  // channels 0..<16 and 10..<26
    }
}
