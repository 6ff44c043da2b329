import XCTest

@testable import ConvEngine

/// Winograd F(m,3): the written-out matrices, the hand-expanded vector transforms, the plain twin
/// and the fast op, each checked against the direct convolution.
final class WinogradTests: XCTestCase {
    /// Each F(m,r) computes an exact r-tap correlation (in Double, to rounding): y_i = Σ_k d_{i+k} g_k.
    func testMatricesComputeTheCorrelation() {
        var rng = TestRNG(1)
        for f in WinogradTransform.all + [.f2r5, .f4r5, .f2r7, .f4r7, .identity] {
            let d = rng.array(f.t).map(Double.init), g = rng.array(f.r).map(Double.init)
            let gg = f.kernelG.map { row in (0..<f.r).reduce(0.0) { $0 + row[$1] * g[$1] } }
            let bd = f.inputT.map { row in (0..<f.t).reduce(0.0) { $0 + row[$1] * d[$1] } }
            for i in 0..<f.m {
                let y = (0..<f.t).reduce(0.0) { $0 + f.outputT[i][$1] * gg[$1] * bd[$1] }
                let expected = (0..<f.r).reduce(0.0) { $0 + d[i + $1] * g[$1] }
                XCTAssertEqual(y, expected, accuracy: 1e-12, "\(f) output \(i)")
            }
        }
    }

    /// The Toom–Cook construction reproduces the written-out F(4,3) and F(6,3); the transforms
    /// built from their points share their Bᵀ (so the fast input transforms serve them too).
    func testConstructionMatchesTheWrittenOutMatrices() {
        for (points, f) in [([0.0, 1, -1, 2, -2], WinogradTransform.f4), ([0, 1, -1, 2, -2, 0.5, -0.5], .f6)] {
            let built = WinogradTransform.cookToom(m: f.m, r: 3, points: points)
            XCTAssertEqual(built.inputT, f.inputT, "\(f)")
            XCTAssertEqual(built.outputT, f.outputT, "\(f)")
            for (a, b) in zip(built.kernelG.joined(), f.kernelG.joined()) {
                XCTAssertEqual(a, b, accuracy: 1e-15, "\(f)")
            }
        }
        XCTAssertEqual(WinogradTransform.f2r5.inputT, WinogradTransform.f4.inputT)
        XCTAssertEqual(WinogradTransform.f4r5.inputT, WinogradTransform.f6.inputT)
        XCTAssertEqual(WinogradTransform.f2r7.inputT, WinogradTransform.f6.inputT)
    }

    /// The hand-expanded vector transforms equal Bᵀ·d and Aᵀ·m as matrix products.
    func testVectorTransformsMatchTheMatrices() {
        func check<W: WinogradTile>(_ w: W.Type) {
            let f = WinogradTransform.tile(W.m)!
            var rng = TestRNG(UInt64(W.m))
            let src = (0..<f.t).map { _ in V16(rng.array(16)) }
            var dst = [V16](repeating: .zero, count: f.t)
            src.withUnsafeBufferPointer { s in
                dst.withUnsafeMutableBufferPointer { d in
                    W.input(s.baseAddress!, 1, d.baseAddress!, 1)
                }
            }
            for j in 0..<f.t {
                for lane in 0..<16 {
                    let e = (0..<f.t).reduce(0.0) { $0 + f.inputT[j][$1] * Double(src[$1][lane]) }
                    XCTAssertEqual(Double(dst[j][lane]), e, accuracy: 1e-5 * 32, "\(f) input row \(j)")
                }
            }
            src.withUnsafeBufferPointer { s in
                dst.withUnsafeMutableBufferPointer { d in
                    W.output(s.baseAddress!, 1, d.baseAddress!, 1)
                }
            }
            for j in 0..<f.m {
                for lane in 0..<16 {
                    let e = (0..<f.t).reduce(0.0) { $0 + f.outputT[j][$1] * Double(src[$1][lane]) }
                    XCTAssertEqual(Double(dst[j][lane]), e, accuracy: 1e-5 * 64, "\(f) output row \(j)")
                }
            }
        }
        check(WinogradF2.self)
        check(WinogradF4.self)
        check(WinogradF6.self)
        // The per-axis dispatch of the other kernels, every transform.
        for f in WinogradTransform.all + [.f2r5, .f4r5, .f2r7, .f4r7, .identity] {
            var rng = TestRNG(UInt64(f.t * 10 + f.m))
            let src = (0..<f.t).map { _ in V16(rng.array(16)) }
            var vin = [V16](repeating: .zero, count: f.t), vout = [V16](repeating: .zero, count: f.m)
            src.withUnsafeBufferPointer { s in
                vin.withUnsafeMutableBufferPointer { Winograd1D.input(t: f.t, s.baseAddress!, 1, $0.baseAddress!, 1) }
                vout.withUnsafeMutableBufferPointer {
                    Winograd1D.output(m: f.m, t: f.t, s.baseAddress!, 1, $0.baseAddress!, 1)
                }
            }
            for lane in 0..<16 {
                for j in 0..<f.t {
                    let e = (0..<f.t).reduce(0.0) { $0 + f.inputT[j][$1] * Double(src[$1][lane]) }
                    XCTAssertEqual(Double(vin[j][lane]), e, accuracy: 1e-5 * 32, "\(f) input row \(j)")
                }
                for j in 0..<f.m {
                    let e = (0..<f.t).reduce(0.0) { $0 + f.outputT[j][$1] * Double(src[$1][lane]) }
                    XCTAssertEqual(Double(vout[j][lane]), e, accuracy: 1e-5 * 64, "\(f) output row \(j)")
                }
            }
        }
    }

    struct Case {
        var n = 1
        var c: Int, h: Int, w: Int, out: Int
        var pad = Padding2D(h: 1, w: 1)
        var bias = true
        var relu = false
    }

    func data(
        _ k: Case, seed: UInt64
    ) throws -> (x: [Float], shape: TensorShape, weights: ConvWeights, params: ConvParams) {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: k.n, c: k.c, h: k.h, w: k.w)
        let weights = try ConvWeights(
            outChannels: k.out, inChannels: k.c, kernelH: 3, kernelW: 3,
            weight: rng.array(k.out * k.c * 9, scale: 0.3), bias: k.bias ? rng.array(k.out) : nil)
        return (rng.array(shape.count), shape, weights, ConvParams(pad: k.pad, relu: k.relu))
    }

    func testPlainTwinMatchesDirectReference() throws {
        let cases = [
            Case(c: 3, h: 7, w: 9, out: 5, relu: true), Case(n: 2, c: 17, h: 5, w: 4, out: 6),
            Case(c: 4, h: 1, w: 1, out: 3), Case(c: 2, h: 8, w: 6, out: 4, pad: .zero, bias: false),
        ]
        for (i, k) in cases.enumerated() {
            let d = try data(k, seed: 10 + UInt64(i))
            let direct = try Reference.conv2d(d.x, d.shape, weights: d.weights, params: d.params)
            for f in WinogradTransform.all {
                let w = try Reference.winogradConv3x3(d.x, d.shape, weights: d.weights, params: d.params, transform: f)
                XCTAssertEqual(w.shape, direct.shape)
                assertClose(w.values, direct.values, "\(f) \(k)")
            }
        }
    }

    /// The fast op against the direct reference (and bitwise the same on 1, 2 and 4 threads).
    func check(
        _ k: Case, tile m: Int, seed: UInt64, offset: Int = 0, extra: Int = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let d = try data(k, seed: seed)
        let ref = try Reference.conv2d(d.x, d.shape, weights: d.weights, params: d.params)
        let input = try makeTensor(d.shape, d.x)
        let total = offset + k.out + extra
        let outShape = TensorShape(n: k.n, c: total, h: ref.shape.h, w: ref.shape.w)
        let output = try makeTensor(outShape, [Float](repeating: -7, count: outShape.count))
        let op = try WinogradConvOp(
            input: input, output: ChannelSlice(output, offset: offset), params: d.params,
            weights: d.weights, tile: m)
        XCTAssertEqual(op.flops, 2 * ref.shape.count * k.c * 9, file: file, line: line)
        let hw = ref.shape.h * ref.shape.w
        let all = runOnAllPools(op, output: output, file: file, line: line)
        assertClose(
            channelSlice(all, n: k.n, total: total, hw: hw, offset: offset, count: k.out), ref.values,
            "F(\(m),3) \(k) offset \(offset)", file: file, line: line)
        let outside =
            channelSlice(all, n: k.n, total: total, hw: hw, offset: 0, count: offset)
            + channelSlice(all, n: k.n, total: total, hw: hw, offset: offset + k.out, count: extra)
        XCTAssertTrue(outside.allSatisfy { $0 == -7 }, "wrote outside its slice", file: file, line: line)
    }

    /// Every input size from 1×1 to 9×9 (padded by 1), square and not, each tile size.
    func testEverySizeFromOneByOne() throws {
        var seed: UInt64 = 100
        for m in [2, 4, 6] {
            for h in 1...9 {
                for w in [1, 2, 3, 5, 8, 9] where (h + w) % 2 == 0 || w == h {
                    seed += 1
                    try check(Case(c: 5, h: h, w: w, out: 7, relu: seed % 2 == 0), tile: m, seed: seed)
                }
            }
        }
    }

    /// Channel counts off the 16-grid, several groups and splits, batch 2, no padding, asymmetric
    /// padding, misaligned and aligned concat slices.
    func testChannelsPaddingAndSlices() throws {
        for m in [2, 4, 6] {
            try check(Case(c: 21, h: 11, w: 13, out: 70, relu: true), tile: m, seed: 1, offset: 5, extra: 3)
            try check(Case(n: 2, c: 16, h: 9, w: 7, out: 32, pad: .zero), tile: m, seed: 2, offset: 16)
            try check(
                Case(c: 40, h: 6, w: 10, out: 100, pad: Padding2D(top: 0, bottom: 2, left: 1, right: 0)),
                tile: m, seed: 3)
            try check(Case(c: 1, h: 14, w: 14, out: 1, bias: false), tile: m, seed: 4, offset: 3, extra: 1)
        }
    }

    /// Many channels (deep reductions) and many tiles per image: several chunks per image.
    func testDeepAndWide() throws {
        try check(Case(c: 192, h: 28, w: 28, out: 64, relu: true), tile: 4, seed: 5)
        try check(Case(c: 130, h: 17, w: 30, out: 48), tile: 2, seed: 6)
        try check(Case(c: 64, h: 20, w: 20, out: 40), tile: 6, seed: 7)
    }

    /// Kernels other than 3×3 through the generic transforms: 5×5 in 2-D (F(2,5), F(4,5)), 1×n and
    /// n×1 in 1-D (F(m,3), F(2,7), F(4,7)), at many sizes, with padding, channel counts off the 16-grid and
    /// slices; the plain twin on a few of them.
    func testOtherKernels() throws {
        func check(
            _ kh: Int, _ kw: Int, tile m: Int, c: Int, h: Int, w: Int, out: Int, pad: Padding2D, seed: UInt64,
            offset: Int = 0, twin: Bool = false
        ) throws {
            var rng = TestRNG(seed)
            let shape = TensorShape(n: 1, c: c, h: h, w: w)
            let x = rng.array(shape.count)
            let weights = try ConvWeights(
                outChannels: out, inChannels: c, kernelH: kh, kernelW: kw,
                weight: rng.array(out * c * kh * kw, scale: 0.3), bias: rng.array(out))
            let params = ConvParams(pad: pad, relu: seed % 2 == 0)
            let ref = try Reference.conv2d(x, shape, weights: weights, params: params)
            let input = try makeTensor(shape, x)
            let total = offset + out
            let output = try Tensor(shape: TensorShape(n: 1, c: total, h: ref.shape.h, w: ref.shape.w))
            let op = try WinogradConvOp(
                input: input, output: ChannelSlice(output, offset: offset), params: params,
                weights: weights, tile: m)
            let hw = ref.shape.h * ref.shape.w
            let all = runOnAllPools(op, output: output)
            assertClose(
                channelSlice(all, n: 1, total: total, hw: hw, offset: offset, count: out), ref.values,
                "\(kh)x\(kw) F(\(m)) \(h)x\(w)")
            if twin {
                let (fh, fw) = try XCTUnwrap(WinogradTransform.pair(kernelH: kh, kernelW: kw, tile: m))
                let plain = try Reference.winogradConv(x, shape, weights: weights, params: params, h: fh, w: fw)
                assertClose(plain.values, ref.values, "twin \(kh)x\(kw) F(\(m))")
            }
        }
        var seed: UInt64 = 300
        for size in 1...9 {
            seed += 1
            try check(
                5, 5, tile: 2, c: 7, h: size, w: size + 2, out: 9, pad: Padding2D(h: 2, w: 2), seed: seed,
                twin: size < 4)
            try check(
                5, 5, tile: 4, c: 7, h: size + 1, w: size, out: 18, pad: Padding2D(h: 2, w: 2), seed: seed, offset: 3)
            try check(
                1, 7, tile: 2, c: 20, h: size, w: size + 3, out: 17, pad: Padding2D(h: 0, w: 3), seed: seed,
                twin: size < 3)
            try check(
                7, 1, tile: 2, c: 20, h: size + 3, w: size, out: 33, pad: Padding2D(h: 3, w: 0), seed: seed, offset: 16)
            try check(
                1, 7, tile: 4, c: 20, h: size, w: size + 3, out: 17, pad: Padding2D(h: 0, w: 3), seed: seed,
                twin: size < 3)
            try check(
                7, 1, tile: 4, c: 20, h: size + 3, w: size, out: 33, pad: Padding2D(h: 3, w: 0), seed: seed, offset: 16)
            for m in [2, 4, 6] {
                try check(
                    1, 3, tile: m, c: 18, h: size, w: size + 1, out: 24, pad: Padding2D(h: 0, w: 1), seed: seed,
                    twin: size == 2)
                try check(3, 1, tile: m, c: 18, h: size + 1, w: size, out: 24, pad: Padding2D(h: 1, w: 0), seed: seed)
            }
        }
        // Padding across the short axis too: whole windows of zeros (rows above and below a 1×n
        // kernel, columns beside an n×1), which the 1-D input transform must read as zeros.
        try check(
            1, 7, tile: 2, c: 5, h: 4, w: 9, out: 6, pad: Padding2D(top: 2, bottom: 1, left: 3, right: 2), seed: 7)
        try check(
            7, 1, tile: 2, c: 5, h: 9, w: 4, out: 6, pad: Padding2D(top: 3, bottom: 2, left: 1, right: 2), seed: 8)
        try check(1, 3, tile: 4, c: 9, h: 3, w: 11, out: 20, pad: Padding2D(h: 1, w: 1), seed: 11)
        try check(1, 7, tile: 2, c: 128, h: 17, w: 17, out: 192, pad: Padding2D(h: 0, w: 3), seed: 9)
        try check(7, 1, tile: 4, c: 128, h: 17, w: 17, out: 192, pad: Padding2D(h: 3, w: 0), seed: 12)
        try check(
            1, 7, tile: 4, c: 5, h: 4, w: 9, out: 6, pad: Padding2D(top: 2, bottom: 1, left: 3, right: 2), seed: 13)
        try check(5, 5, tile: 4, c: 48, h: 28, w: 28, out: 64, pad: Padding2D(h: 2, w: 2), seed: 10)
    }

    func testRefusesWhatItCannotPlan() throws {
        let input = try Tensor(shape: TensorShape(c: 4, h: 5, w: 5))
        let out = try Tensor(shape: TensorShape(c: 8, h: 5, w: 5))
        let w3 = try ConvWeights(
            outChannels: 8, inChannels: 4, kernelH: 3, kernelW: 3, weight: .init(repeating: 0, count: 288))
        let w5 = try ConvWeights(
            outChannels: 8, inChannels: 4, kernelH: 5, kernelW: 5, weight: .init(repeating: 0, count: 800))
        let w7 = try ConvWeights(
            outChannels: 8, inChannels: 4, kernelH: 1, kernelW: 7, weight: .init(repeating: 0, count: 224))
        let pad = ConvParams(pad: Padding2D(h: 1, w: 1))
        XCTAssertThrowsError(
            try WinogradConvOp(input: input, output: ChannelSlice(out), params: pad, weights: w3, tile: 3))
        XCTAssertThrowsError(
            try WinogradConvOp(
                input: input, output: ChannelSlice(out),
                params: ConvParams(pad: Padding2D(h: 2, w: 2)), weights: w5, tile: 6))
        XCTAssertThrowsError(
            try WinogradConvOp(
                input: input, output: ChannelSlice(out),
                params: ConvParams(pad: Padding2D(h: 0, w: 3)), weights: w7, tile: 6))
        XCTAssertThrowsError(
            try WinogradConvOp(
                input: input, output: ChannelSlice(out),
                params: ConvParams(strideH: 2, strideW: 2, pad: Padding2D(h: 1, w: 1)), weights: w3, tile: 2))
        XCTAssertThrowsError(
            try WinogradConvOp(input: input, output: ChannelSlice(out), params: .init(), weights: w3, tile: 2))
        XCTAssertNoThrow(try WinogradConvOp(input: input, output: ChannelSlice(out), params: pad, weights: w3, tile: 6))
    }
}
