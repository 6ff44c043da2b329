import XCTest

@testable import ConvEngine

final class ConvTests: XCTestCase {
    struct Case {
        var n = 1, c: Int, h: Int, w: Int
        var out: Int, kh: Int, kw: Int
        var sh = 1, sw = 1
        var pad = Padding2D.zero
        var bias = true
        var relu = false
    }

    /// Plans the conv (zero weights) to inspect its strategy.
    func plan(_ k: Case) throws -> Conv2DOp {
        let w = try ConvWeights(
            outChannels: k.out, inChannels: k.c, kernelH: k.kh, kernelW: k.kw,
            weight: .init(repeating: 0, count: k.out * k.c * k.kh * k.kw))
        let params = ConvParams(strideH: k.sh, strideW: k.sw, pad: k.pad, relu: k.relu)
        let input = try Tensor(shape: TensorShape(n: k.n, c: k.c, h: k.h, w: k.w))
        let (oh, ow) = try params.outputSize(h: k.h, w: k.w, kh: k.kh, kw: k.kw)
        let output = try Tensor(shape: TensorShape(n: k.n, c: k.out, h: oh, w: ow))
        return try Conv2DOp(input: input, output: ChannelSlice(output), params: params, weights: w)
    }

    /// Plans the conv into a fresh output, runs it on 1, 2 and 4 threads, compares with the reference.
    func check(_ k: Case, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: k.n, c: k.c, h: k.h, w: k.w)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: k.out, inChannels: k.c, kernelH: k.kh, kernelW: k.kw,
            weight: rng.array(k.out * k.c * k.kh * k.kw, scale: 0.3),
            bias: k.bias ? rng.array(k.out) : nil)
        let params = ConvParams(strideH: k.sh, strideW: k.sw, pad: k.pad, relu: k.relu)
        let ref = try Reference.conv2d(x, shape, weights: weights, params: params)
        let input = try makeTensor(shape, x)
        let output = try Tensor(shape: ref.shape)
        let op = try Conv2DOp(input: input, output: ChannelSlice(output), params: params, weights: weights)
        XCTAssertEqual(op.flops, 2 * ref.shape.count * k.c * k.kh * k.kw, file: file, line: line)
        assertClose(
            runOnAllPools(op, output: output, file: file, line: line), ref.values,
            "case \(k)", file: file, line: line)
    }

    func testSquareKernelsPaddingAndOddSizes() throws {
        try check(Case(n: 2, c: 5, h: 7, w: 9, out: 19, kh: 3, kw: 3, pad: Padding2D(h: 1, w: 1), relu: true), seed: 1)
        try check(Case(c: 16, h: 11, w: 6, out: 32, kh: 5, kw: 5, pad: Padding2D(h: 2, w: 2)), seed: 2)
        try check(Case(c: 21, h: 6, w: 5, out: 70, kh: 3, kw: 3, bias: false), seed: 3)
    }

    func testOneByNAndNByOneKernels() throws {
        try check(Case(c: 17, h: 9, w: 8, out: 24, kh: 1, kw: 7, pad: Padding2D(h: 0, w: 3), relu: true), seed: 4)
        try check(Case(n: 2, c: 9, h: 8, w: 9, out: 40, kh: 7, kw: 1, pad: Padding2D(h: 3, w: 0)), seed: 5)
        try check(Case(c: 33, h: 5, w: 7, out: 16, kh: 1, kw: 3, pad: Padding2D(h: 0, w: 1)), seed: 6)
    }

    func testStridesAndAsymmetricPads() throws {
        try check(
            Case(c: 3, h: 23, w: 19, out: 20, kh: 7, kw: 7, sh: 2, sw: 2, pad: Padding2D(h: 3, w: 3), relu: true),
            seed: 7)
        try check(
            Case(
                c: 12, h: 9, w: 10, out: 18, kh: 3, kw: 2, sh: 2, sw: 3,
                pad: Padding2D(top: 1, bottom: 0, left: 2, right: 1)), seed: 8)
        try check(Case(c: 8, h: 8, w: 8, out: 8, kh: 1, kw: 1, sh: 2, sw: 2), seed: 9)
    }

    /// Left/right padding: the plan either gathers edge tiles into thread scratch or copies the input
    /// into a zero-bordered buffer (`Conv2DOp.gatherBeatsCopy`). Each case here is checked to take the
    /// intended path, and all must agree with the oracle.
    func testEdgeGatherAndPaddedCopy() throws {
        // Wide image, 7×7/2, one group: 2 edge tiles of 12 per row → gathering moves fewer bytes.
        let gather = Case(
            c: 3, h: 9, w: 120, out: 64, kh: 7, kw: 7, sh: 2, sw: 2, pad: Padding2D(h: 3, w: 3), relu: true)
        // Narrow image: every tile is an edge tile → copy.
        let copy = Case(
            c: 40, h: 5, w: 23, out: 36, kh: 3, kw: 5, sh: 1, sw: 2,
            pad: Padding2D(top: 1, bottom: 1, left: 2, right: 3))
        // 850 channels × 7×7: the gathered window (54 blocks · 7 rows · 22 columns · 64 B ≈ 530 KB)
        // would not fit the 512 KB thread scratch → copy.
        let huge = Case(c: 850, h: 6, w: 7, out: 5, kh: 7, kw: 7, pad: Padding2D(h: 3, w: 3), relu: true)
        for (k, gathers) in [(gather, true), (copy, false), (huge, false)] {
            let op = try plan(k)
            XCTAssertEqual(op.gathersEdges, gathers, "\(k)")
            XCTAssertEqual(op.copiesPaddedInput, !gathers, "\(k)")
            try check(k, seed: 14)
        }
    }

    /// Pads as large as or larger than the kernel: whole output rows/columns see only padding and
    /// must come out as the bias (after ReLU).
    func testPaddingWiderThanTheKernel() throws {
        try check(Case(c: 5, h: 4, w: 5, out: 7, kh: 1, kw: 1, pad: Padding2D(h: 1, w: 2), relu: true), seed: 10)
        try check(
            Case(
                n: 2, c: 20, h: 3, w: 6, out: 18, kh: 2, kw: 3, sh: 2, sw: 1,
                pad: Padding2D(top: 3, bottom: 2, left: 0, right: 4)), seed: 13)
    }

    func testPointwiseConvsOfManyShapes() throws {
        // Flat 1×1 path: every output-block grouping (1…9 blocks) and chunk tails.
        for (i, out) in [1, 16, 30, 48, 64, 80, 100, 128, 144].enumerated() {
            try check(Case(n: 2, c: 35, h: 13, w: 11, out: out, kh: 1, kw: 1, relu: i % 2 == 0), seed: 20 + UInt64(i))
        }
    }

    /// Writes into channel slices of a wider tensor at aligned and misaligned offsets; the channels
    /// around the slice keep their sentinel values.
    func testWritesIntoConcatSliceOnly() throws {
        var rng = TestRNG(11)
        let shape = TensorShape(n: 2, c: 10, h: 6, w: 7)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: 21, inChannels: 10, kernelH: 3, kernelW: 3,
            weight: rng.array(21 * 10 * 9), bias: rng.array(21))
        let params = ConvParams(pad: Padding2D(h: 1, w: 1), relu: true)
        let ref = try Reference.conv2d(x, shape, weights: weights, params: params)
        let input = try makeTensor(shape, x)
        for offset in [0, 16, 5, 27] {
            let total = 60
            let outShape = TensorShape(n: 2, c: total, h: 6, w: 7)
            let sentinel = [Float](repeating: -7, count: outShape.count)
            let output = try makeTensor(outShape, sentinel)
            let op = try Conv2DOp(
                input: input, output: ChannelSlice(output, offset: offset), params: params, weights: weights)
            let all = runOnAllPools(op, output: output)
            assertClose(
                channelSlice(all, n: 2, total: total, hw: 42, offset: offset, count: 21), ref.values, "offset \(offset)"
            )
            let before = channelSlice(all, n: 2, total: total, hw: 42, offset: 0, count: offset)
            let after = channelSlice(all, n: 2, total: total, hw: 42, offset: offset + 21, count: total - offset - 21)
            XCTAssertTrue((before + after).allSatisfy { $0 == -7 }, "offset \(offset): wrote outside its slice")
        }
    }

    func testBadShapesThrowInsteadOfTrapping() throws {
        let input = try Tensor(shape: TensorShape(c: 4, h: 5, w: 5))
        let w = try ConvWeights(
            outChannels: 8, inChannels: 3, kernelH: 3, kernelW: 3, weight: .init(repeating: 0, count: 216))
        let out = try Tensor(shape: TensorShape(c: 8, h: 3, w: 3))
        XCTAssertThrowsError(try Conv2DOp(input: input, output: ChannelSlice(out), params: ConvParams(), weights: w))
        let w4 = try ConvWeights(
            outChannels: 8, inChannels: 4, kernelH: 3, kernelW: 3, weight: .init(repeating: 0, count: 288))
        XCTAssertThrowsError(
            try Conv2DOp(input: input, output: ChannelSlice(out, offset: 1), params: ConvParams(), weights: w4))
        XCTAssertThrowsError(
            try Conv2DOp(input: input, output: ChannelSlice(out), params: ConvParams(strideH: 0), weights: w4))
        let big = try ConvWeights(
            outChannels: 8, inChannels: 4, kernelH: 7, kernelW: 7, weight: .init(repeating: 0, count: 8 * 4 * 49))
        XCTAssertThrowsError(try Conv2DOp(input: input, output: ChannelSlice(out), params: ConvParams(), weights: big))
        XCTAssertThrowsError(try ConvWeights(outChannels: 2, inChannels: 2, kernelH: 1, kernelW: 1, weight: [1, 2, 3]))
        XCTAssertThrowsError(try Tensor(shape: TensorShape(c: 0, h: 1, w: 1)))
        XCTAssertThrowsError(
            try Conv2DOp(
                input: input, output: ChannelSlice(input), params: ConvParams(),
                weights: try ConvWeights(
                    outChannels: 4, inChannels: 4, kernelH: 1, kernelW: 1,
                    weight: .init(repeating: 0, count: 16))))
    }
}
