import XCTest

@testable import ConvEngine

/// `GroupedDirectConvOp` (one direct conv per group, reading its channel range in place) against the plain
/// grouped conv, within 1e-5; groups whose channel counts are not multiples of 16.
final class GroupedConvTests: XCTestCase {
    func check(
        n: Int = 1, c: Int, h: Int, w: Int, out: Int, groups: Int, k: Int, stride: Int = 1, pad: Int = 0,
        activation: Activation = .none, offset: Int = 0, seed: UInt64,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: n, c: c, h: h, w: w)
        let x = rng.array(shape.count)
        let weights = try ConvWeights(
            outChannels: out, inChannels: c / groups, kernelH: k, kernelW: k,
            weight: rng.array(out * c / groups * k * k, scale: 0.3), bias: rng.array(out))
        let params = ConvParams(
            strideH: stride, strideW: stride, pad: Padding2D(h: pad, w: pad), activation: activation)
        let ref = try Reference.conv2d(x, shape, weights: weights, params: params, groups: groups)
        let input = try makeTensor(shape, x)
        let total = offset + out + 3
        let output = try Tensor(shape: TensorShape(n: n, c: total, h: ref.shape.h, w: ref.shape.w))
        let op = try GroupedDirectConvOp(
            input: input, output: ChannelSlice(output, offset: offset), params: params,
            weights: weights, groups: groups)
        XCTAssertEqual(op.flops, 2 * ref.shape.count * (c / groups) * k * k, file: file, line: line)
        let all = runOnAllPools(op, output: output, file: file, line: line)
        assertClose(
            channelSlice(all, n: n, total: total, hw: ref.shape.h * ref.shape.w, offset: offset, count: out),
            ref.values, tolerance: 1e-5, "groups \(groups) c \(c) out \(out)", file: file, line: line)
    }

    func testGroupsOnBlockBoundaries() throws {
        try check(c: 64, h: 9, w: 9, out: 64, groups: 4, k: 3, pad: 1, activation: .relu, seed: 1)
        try check(n: 2, c: 32, h: 6, w: 7, out: 48, groups: 2, k: 1, seed: 2)
    }

    /// Groups of 5, 6, 20 and 24 input channels start inside blocks (lane shifts in the offset table).
    func testGroupsInsideBlocks() throws {
        try check(c: 15, h: 7, w: 8, out: 9, groups: 3, k: 3, pad: 1, seed: 3)
        try check(n: 2, c: 24, h: 8, w: 6, out: 20, groups: 4, k: 3, stride: 2, pad: 1, activation: .gelu, seed: 4)
        try check(c: 40, h: 5, w: 5, out: 30, groups: 2, k: 1, seed: 5)
        try check(c: 72, h: 6, w: 6, out: 36, groups: 3, k: 5, pad: 2, activation: .relu, offset: 7, seed: 6)
    }

    /// Left/right padding on a narrow image takes the zero-bordered copy: each group copies its blocks.
    func testPaddedCopyPerGroup() throws {
        try check(c: 48, h: 5, w: 4, out: 24, groups: 3, k: 3, pad: 1, seed: 7)
        let op = try GroupedDirectConvOp(
            input: try Tensor(shape: TensorShape(c: 48, h: 5, w: 4)),
            output: ChannelSlice(try Tensor(shape: TensorShape(c: 24, h: 5, w: 4))),
            params: ConvParams(pad: Padding2D(h: 1, w: 1)),
            weights: try ConvWeights(
                outChannels: 24, inChannels: 16, kernelH: 3, kernelW: 3,
                weight: .init(repeating: 0, count: 24 * 16 * 9)), groups: 3)
        XCTAssertTrue(op.convs.allSatisfy(\.copiesPaddedInput))
    }

    /// Depthwise with a channel multiplier (groups = in, out = 2 · in) has no op of its own: grouped.
    func testDepthwiseWithMultiplier() throws {
        try check(c: 6, h: 7, w: 7, out: 12, groups: 6, k: 3, pad: 1, seed: 8)
    }

    func testBadGroupsThrow() throws {
        let input = try Tensor(shape: TensorShape(c: 12, h: 5, w: 5))
        let output = try Tensor(shape: TensorShape(c: 12, h: 5, w: 5))
        let w = try ConvWeights(
            outChannels: 12, inChannels: 4, kernelH: 1, kernelW: 1, weight: .init(repeating: 0, count: 48))
        XCTAssertThrowsError(
            try GroupedDirectConvOp(
                input: input, output: ChannelSlice(output), params: ConvParams(), weights: w, groups: 5))
        XCTAssertThrowsError(
            try GroupedDirectConvOp(
                input: input, output: ChannelSlice(output), params: ConvParams(), weights: w, groups: 2))
        XCTAssertNoThrow(
            try GroupedDirectConvOp(
                input: input, output: ChannelSlice(output), params: ConvParams(), weights: w, groups: 3))
    }
}
