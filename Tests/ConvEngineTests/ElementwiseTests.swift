import Foundation
import XCTest

@testable import ConvEngine

/// GELU (vector erf form), layer norm over channels, the per-channel affine op (standalone
/// batchnorm, layer scale, ReLU, GELU) and the GELU conv / linear epilogues, against their plain twins.
final class ElementwiseTests: XCTestCase {
    /// The vector GELU against the Double erf/erfc form (`Reference.activation`) on every float step
    /// of 1/4096 over [−8, 8], every 1/64 over [−14, 14], random values and the edges: within
    /// 2⁻²² · |x| (four float ulps of |x|) everywhere. The bound is the float error budget of the
    /// reference itself, derived in `geluVector`'s doc: torch's float `x · ½ · (1 + erf(x/√2))` is
    /// 2.24 · 2⁻²⁴ · |x| a priori and its vectorised CPU GELU measures 5.2 · 2⁻²⁴ · |x|. It is an
    /// absolute bound scaled by |x|, not relative: in the deep negative tail (gelu(x) < 6e-8 in
    /// magnitude below −5.6) torch's own float result has no correct digits either. What is kept
    /// there is the sign: never positive for x < 0.
    func testGELUIsAccurateElementwise() {
        var xs: [Float] = stride(from: -8.0, to: 8.0, by: 1.0 / 4096).map { Float($0) }
        xs += stride(from: -14.0, through: 14.0, by: 1.0 / 64).map { Float($0) }
        var rng = TestRNG(1)
        xs += rng.array(4096, scale: 6)
        // Around the clamp C = 5.6 and the edges: 0, tiny, huge, float extremes.
        xs += [5.6, -5.6, 5.599_999, -5.599_999, 5.600_001, -5.600_001, 0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8]
        xs += [-3.5, 100, -100, 1e30, -1e30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        xs += [.leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude]
        while xs.count % 16 != 0 { xs.append(0.5) }
        let bound = 0x1p-22
        var worst = 0.0
        for i in stride(from: 0, to: xs.count, by: 16) {
            var v = SIMD16<Float>()
            for l in 0..<16 { v[l] = xs[i + l] }
            let g = geluVector(v)
            for l in 0..<16 {
                let x = Double(xs[i + l])
                let exact = Reference.activation(x, .gelu)
                let err = abs(Double(g[l]) - exact)
                // At x = 0 and subnormal x, gelu = x/2 rounds once: allow that half ulp (2⁻¹⁵⁰).
                XCTAssertLessThanOrEqual(err, bound * abs(x) + 0x1p-150, "gelu(\(xs[i + l])) = \(g[l]), exact \(exact)")
                if abs(x) >= 0x1p-126 { worst = max(worst, err / abs(x)) }
                // gelu has the sign of x (0 allowed): in the tail the error bound exceeds |gelu|.
                XCTAssertFalse(x < 0 ? g[l] > 0 : g[l] < 0, "gelu(\(xs[i + l])) = \(g[l]) has the wrong sign")
            }
        }
        // The measured worst over normal x, for the record.
        print("GELU worst |error| / |x| = \(worst) (bound 2^-22 = \(bound))")
        XCTAssertLessThanOrEqual(worst, bound)
    }

    /// The float line's edges: NaN stays NaN, gelu(+∞) = +∞, gelu(−∞) = 0 (the limit), and past the
    /// clamp C = 5.6 gelu is 0 below and x itself above, as torch's float formula gives there (1 − Φ(5.6)
    /// = 1.1e-8 is under half an ulp of 1, 3e-8). The erfc + exp form before it failed this: its x²
    /// overflowed, so gelu(±1e20) and gelu(±∞) were NaN.
    func testGELUEdges() {
        let g = geluVector(
            SIMD16<Float>(.nan, .infinity, -.infinity, -6, -50, 6, 50, 1e20, -1e20, 0, 0, 0, 0, 0, 0, 0))
        XCTAssertTrue(g[0].isNaN)
        XCTAssertEqual(g[1], .infinity)
        XCTAssertEqual(g[2], 0)
        XCTAssertEqual(g[3], 0)
        XCTAssertEqual(g[4], 0)
        XCTAssertEqual(g[5], 6)
        XCTAssertEqual(g[6], 50)
        XCTAssertEqual(g[7], 1e20)
        XCTAssertEqual(g[8], 0)
    }

    /// Published values: Φ(1) = 0.8413447461 and Φ(−1) = 0.1586552539 (standard normal table), so
    /// gelu(1) = Φ(1) and gelu(−1) = −Φ(−1); gelu(0) = 0; gelu(x) → x and → 0 far out. Each within
    /// the contract's 2⁻²² · |x| (the table's own rounding, 5e-11 · |x|, is far inside it).
    func testGELUPublishedValues() {
        let g = geluVector(SIMD16<Float>(1, -1, 0, 20, -20, 2, -2, 3, 1, 1, 1, 1, 1, 1, 1, 1))
        XCTAssertEqual(Double(g[0]), 0.841_344_746_1, accuracy: 0x1p-22)
        XCTAssertEqual(Double(g[1]), -0.158_655_253_9, accuracy: 0x1p-22)
        XCTAssertEqual(g[2], 0)
        XCTAssertEqual(g[3], 20)
        XCTAssertEqual(g[4], 0)
        // Φ(2) = 0.9772498681, Φ(−2) = 0.0227501319, Φ(3) = 0.9986501020.
        XCTAssertEqual(Double(g[5]), 2 * 0.977_249_868_1, accuracy: 2 * 0x1p-22)
        XCTAssertEqual(Double(g[6]), -2 * 0.022_750_131_9, accuracy: 2 * 0x1p-22)
        XCTAssertEqual(Double(g[7]), 3 * 0.998_650_102_0, accuracy: 3 * 0x1p-22)
    }

    func testChannelAffineAsBatchNormLayerScaleAndActivations() throws {
        var rng = TestRNG(2)
        let shape = TensorShape(n: 2, c: 37, h: 6, w: 5)
        let x = rng.array(shape.count, scale: 3)
        let input = try makeTensor(shape, x)
        let gamma = rng.array(37), beta = rng.array(37), mean = rng.array(37)
        let variance = rng.array(37).map { abs($0) + 0.05 }
        for offset in [0, 16, 3] {
            let total = offset + 37 + 2
            let output = try Tensor(shape: TensorShape(n: 2, c: total, h: 6, w: 5))
            let slice = ChannelSlice(output, offset: offset)
            func got(_ op: EngineOp) -> [Float] {
                channelSlice(runOnAllPools(op, output: output), n: 2, total: total, hw: 30, offset: offset, count: 37)
            }
            let bn = try ChannelAffineOp.batchNorm(
                input: input, output: slice, gamma: gamma, beta: beta, mean: mean,
                variance: variance, epsilon: 1e-3, activation: .relu)
            assertClose(
                got(bn),
                Reference.relu(
                    Reference.batchNorm(
                        x, shape, gamma: gamma, beta: beta, mean: mean,
                        variance: variance, epsilon: 1e-3)),
                tolerance: 1e-6, "batchnorm offset \(offset)")
            let ls = try ChannelAffineOp(input: input, output: slice, scale: gamma, shift: nil)
            assertClose(
                got(ls), Reference.channelAffine(x, shape, scale: gamma, shift: nil, activation: .none), tolerance: 1e-6
            )
            for a in [Activation.relu, .gelu] {
                let op = try ChannelAffineOp.activation(a, input: input, output: slice)
                assertClose(got(op), Reference.activation(x, a), tolerance: 1e-6, "\(a)")
            }
        }
        // In place.
        let t = try makeTensor(shape, x)
        try ChannelAffineOp.activation(.gelu, input: t, output: ChannelSlice(t)).run(Pools.two)
        assertClose(t.toNCHW(), Reference.activation(x, .gelu), tolerance: 1e-6)
    }

    /// timm LayerNorm2d (eps 1e-6) over odd and block-sized channel counts, and InceptionNeXt's head
    /// norm on an N×768×1×1 vector; values far from zero mean (a one-pass variance would cancel).
    func testLayerNormOverChannels() throws {
        var rng = TestRNG(3)
        for (shape, offset) in [
            (TensorShape(n: 2, c: 37, h: 5, w: 7), 0), (TensorShape(c: 12, h: 9, w: 9), 5),
            (TensorShape(c: 64, h: 4, w: 3), 16), (TensorShape(n: 2, c: 768, h: 1, w: 1), 0),
        ] {
            let x = rng.array(shape.count, scale: 2).map { $0 + 30 }
            let gamma = rng.array(shape.c), beta = rng.array(shape.c)
            let total = offset + shape.c + 1
            let output = try Tensor(shape: TensorShape(n: shape.n, c: total, h: shape.h, w: shape.w))
            let op = try LayerNormOp(
                input: try makeTensor(shape, x), output: ChannelSlice(output, offset: offset),
                gamma: gamma, beta: beta, epsilon: 1e-6)
            let all = runOnAllPools(op, output: output)
            let ref = Reference.layerNorm(x, shape, gamma: gamma, beta: beta, epsilon: 1e-6)
            assertClose(
                channelSlice(all, n: shape.n, total: total, hw: shape.h * shape.w, offset: offset, count: shape.c),
                ref, tolerance: 1e-5, "\(shape)")
        }
    }

    /// InceptionNeXt's MLP: 1×1 conv → GELU fused into the conv's store, and the head's linear → GELU.
    func testGELUEpilogueOnConvAndLinear() throws {
        var rng = TestRNG(4)
        let shape = TensorShape(n: 2, c: 24, h: 7, w: 6)
        let x = rng.array(shape.count)
        let input = try makeTensor(shape, x)
        for (out, k, offset) in [(96, 1, 0), (19, 3, 0), (40, 1, 5)] {
            let w = try ConvWeights(
                outChannels: out, inChannels: 24, kernelH: k, kernelW: k,
                weight: rng.array(out * 24 * k * k, scale: 0.3), bias: rng.array(out))
            let params = ConvParams(pad: Padding2D(h: k / 2, w: k / 2), activation: .gelu)
            let ref = try Reference.conv2d(x, shape, weights: w, params: params)
            let total = offset + out
            let output = try Tensor(shape: TensorShape(n: 2, c: total, h: 7, w: 6))
            let op = try Conv2DOp(
                input: input, output: ChannelSlice(output, offset: offset), params: params, weights: w)
            assertClose(
                channelSlice(runOnAllPools(op, output: output), n: 2, total: total, hw: 42, offset: offset, count: out),
                ref.values, tolerance: 1e-5, "\(out) \(k)")
        }
        let vec = try makeTensor(TensorShape(n: 2, c: 50, h: 1, w: 1), rng.array(100))
        let weight = rng.array(30 * 50, scale: 0.3), bias = rng.array(30)
        let y = try Tensor(shape: TensorShape(n: 2, c: 30, h: 1, w: 1))
        let linear = try LinearOp(
            input: vec, output: ChannelSlice(y), outFeatures: 30, weight: weight, bias: bias,
            relu: false, activation: .gelu)
        let plain = Reference.linear(vec.toNCHW(), vec.shape, outFeatures: 30, weight: weight, bias: bias, relu: false)
        assertClose(runOnAllPools(linear, output: y), Reference.activation(plain, .gelu), tolerance: 1e-5)
    }

    /// A layer scale γ after a conv folds into its weights: (γ·W)·x + γ·b.
    func testLayerScaleFoldsIntoConvWeights() throws {
        var rng = TestRNG(5)
        let shape = TensorShape(c: 20, h: 5, w: 5)
        let x = rng.array(shape.count)
        let w = try ConvWeights(
            outChannels: 30, inChannels: 20, kernelH: 1, kernelW: 1, weight: rng.array(600), bias: rng.array(30))
        let gamma = rng.array(30, scale: 1e-2)
        let plain = try Reference.conv2d(x, shape, weights: w, params: ConvParams())
        let expected = Reference.channelAffine(plain.values, plain.shape, scale: gamma, shift: nil, activation: .none)
        let output = try Tensor(shape: plain.shape)
        let op = try Conv2DOp(
            input: try makeTensor(shape, x), output: ChannelSlice(output), params: ConvParams(),
            weights: try w.scalingOutputs(gamma))
        op.run(Pools.two)
        assertClose(output.toNCHW(), expected, tolerance: 1e-5)
    }

    func testBadParametersThrow() throws {
        let t = try Tensor(shape: TensorShape(c: 5, h: 2, w: 2))
        let o = try Tensor(shape: TensorShape(c: 5, h: 2, w: 2))
        XCTAssertThrowsError(try ChannelAffineOp(input: t, output: ChannelSlice(o), scale: [1, 2], shift: nil))
        XCTAssertThrowsError(try LayerNormOp(input: t, output: ChannelSlice(o), gamma: [1], beta: [1]))
        XCTAssertThrowsError(
            try LayerNormOp(
                input: t, output: ChannelSlice(o), gamma: .init(repeating: 1, count: 5),
                beta: .init(repeating: 0, count: 5), epsilon: -1))
        XCTAssertThrowsError(
            try ChannelAffineOp.batchNorm(
                input: t, output: ChannelSlice(o), gamma: .init(repeating: 1, count: 5),
                beta: .init(repeating: 0, count: 5), mean: .init(repeating: 0, count: 5),
                variance: .init(repeating: -1, count: 5)))
    }
}
