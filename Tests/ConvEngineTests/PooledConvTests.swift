import XCTest

@testable import ConvEngine

/// A stride-1 pool computed inside the 1×1 conv after it (`PooledConvOp`): bit for bit what
/// `PoolOp` then `Conv2DOp` give, on every thread count, and within 1e-4 of the scalar reference.
final class PooledConvTests: XCTestCase {
    func check(
        _ kind: PoolKind, n: Int = 1, c: Int, h: Int, w: Int, out: Int, window: (Int, Int) = (3, 3),
        countPad: Bool = true, offset: Int = 0, relu: Bool = true, seed: UInt64,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: n, c: c, h: h, w: w)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: out, inChannels: c, kernelH: 1, kernelW: 1,
            weight: rng.array(out * c, scale: 0.3), bias: rng.array(out))
        let pool = PoolParams(
            kernelH: window.0, kernelW: window.1, strideH: 1, strideW: 1,
            padH: window.0 / 2, padW: window.1 / 2, countPad: countPad)
        let conv = ConvParams(strideH: 1, strideW: 1, pad: Padding2D(h: 0, w: 0), relu: relu)
        let label = "\(kind) \(window) c \(c) \(h)x\(w) → \(out) at \(offset), n \(n)"
        let input = try makeTensor(shape, x)
        let total = offset + out
        let outShape = TensorShape(n: n, c: total, h: h, w: w)

        let fusedOut = try Tensor(shape: outShape)
        try fusedOut.load(nchw: [Float](repeating: -7, count: outShape.count))
        let fused = try PooledConvOp(
            kind, poolParams: pool, input: input, output: ChannelSlice(fusedOut, offset: offset),
            params: conv, weights: weights)
        XCTAssertEqual(fused.flops, 2 * n * h * w * out * c, label, file: file, line: line)
        let got = runOnAllPools(fused, output: fusedOut, file: file, line: line)

        // The two ops it replaces.
        let pooled = try Tensor(shape: shape)
        let poolOp = try PoolOp(kind, input: input, output: ChannelSlice(pooled, offset: 0), params: pool)
        let separateOut = try Tensor(shape: outShape)
        try separateOut.load(nchw: [Float](repeating: -7, count: outShape.count))
        let convOp = try Conv2DOp(
            input: pooled, output: ChannelSlice(separateOut, offset: offset), params: conv,
            weights: weights)
        poolOp.run(Pools.one)
        convOp.run(Pools.one)
        XCTAssertEqual(
            got.map(\.bitPattern), separateOut.toNCHW().map(\.bitPattern),
            "not bitwise the pool then the conv: " + label, file: file, line: line)

        // And the scalar reference (pool, then conv).
        let refPool = try Reference.pool(kind, x, shape, params: pool)
        let ref = try Reference.conv2d(refPool.values, refPool.shape, weights: weights, params: conv)
        let hw = h * w
        assertClose(
            channelSlice(got, n: n, total: total, hw: hw, offset: offset, count: out), ref.values, label,
            file: file, line: line)
        XCTAssertTrue(
            channelSlice(got, n: n, total: total, hw: hw, offset: 0, count: offset).allSatisfy { $0 == -7 },
            "wrote outside its slice: " + label, file: file, line: line)
    }

    /// The shapes of the shipped networks' pool branches.
    func testInceptionPoolBranches() throws {
        try check(.max, c: 192, h: 28, w: 28, out: 32, offset: 224, seed: 1)  // GoogLeNet 3a
        try check(.max, c: 832, h: 7, w: 7, out: 128, offset: 256, seed: 2)  // GoogLeNet 5b
        try check(.average, c: 192, h: 35, w: 35, out: 32, offset: 224, seed: 3)  // Inception-v3 Mixed_5b
        try check(.average, c: 768, h: 17, w: 17, out: 192, offset: 576, seed: 4)  // Mixed_6b
        try check(.average, c: 1280, h: 8, w: 8, out: 192, offset: 1088, seed: 5)  // Mixed_7b
    }

    /// Ragged channel counts, misaligned slices, tiny maps (every window touches the padding),
    /// non-square windows, both average divisors, batches.
    func testEdgesOfEveryKind() throws {
        try check(.max, c: 40, h: 5, w: 7, out: 24, offset: 8, seed: 6)
        try check(.average, c: 40, h: 5, w: 7, out: 24, countPad: false, offset: 8, seed: 7)
        try check(.average, c: 17, h: 1, w: 1, out: 3, relu: false, seed: 8)
        try check(.max, c: 16, h: 2, w: 9, out: 70, window: (1, 3), seed: 9)
        try check(.average, c: 33, h: 9, w: 4, out: 20, window: (5, 1), countPad: false, seed: 10)
        try check(.max, n: 3, c: 20, h: 6, w: 6, out: 40, window: (5, 5), offset: 5, seed: 11)
        try check(.average, n: 2, c: 64, h: 13, w: 11, out: 64, seed: 12)
    }

    func testRefusesWhatItCannotFuse() throws {
        let input = try Tensor(shape: TensorShape(c: 16, h: 8, w: 8))
        let output = try Tensor(shape: TensorShape(c: 16, h: 8, w: 8))
        let w1 = try ConvWeights(
            outChannels: 16, inChannels: 16, kernelH: 1, kernelW: 1,
            weight: [Float](repeating: 0.1, count: 256), bias: nil)
        let conv = ConvParams(strideH: 1, strideW: 1, pad: Padding2D(h: 0, w: 0), relu: false)
        let strided = PoolParams(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1)
        XCTAssertThrowsError(
            try PooledConvOp(
                .max, poolParams: strided, input: input,
                output: ChannelSlice(output, offset: 0), params: conv, weights: w1))
        let unpadded = PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 0, padW: 0)
        XCTAssertFalse(PooledConvOp.fuses(pool: unpadded, kernelH: 1, kernelW: 1, conv: conv))
        let same = PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1)
        XCTAssertTrue(PooledConvOp.fuses(pool: same, kernelH: 1, kernelW: 1, conv: conv))
        XCTAssertFalse(PooledConvOp.fuses(pool: same, kernelH: 3, kernelW: 3, conv: conv))
    }
}
