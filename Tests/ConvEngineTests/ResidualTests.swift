import XCTest

@testable import ConvEngine

/// The fused residual epilogue (`Residual` on `Conv2DOp`, `WinogradConvOp`, `GroupedDirectConvOp`) and the
/// standalone `SumOp`, against the unfused plain twins (`Reference.residualConv`, `Reference.sum`).
final class ResidualTests: XCTestCase {
    struct Case {
        var n = 1, c: Int, h: Int, w: Int, out: Int, k: Int
        var pad = 0
        var scale: Float
        var activation: Activation
        var offset = 0
    }

    /// Plans the conv with a fused shortcut (in a fresh tensor, or in place in the output), runs it
    /// on every pool, compares with the reference.
    func check(
        _ k: Case, inPlace: Bool = false, winograd: Int? = nil, seed: UInt64,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: k.n, c: k.c, h: k.h, w: k.w)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: k.out, inChannels: k.c, kernelH: k.k, kernelW: k.k,
            weight: rng.array(k.out * k.c * k.k * k.k, scale: 0.3), bias: rng.array(k.out))
        let params = ConvParams(pad: Padding2D(h: k.pad, w: k.pad), activation: k.activation)
        let (oh, ow) = try params.outputSize(h: k.h, w: k.w, kh: k.k, kw: k.k)
        let scShape = TensorShape(n: k.n, c: k.out, h: oh, w: ow)
        let sc = rng.array(scShape.count)
        let ref = try Reference.residualConv(x, shape, weights: weights, params: params, shortcut: sc, scale: k.scale)
        let input = try makeTensor(shape, x)
        let total = k.offset + k.out + (inPlace ? 0 : 5)
        let output = try Tensor(shape: TensorShape(n: k.n, c: total, h: oh, w: ow))
        let shortcut = inPlace ? output : try makeTensor(scShape, sc)
        let op: any EngineOp =
            if let m = winograd {
                try WinogradConvOp(
                    input: input, output: ChannelSlice(output, offset: k.offset), params: params, weights: weights,
                    tile: m, residual: Residual(shortcut: shortcut, scale: k.scale))
            } else {
                try Conv2DOp(
                    input: input, output: ChannelSlice(output, offset: k.offset), params: params, weights: weights,
                    residual: Residual(shortcut: shortcut, scale: k.scale))
            }
        for pool in Pools.all {
            if inPlace { try output.load(nchw: sc) }
            op.run(pool)
            let got = channelSlice(output.toNCHW(), n: k.n, total: total, hw: oh * ow, offset: k.offset, count: k.out)
            assertClose(
                got, ref.values, tolerance: 1e-5, "\(k) in place \(inPlace) \(pool.threadCount)T", file: file,
                line: line)
        }
    }

    /// Inception-ResNet's block ends: 1×1 with bias, ×0.17 / 0.10 / 0.20, + input, ReLU; the last
    /// block ×1.0 and no activation (timm `inception_resnet_v2`).
    func testInceptionResNetJoins() throws {
        try check(Case(c: 128, h: 7, w: 9, out: 48, k: 1, scale: 0.17, activation: .relu), seed: 1)
        try check(Case(n: 2, c: 40, h: 6, w: 6, out: 36, k: 1, scale: 0.10, activation: .relu), seed: 2)
        try check(Case(c: 24, h: 5, w: 5, out: 32, k: 1, scale: 0.20, activation: .relu), seed: 3)
        try check(Case(c: 24, h: 5, w: 5, out: 20, k: 1, scale: 1.0, activation: .none), seed: 4)
    }

    func testPaddedKernelsGELUAndMisalignedSlices() throws {
        try check(Case(c: 21, h: 9, w: 8, out: 19, k: 3, pad: 1, scale: 0.5, activation: .gelu), seed: 5)
        try check(
            Case(n: 2, c: 16, h: 6, w: 20, out: 70, k: 3, pad: 1, scale: 1, activation: .relu, offset: 5), seed: 6)
        try check(Case(c: 16, h: 6, w: 7, out: 32, k: 5, pad: 2, scale: 0.3, activation: .none, offset: 16), seed: 7)
    }

    /// The shortcut may be the output itself: each element reads its shortcut, then is overwritten.
    func testInPlaceShortcut() throws {
        try check(Case(c: 64, h: 8, w: 8, out: 64, k: 1, scale: 0.17, activation: .relu), inPlace: true, seed: 8)
        try check(
            Case(n: 2, c: 20, h: 7, w: 5, out: 21, k: 3, pad: 1, scale: 0.2, activation: .gelu), inPlace: true, seed: 9)
    }

    /// Winograd keeps working inside residual branches.
    func testWinogradWithResidual() throws {
        try check(Case(c: 24, h: 10, w: 9, out: 40, k: 3, pad: 1, scale: 0.1, activation: .relu), winograd: 2, seed: 10)
        try check(
            Case(n: 2, c: 16, h: 8, w: 8, out: 16, k: 3, pad: 1, scale: 1, activation: .none, offset: 3), winograd: 4,
            seed: 11)
        try check(
            Case(c: 16, h: 8, w: 8, out: 16, k: 3, pad: 1, scale: 0.5, activation: .gelu), inPlace: true, winograd: 2,
            seed: 12)
    }

    func testGroupedConvWithResidual() throws {
        var rng = TestRNG(13)
        let shape = TensorShape(n: 2, c: 24, h: 6, w: 5)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: 32, inChannels: 12, kernelH: 3, kernelW: 3,
            weight: rng.array(32 * 12 * 9, scale: 0.3), bias: rng.array(32))
        let params = ConvParams(pad: Padding2D(h: 1, w: 1), activation: .relu)
        let sc = rng.array(2 * 32 * 30)
        let ref = try Reference.residualConv(
            x, shape, weights: weights, params: params, groups: 2, shortcut: sc, scale: 0.17)
        let output = try Tensor(shape: ref.shape)
        let op = try GroupedDirectConvOp(
            input: try makeTensor(shape, x), output: ChannelSlice(output), params: params,
            weights: weights, groups: 2,
            residual: Residual(shortcut: try makeTensor(ref.shape, sc), scale: 0.17))
        assertClose(runOnAllPools(op, output: output), ref.values, tolerance: 1e-5)
    }

    func testSumOfTensors() throws {
        var rng = TestRNG(14)
        let shape = TensorShape(n: 2, c: 37, h: 9, w: 7)
        let xs = (0..<3).map { _ in rng.array(shape.count) }
        let tensors = try xs.map { try makeTensor(shape, $0) }
        for (scales, act, offset) in [
            ([Float](arrayLiteral: 1, 1), Activation.none, 0),
            ([0.17, 1], .relu, 16), ([0.5, -2, 1.5], .gelu, 5),
        ] {
            let total = offset + 37 + 4
            let output = try makeTensor(
                TensorShape(n: 2, c: total, h: 9, w: 7), [Float](repeating: -7, count: 2 * total * 63))
            let op = try SumOp(
                inputs: Array(tensors.prefix(scales.count)), scales: scales, activation: act,
                output: ChannelSlice(output, offset: offset))
            let all = runOnAllPools(op, output: output)
            let ref = Reference.sum(Array(xs.prefix(scales.count)), scales: scales, activation: act)
            assertClose(
                channelSlice(all, n: 2, total: total, hw: 63, offset: offset, count: 37), ref, tolerance: 1e-6,
                "\(scales)")
            let outside =
                channelSlice(all, n: 2, total: total, hw: 63, offset: 0, count: offset)
                + channelSlice(all, n: 2, total: total, hw: 63, offset: offset + 37, count: 4)
            XCTAssertTrue(outside.allSatisfy { $0 == -7 })
        }
    }

    /// In place: the sum written over its second input (x + 0.2 · y into y's tensor).
    func testSumInPlace() throws {
        var rng = TestRNG(15)
        let shape = TensorShape(c: 48, h: 35, w: 35)
        let a = rng.array(shape.count), b = rng.array(shape.count)
        let ta = try makeTensor(shape, a), tb = try makeTensor(shape, b)
        let op = try SumOp(inputs: [ta, tb], scales: [1, 0.2], activation: .relu, output: ChannelSlice(tb))
        op.run(Pools.two)
        assertClose(tb.toNCHW(), Reference.sum([a, b], scales: [1, 0.2], activation: .relu), tolerance: 1e-6)
    }

    func testBadResidualsThrow() throws {
        let input = try Tensor(shape: TensorShape(c: 8, h: 4, w: 4))
        let output = try Tensor(shape: TensorShape(c: 24, h: 4, w: 4))
        let w = try ConvWeights(
            outChannels: 8, inChannels: 8, kernelH: 1, kernelW: 1, weight: .init(repeating: 0, count: 64))
        let wrong = try Tensor(shape: TensorShape(c: 9, h: 4, w: 4))
        XCTAssertThrowsError(
            try Conv2DOp(
                input: input, output: ChannelSlice(output), params: ConvParams(), weights: w,
                residual: Residual(shortcut: wrong)))
        XCTAssertThrowsError(
            try Conv2DOp(
                input: input, output: ChannelSlice(output), params: ConvParams(), weights: w,
                residual: Residual(shortcut: input)))
        XCTAssertThrowsError(
            try Conv2DOp(
                input: input, output: ChannelSlice(output), params: ConvParams(), weights: w,
                residual: Residual(shortcut: try Tensor(shape: TensorShape(c: 8, h: 4, w: 4)), scale: .nan)))
        // A shortcut in the output's buffer at other channels than the output slice's.
        let big = try Tensor(shape: TensorShape(c: 24, h: 4, w: 4))
        let tail = try XCTUnwrap(big.channelView(16..<24))
        XCTAssertThrowsError(
            try Conv2DOp(
                input: input, output: ChannelSlice(big), params: ConvParams(), weights: w,
                residual: Residual(shortcut: tail)))
        XCTAssertNoThrow(
            try Conv2DOp(
                input: input, output: ChannelSlice(big, offset: 16), params: ConvParams(), weights: w,
                residual: Residual(shortcut: tail)))
        XCTAssertThrowsError(try SumOp(inputs: [input, wrong], output: ChannelSlice(output)))
        XCTAssertThrowsError(try SumOp(inputs: [], output: ChannelSlice(output)))
        XCTAssertThrowsError(try SumOp(inputs: [tail], output: ChannelSlice(big, offset: 0)))
    }
}
