import XCTest

@testable import ConvEngine

/// The stem conv that reads a compact copy of the input image (`CompactInputConvOp`): the same
/// values as the direct conv on the NCHW16c tensor, for every image channel count it takes.
final class CompactInputConvTests: XCTestCase {
    func check(
        n: Int = 1, c: Int, h: Int, w: Int, out: Int, k: (Int, Int), stride: (Int, Int) = (1, 1),
        pad: Padding2D, offset: Int = 0, relu: Bool = false, seed: UInt64,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: n, c: c, h: h, w: w)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: out, inChannels: c, kernelH: k.0, kernelW: k.1,
            weight: rng.array(out * c * k.0 * k.1, scale: 0.3), bias: rng.array(out))
        let params = ConvParams(strideH: stride.0, strideW: stride.1, pad: pad, relu: relu)
        let ref = try Reference.conv2d(x, shape, weights: weights, params: params)
        let input = try makeTensor(shape, x)
        let total = offset + out
        let output = try Tensor(shape: TensorShape(n: n, c: total, h: ref.shape.h, w: ref.shape.w))
        try output.load(nchw: [Float](repeating: -7, count: output.shape.count))
        let op = try CompactInputConvOp(
            input: input, output: ChannelSlice(output, offset: offset), params: params,
            weights: weights)
        x.withUnsafeBufferPointer { op.load(nchw: $0.baseAddress!) }
        XCTAssertEqual(op.flops, 2 * ref.shape.count * c * k.0 * k.1, file: file, line: line)
        let hw = ref.shape.h * ref.shape.w
        let all = runOnAllPools(op, output: output, file: file, line: line)
        assertClose(
            channelSlice(all, n: n, total: total, hw: hw, offset: offset, count: out), ref.values,
            "c \(c) \(h)x\(w) k \(k) s \(stride) \(pad)", file: file, line: line)
        XCTAssertTrue(
            channelSlice(all, n: n, total: total, hw: hw, offset: 0, count: offset).allSatisfy { $0 == -7 },
            "wrote outside its slice", file: file, line: line)

        // And the direct conv on the tensor gives the same values (the plan swaps one for the other).
        let direct = try Tensor(shape: output.shape)
        try direct.load(nchw: [Float](repeating: -7, count: output.shape.count))
        let conv = try Conv2DOp(
            input: input, output: ChannelSlice(direct, offset: offset), params: params, weights: weights)
        assertClose(
            runOnAllPools(conv, output: direct, file: file, line: line), all, tolerance: 1e-6,
            "against Conv2DOp", file: file, line: line)
    }

    func testMatchesTheDirectConvForEveryImageChannelCount() throws {
        var seed: UInt64 = 1
        for c in 1...CompactInputConvOp.maxChannels {
            seed += 1
            // GoogLeNet's conv1 geometry, shrunk: 7×7 stride 2 pad 3 on an odd-sized image.
            try check(
                c: c, h: 23, w: 19, out: 20, k: (7, 7), stride: (2, 2), pad: Padding2D(h: 3, w: 3), relu: true,
                seed: seed)
            // Inception-v3's Conv2d_1a: 3×3 stride 2 unpadded; batch 2 and a misaligned slice.
            try check(
                n: 2, c: c, h: 15, w: 16, out: 32, k: (3, 3), stride: (2, 2), pad: .zero, offset: 5, seed: seed + 10)
            // Asymmetric padding, a non-square kernel, stride 1, more than 4 output blocks (two groups).
            try check(
                c: c, h: 9, w: 11, out: 70, k: (3, 2), pad: Padding2D(top: 0, bottom: 2, left: 1, right: 0),
                seed: seed + 20)
        }
    }

    func testRefusesWideInputs() throws {
        let input = try Tensor(shape: TensorShape(c: 5, h: 4, w: 4))
        let output = try Tensor(shape: TensorShape(c: 2, h: 4, w: 4))
        let weights = try ConvWeights(
            outChannels: 2, inChannels: 5, kernelH: 1, kernelW: 1, weight: .init(repeating: 0, count: 10))
        XCTAssertThrowsError(
            try CompactInputConvOp(input: input, output: ChannelSlice(output), params: ConvParams(), weights: weights))
    }
}
