import XCTest

@testable import ConvEngine

/// `DepthwiseConvOp` against the plain grouped conv (`Reference.conv2d(groups: c)`), within 1e-5 of
/// the reference's largest value, on 1, 2 and 4 threads (bitwise equal across them).
final class DepthwiseConvTests: XCTestCase {
    struct Case {
        var n = 1, c: Int, h: Int, w: Int
        var kh: Int, kw: Int
        var sh = 1, sw = 1
        var pad = Padding2D.zero
        var activation = Activation.none
        var bias = true
        /// Output written at this channel offset of a tensor `extra` channels wider.
        var offset = 0
        var extra = 0
        /// The op reads max(0, input) (a ReLU fused before it); the reference gets the ReLU'd input.
        var inputReLU = false
    }

    /// Runs case `k` beside the reference and returns the op (for asserting which path it took).
    @discardableResult
    func check(_ k: Case, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws -> DepthwiseConvOp {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: k.n, c: k.c, h: k.h, w: k.w)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: k.c, inChannels: 1, kernelH: k.kh, kernelW: k.kw,
            weight: rng.array(k.c * k.kh * k.kw, scale: 0.5), bias: k.bias ? rng.array(k.c) : nil)
        let params = ConvParams(strideH: k.sh, strideW: k.sw, pad: k.pad, activation: k.activation)
        let ref = try Reference.conv2d(
            k.inputReLU ? x.map { max(0, $0) } : x, shape, weights: weights, params: params, groups: k.c)
        let input = try makeTensor(shape, x)
        let total = k.c + k.extra
        let outShape = TensorShape(n: k.n, c: total, h: ref.shape.h, w: ref.shape.w)
        let output = try makeTensor(outShape, [Float](repeating: -7, count: outShape.count))
        let op = try DepthwiseConvOp(
            input: input, output: ChannelSlice(output, offset: k.offset), params: params, weights: weights,
            inputReLU: k.inputReLU)
        XCTAssertEqual(op.flops, 2 * ref.shape.count * k.kh * k.kw, file: file, line: line)
        let all = runOnAllPools(op, output: output, file: file, line: line)
        let hw = ref.shape.h * ref.shape.w
        assertClose(
            channelSlice(all, n: k.n, total: total, hw: hw, offset: k.offset, count: k.c), ref.values,
            tolerance: 1e-5, "case \(k)", file: file, line: line)
        let outside =
            channelSlice(all, n: k.n, total: total, hw: hw, offset: 0, count: k.offset)
            + channelSlice(all, n: k.n, total: total, hw: hw, offset: k.offset + k.c, count: total - k.offset - k.c)
        XCTAssertTrue(outside.allSatisfy { $0 == -7 }, "wrote outside its slice: \(k)", file: file, line: line)
        // A partial last block that ends the tensor is stored as whole vectors: its padding lanes
        // must come out as exact zeros (they were zero before: `makeTensor` loads only real lanes).
        let real = total % channelBlock
        if real != 0 {
            for n in 0..<k.n {
                for p in 0..<hw {
                    let base = output.offset(n: n, c: total - 1, y: 0, x: 0) - (real - 1) + p * channelBlock
                    for lane in real..<channelBlock {
                        XCTAssertEqual(
                            output.data[base + lane], 0, "padding lane \(lane) of \(k)", file: file, line: line)
                    }
                }
            }
        }
        return op
    }

    /// Xception's and InceptionNeXt's 3×3 "same", stride 1 and 2, odd channel counts and sizes.
    func testThreeByThreeStrideOneAndTwo() throws {
        try check(Case(n: 2, c: 21, h: 9, w: 11, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), activation: .relu), seed: 1)
        try check(Case(c: 32, h: 14, w: 14, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1)), seed: 2)
        try check(
            Case(c: 40, h: 15, w: 13, kh: 3, kw: 3, sh: 2, sw: 2, pad: Padding2D(h: 1, w: 1), activation: .gelu),
            seed: 3)
        try check(Case(n: 2, c: 5, h: 8, w: 7, kh: 3, kw: 3, sh: 2, sw: 2, bias: false), seed: 4)
        // Wider than one kernel tile row (8 + 4 + 1 + 1 pixels) and a map of one pixel.
        try check(Case(c: 17, h: 3, w: 30, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1)), seed: 5)
        try check(Case(c: 16, h: 1, w: 1, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1)), seed: 6)
    }

    /// Xception's ReLU before each separable conv, fused into the depthwise conv's plane fill: zero
    /// padding stays zero, negative inputs read as zero, at stride 1 and 2 and with an odd channel count.
    func testInputReLU() throws {
        try check(
            Case(n: 2, c: 21, h: 9, w: 11, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), inputReLU: true), seed: 31)
        try check(
            Case(c: 32, h: 15, w: 13, kh: 3, kw: 3, sh: 2, sw: 2, pad: Padding2D(h: 1, w: 1), inputReLU: true),
            seed: 32)
        try check(
            Case(c: 16, h: 7, w: 30, kh: 1, kw: 7, pad: Padding2D(h: 0, w: 3), activation: .relu, inputReLU: true),
            seed: 33)
    }

    /// InceptionNeXt's band kernels 1×11 and 11×1 "same" (pad 5), and every 1×k / k×1 up to 11,
    /// including maps narrower than the kernel (7×7 at the last stage: every window is padded).
    func testBandKernelsUpToEleven() throws {
        try check(Case(c: 12, h: 14, w: 14, kh: 1, kw: 11, pad: Padding2D(h: 0, w: 5)), seed: 10)
        try check(Case(n: 2, c: 24, h: 7, w: 7, kh: 11, kw: 1, pad: Padding2D(h: 5, w: 0), activation: .relu), seed: 11)
        try check(Case(c: 96, h: 7, w: 7, kh: 1, kw: 11, pad: Padding2D(h: 0, w: 5)), seed: 12)
        for k in [2, 3, 5, 7, 9] {
            try check(Case(c: 19, h: 10, w: 9, kh: 1, kw: k, pad: Padding2D(h: 0, w: k / 2)), seed: 20 + UInt64(k))
            try check(Case(c: 19, h: 10, w: 9, kh: k, kw: 1, pad: Padding2D(h: k / 2, w: 0)), seed: 40 + UInt64(k))
        }
    }

    /// The general path: other kernels, strides and asymmetric or oversized padding.
    func testGeneralKernelsStridesAndPads() throws {
        try check(Case(c: 33, h: 12, w: 10, kh: 5, kw: 5, pad: Padding2D(h: 2, w: 2), activation: .gelu), seed: 60)
        try check(
            Case(c: 7, h: 11, w: 9, kh: 2, kw: 3, sh: 3, sw: 2, pad: Padding2D(top: 1, bottom: 0, left: 2, right: 1)),
            seed: 61)
        try check(Case(n: 2, c: 20, h: 4, w: 5, kh: 3, kw: 3, pad: Padding2D(h: 3, w: 4), activation: .relu), seed: 62)
        try check(Case(c: 18, h: 9, w: 9, kh: 7, kw: 7, sh: 2, sw: 2, pad: Padding2D(h: 3, w: 3)), seed: 63)
    }

    /// Aligned and misaligned slices of a wider output; channels around the slice untouched.
    func testWritesIntoChannelSlices() throws {
        for (offset, extra) in [(0, 16), (16, 20), (5, 9), (27, 30)] {
            try check(
                Case(
                    n: 2, c: 21, h: 6, w: 9, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), activation: .relu,
                    offset: offset, extra: extra), seed: 70 + UInt64(offset))
        }
    }

    /// Tall maps are cut into bands of rows; every band boundary must see the right halo rows.
    func testManyBandsPerPlane() throws {
        let k = Case(c: 16, h: 70, w: 40, kh: 3, kw: 3, sh: 2, sw: 1, pad: Padding2D(h: 1, w: 1))
        let op = try DepthwiseConvOp(
            input: try Tensor(shape: TensorShape(c: 16, h: 70, w: 40)),
            output: ChannelSlice(try Tensor(shape: TensorShape(c: 16, h: 35, w: 40))),
            params: ConvParams(strideH: 2, pad: Padding2D(h: 1, w: 1)),
            weights: try ConvWeights(
                outChannels: 16, inChannels: 1, kernelH: 3, kernelW: 3,
                weight: .init(repeating: 0, count: 144)))
        XCTAssertGreaterThan(op.bands, 1)
        try check(k, seed: 80)
        try check(Case(c: 8, h: 100, w: 11, kh: 11, kw: 1, pad: Padding2D(h: 5, w: 0)), seed: 81)
    }

    func testMakeGroupedConvPicksTheDepthwiseOp() throws {
        let input = try Tensor(shape: TensorShape(c: 12, h: 5, w: 5))
        let output = try Tensor(shape: TensorShape(c: 12, h: 5, w: 5))
        let w = try ConvWeights(
            outChannels: 12, inChannels: 1, kernelH: 3, kernelW: 3, weight: .init(repeating: 0.1, count: 108))
        let op = try makeGroupedConv(
            input: input, output: ChannelSlice(output), params: ConvParams(pad: Padding2D(h: 1, w: 1)),
            weights: w, groups: 12)
        XCTAssertTrue(op is DepthwiseConvOp)
    }

    func testBadShapesThrow() throws {
        let input = try Tensor(shape: TensorShape(c: 12, h: 5, w: 5))
        let output = try Tensor(shape: TensorShape(c: 12, h: 5, w: 5))
        let wrong = try ConvWeights(
            outChannels: 12, inChannels: 2, kernelH: 3, kernelW: 3, weight: .init(repeating: 0, count: 216))
        XCTAssertThrowsError(
            try DepthwiseConvOp(
                input: input, output: ChannelSlice(output), params: ConvParams(pad: Padding2D(h: 1, w: 1)),
                weights: wrong))
        let w = try ConvWeights(
            outChannels: 12, inChannels: 1, kernelH: 3, kernelW: 3, weight: .init(repeating: 0, count: 108))
        // Output 3×3 without padding, but the tensor is 5×5.
        XCTAssertThrowsError(
            try DepthwiseConvOp(input: input, output: ChannelSlice(output), params: ConvParams(), weights: w))
        XCTAssertThrowsError(
            try DepthwiseConvOp(
                input: input, output: ChannelSlice(input), params: ConvParams(pad: Padding2D(h: 1, w: 1)), weights: w))
    }
}
