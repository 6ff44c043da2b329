import ConvEngine
import XCTest

final class PoolTests: XCTestCase {
    func check(
        _ kind: PoolKind, n: Int = 1, c: Int, h: Int, w: Int, _ p: PoolParams, offset: Int = 0, seed: UInt64,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: n, c: c, h: h, w: w)
        let x = rng.array(shape.count)
        let ref = try Reference.pool(kind, x, shape, params: p)
        let input = try makeTensor(shape, x)
        let total = offset + c + 3
        let output = try Tensor(shape: TensorShape(n: n, c: total, h: ref.shape.h, w: ref.shape.w))
        let op = try PoolOp(kind, input: input, output: ChannelSlice(output, offset: offset), params: p)
        let all = runOnAllPools(op, output: output, file: file, line: line)
        let hw = ref.shape.h * ref.shape.w
        assertClose(
            channelSlice(all, n: n, total: total, hw: hw, offset: offset, count: c), ref.values,
            "\(kind) \(p)", file: file, line: line)
    }

    func testMaxPools() throws {
        try check(.max, n: 2, c: 19, h: 7, w: 9, PoolParams(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2), seed: 1)
        // GoogLeNet's 3×3/2 ceil-mode pools: 112 → 56 and the 3×3/1 pad-1 branch pool.
        try check(
            .max, c: 5, h: 112, w: 112, PoolParams(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, ceilMode: true),
            seed: 2)
        try check(
            .max, c: 33, h: 9, w: 7, PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1),
            offset: 16, seed: 3)
        try check(
            .max, c: 6, h: 8, w: 11,
            PoolParams(kernelH: 2, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1, ceilMode: true), offset: 5,
            seed: 4)
    }

    /// The inception branch pool (3×3, stride 1, pad 1) slides its window in registers on rows of 3
    /// or more; rows of 1 and 2 take the general code. Both kinds, both count-pad rules, full vector
    /// blocks (32 channels at offset 0) and lane-by-lane slices, against the oracle.
    func testBranchPoolOnEveryRowWidth() throws {
        for w in 1...5 {
            for (kind, countPad) in [(PoolKind.max, true), (.average, true), (.average, false)] {
                let p = PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, countPad: countPad)
                try check(kind, n: 2, c: 32, h: 4, w: w, p, seed: 30 + UInt64(w))
                try check(kind, c: 21, h: 3, w: w, p, offset: 7, seed: 40 + UInt64(w))
            }
        }
    }

    /// The 3×3 stride-2 pools that shrink the map (GoogLeNet's, Inception-v3/v4's, the
    /// Inception-ResNets'): every row width from 1 to 9 (odd and even, with and without a partial
    /// last window in ceil mode), pad 0 and 1, both kinds and both count-pad rules, whole vector
    /// blocks and a lane-shifted slice, against the oracle. (Written beside a sliding stride-2 path
    /// that measured no faster and was dropped; it failed 159 checks when that path carried the wrong
    /// column, and now guards the general row code on these shapes.)
    func testStrideTwoPoolsOnEveryRowWidth() throws {
        for w in 1...9 {
            for pad in 0...1 {
                for ceil in [false, true] {
                    for (kind, countPad) in [(PoolKind.max, true), (.average, true), (.average, false)] {
                        let p = PoolParams(
                            kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: pad, padW: pad, ceilMode: ceil,
                            countPad: countPad)
                        guard (try? p.outputSize(h: 5, w: w)) != nil else { continue }
                        let seed = UInt64(100 + w * 8 + pad * 4 + (ceil ? 2 : 0))
                        try check(kind, n: 2, c: 32, h: 5, w: w, p, seed: seed)
                        try check(kind, c: 21, h: 5, w: w, p, offset: 7, seed: seed + 1)
                    }
                }
            }
        }
    }

    func testCeilModeSizesFollowPyTorch() throws {
        // 112 → 56 (GoogLeNet maxpool1: ⌈(112 − 3) / 2⌉ + 1 = 56); 14 → 7 for 2×2/2 in ceil mode; and
        // 6 with k3 s2 p1 ceil → ⌈(6 + 2 − 3) / 2⌉ + 1 = 4, whose last window starts at 6 = n + p − 1 < 7: kept.
        XCTAssertEqual(
            try PoolParams(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, ceilMode: true).outputSize(h: 112, w: 112).h,
            56)
        XCTAssertEqual(
            try PoolParams(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, ceilMode: true).outputSize(h: 14, w: 14).h, 7
        )
        XCTAssertEqual(
            try PoolParams(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1, ceilMode: true).outputSize(
                h: 6, w: 6
            ).h, 4)
        // 5 with k2 s2 p1 ceil: ⌈(5 + 2 − 2) / 2⌉ + 1 = 4, last start 6 ≥ n + p = 6 → dropped: 3.
        XCTAssertEqual(
            try PoolParams(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padH: 1, padW: 1, ceilMode: true).outputSize(
                h: 5, w: 5
            ).h, 3)
        XCTAssertThrowsError(
            try PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 2, padW: 0).outputSize(h: 9, w: 9))
    }

    func testAveragePoolsCountPadBothWays() throws {
        for countPad in [true, false] {
            try check(
                .average, n: 2, c: 21, h: 9, w: 7,
                PoolParams(
                    kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1, ceilMode: true, countPad: countPad
                ), seed: 5)
            try check(
                .average, c: 17, h: 8, w: 8,
                PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, countPad: countPad),
                offset: 3, seed: 6)
            // Inception-v3's 5×5/3 aux pool and GoogLeNet's 5×5/3 on 14×14.
            try check(
                .average, c: 16, h: 14, w: 14,
                PoolParams(kernelH: 5, kernelW: 5, strideH: 3, strideW: 3, ceilMode: true, countPad: countPad), seed: 7)
            try check(
                .average, c: 3, h: 10, w: 5,
                PoolParams(
                    kernelH: 2, kernelW: 4, strideH: 3, strideW: 2, padH: 1, padW: 2, ceilMode: true, countPad: countPad
                ), seed: 8)
        }
    }

    func testGlobalAveragePool() throws {
        var rng = TestRNG(9)
        let shape = TensorShape(n: 2, c: 37, h: 7, w: 5)
        let x = rng.array(shape.count)
        let output = try Tensor(shape: TensorShape(n: 2, c: 50, h: 1, w: 1))
        let op = try GlobalAvgPoolOp(input: try makeTensor(shape, x), output: ChannelSlice(output, offset: 9))
        let all = runOnAllPools(op, output: output)
        assertClose(channelSlice(all, n: 2, total: 50, hw: 1, offset: 9, count: 37), Reference.globalAvgPool(x, shape))
    }
}

final class MiscOpTests: XCTestCase {
    func testLRNAcrossChannels() throws {
        for (i, p) in [
            LRNParams(size: 5, alpha: 1e-4, beta: 0.75, k: 1),
            LRNParams(size: 4, alpha: 0.5, beta: 0.6, k: 2),
            LRNParams(size: 33, alpha: 2, beta: 0.5, k: 1),
        ].enumerated() {
            var rng = TestRNG(30 + UInt64(i))
            let shape = TensorShape(n: 2, c: 37, h: 3, w: 5)
            let x = rng.array(shape.count, scale: 3)
            // Written at channel offset 5 of a 50-channel tensor.
            let output = try Tensor(shape: TensorShape(n: 2, c: 50, h: 3, w: 5))
            let op = try LRNOp(input: try makeTensor(shape, x), output: ChannelSlice(output, offset: 5), params: p)
            assertClose(
                channelSlice(runOnAllPools(op, output: output), n: 2, total: 50, hw: 15, offset: 5, count: 37),
                Reference.lrn(x, shape, params: p), "\(p)")
        }
        XCTAssertThrowsError(
            try LRNOp(
                input: try Tensor(shape: TensorShape(c: 4, h: 1, w: 1)),
                output: ChannelSlice(try Tensor(shape: TensorShape(c: 4, h: 1, w: 1))),
                params: LRNParams(size: 40)))
    }

    func testLinearFlattensInPyTorchOrder() throws {
        var rng = TestRNG(40)
        let shape = TensorShape(n: 2, c: 20, h: 3, w: 3)
        let x = rng.array(shape.count)
        let weight = rng.array(10 * 180), bias = rng.array(10)
        for relu in [false, true] {
            let output = try Tensor(shape: TensorShape(n: 2, c: 10, h: 1, w: 1))
            let op = try LinearOp(
                input: try makeTensor(shape, x), output: ChannelSlice(output), outFeatures: 10,
                weight: weight, bias: bias, relu: relu)
            XCTAssertEqual(op.flops, 2 * 2 * 10 * 180)
            assertClose(
                runOnAllPools(op, output: output),
                Reference.linear(x, shape, outFeatures: 10, weight: weight, bias: bias, relu: relu))
        }
    }

    func testSoftmaxOverFlattenedFeatures() throws {
        var rng = TestRNG(41)
        for shape in [TensorShape(n: 2, c: 23, h: 1, w: 1), TensorShape(n: 1, c: 3, h: 2, w: 2)] {
            let x = rng.array(shape.count, scale: 20)
            // Written at channel offset 3 of a wider tensor.
            let total = shape.c + 7
            let output = try Tensor(shape: TensorShape(n: shape.n, c: total, h: shape.h, w: shape.w))
            let op = try SoftmaxOp(input: try makeTensor(shape, x), output: ChannelSlice(output, offset: 3))
            let y = channelSlice(
                runOnAllPools(op, output: output), n: shape.n, total: total, hw: shape.h * shape.w,
                offset: 3, count: shape.c)
            assertClose(y, Reference.softmax(x, shape))
            XCTAssertEqual(Double(y.prefix(shape.c * shape.h * shape.w).reduce(0, +)), 1, accuracy: 1e-5)
        }
    }

    func testChannelCopyIntoSlice() throws {
        var rng = TestRNG(42)
        let shape = TensorShape(n: 2, c: 18, h: 4, w: 3)
        let x = rng.array(shape.count)
        let output = try Tensor(shape: TensorShape(n: 2, c: 40, h: 4, w: 3))
        let op = try ChannelCopyOp(input: try makeTensor(shape, x), output: ChannelSlice(output, offset: 7))
        XCTAssertEqual(
            channelSlice(runOnAllPools(op, output: output), n: 2, total: 40, hw: 12, offset: 7, count: 18), x)
    }

    func testTensorRoundTripAndPaddingLanesStayZero() throws {
        var rng = TestRNG(43)
        let shape = TensorShape(n: 2, c: 21, h: 3, w: 2)
        let x = rng.array(shape.count)
        let t = try makeTensor(shape, x)
        XCTAssertEqual(t.toNCHW(), x)
        XCTAssertEqual(t.blocks, 2)
        // Lanes 21…31 of block 1 are padding: zero.
        for n in 0..<2 {
            for p in 0..<6 {
                for lane in 5..<16 {
                    XCTAssertEqual(t.data[((n * 2 + 1) * 6 + p) * 16 + lane], 0)
                }
            }
        }
        XCTAssertThrowsError(try t.load(nchw: [1, 2, 3]))
    }
}
