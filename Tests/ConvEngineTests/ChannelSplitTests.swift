import XCTest

@testable import ConvEngine

/// Channel views (no copy) and copies of a channel split, views read by every kind of op (batch 2,
/// so a view's image stride matters), and dependencies through views in an `OpGraph`.
final class ChannelSplitTests: XCTestCase {
    func testViewsOnBlocksCopiesOtherwise() throws {
        var rng = TestRNG(1)
        let shape = TensorShape(n: 2, c: 96, h: 5, w: 4)
        let x = rng.array(shape.count)
        let input = try makeTensor(shape, x)
        // InceptionNeXt-T's first stage: 96 → 60 identity + 3 × 12 (g = 96 / 8): no slice on blocks.
        // Then slices that fall on blocks (the last may end at the last channel), and a mix.
        for (sizes, views) in [
            ([60, 12, 12, 12], [false, false, false, false]), ([32, 16, 48], [true, true, true]),
            ([16, 20, 60], [true, false, false]), ([64, 32], [true, true]), ([96], [true]),
        ] {
            let split = try ChannelSplit(input: input, sizes: sizes)
            XCTAssertEqual(split.isView, views, "\(sizes)")
            XCTAssertEqual(split.ops.count, views.filter { !$0 }.count)
            for op in split.ops { op.run(Pools.two) }
            var start = 0
            for (i, size) in sizes.enumerated() {
                XCTAssertEqual(split.slices[i].shape, TensorShape(n: 2, c: size, h: 5, w: 4))
                XCTAssertEqual(
                    split.slices[i].toNCHW(), Reference.channels(x, shape, start..<start + size), "\(sizes) slice \(i)")
                start += size
            }
        }
        XCTAssertThrowsError(try ChannelSplit(input: input, sizes: [50, 40]))
        XCTAssertThrowsError(try ChannelSplit(input: input, sizes: [100, -4]))
    }

    /// Copies whose source starts inside a block (the lane shift, run over 128-pixel stretches of
    /// scratch: 13×13 = 169 pixels is one whole stretch and a part), with and without a next
    /// source block, into a tensor of their own (whole-vector stores: the lanes past the channels,
    /// its padding, must stay zero) and into a slice at an odd offset (lane by lane).
    func testShiftedCopiesKeepTheirChannelsAndZeroPadding() throws {
        var rng = TestRNG(3)
        let shape = TensorShape(n: 2, c: 96, h: 13, w: 13)
        let x = rng.array(shape.count)
        let input = try makeTensor(shape, x)
        let plane = shape.h * shape.w
        for range in [60..<72, 72..<84, 84..<96, 5..<40, 17..<33, 0..<12, 16..<96] {
            let own = try Tensor(shape: TensorShape(n: 2, c: range.count, h: 13, w: 13))
            let got = runOnAllPools(
                try ChannelCopyOp(input: input, channels: range, output: ChannelSlice(own)), output: own)
            XCTAssertEqual(got, Reference.channels(x, shape, range), "\(range)")
            let lanes = range.count % 16
            if lanes > 0 {
                var padding: Float = 0
                for n in 0..<2 {
                    for p in 0..<plane {
                        for lane in lanes..<16 {
                            padding += abs(own.data[((n * own.blocks + own.blocks - 1) * plane + p) * 16 + lane])
                        }
                    }
                }
                XCTAssertEqual(padding, 0, "\(range): padding lanes")
            }
            let wide = try Tensor(shape: TensorShape(n: 2, c: range.count + 9, h: 13, w: 13))
            let slice = runOnAllPools(
                try ChannelCopyOp(input: input, channels: range, output: ChannelSlice(wide, offset: 5)), output: wide)
            XCTAssertEqual(
                channelSlice(slice, n: 2, total: range.count + 9, hw: plane, offset: 5, count: range.count),
                Reference.channels(x, shape, range), "\(range) at offset 5")
        }
    }

    func testViewSharesTheBuffer() throws {
        let t = try Tensor(shape: TensorShape(n: 2, c: 40, h: 2, w: 3))
        XCTAssertNil(t.channelView(8..<24))
        XCTAssertNil(t.channelView(16..<30))
        XCTAssertNil(t.channelView(16..<41))
        let v = try XCTUnwrap(t.channelView(32..<40))
        XCTAssertTrue(v.parent === t)
        XCTAssertEqual(v.parentChannelOffset, 32)
        try v.load(nchw: (0..<(2 * 8 * 6)).map(Float.init))
        let all = t.toNCHW()
        XCTAssertEqual(channelSlice(all, n: 2, total: 40, hw: 6, offset: 32, count: 8), (0..<96).map(Float.init))
        XCTAssertTrue(channelSlice(all, n: 2, total: 40, hw: 6, offset: 0, count: 32).allSatisfy { $0 == 0 })
        // A view of a view is a view of the root.
        let w = try XCTUnwrap(try XCTUnwrap(t.channelView(16..<40)).channelView(16..<24))
        XCTAssertTrue(w.parent === t)
        XCTAssertEqual(w.parentChannelOffset, 32)
        v.zero()
        XCTAssertTrue(t.toNCHW().allSatisfy { $0 == 0 })
    }

    /// Every op kind reading a view of the second block onward, batch 2, against the reference on
    /// the copied channels.
    func testOpsReadViews() throws {
        var rng = TestRNG(2)
        let shape = TensorShape(n: 2, c: 53, h: 7, w: 6)
        let x = rng.array(shape.count)
        let parent = try makeTensor(shape, x)
        let view = try XCTUnwrap(parent.channelView(16..<53))
        let vs = view.shape
        let vx = Reference.channels(x, shape, 16..<53)
        let pad1 = Padding2D(h: 1, w: 1)
        // Conv (gathered edges and the padded copy), depthwise, pool, copy, global pool, sum, LN.
        let w = try ConvWeights(
            outChannels: 20, inChannels: 37, kernelH: 3, kernelW: 3, weight: rng.array(20 * 37 * 9, scale: 0.2),
            bias: rng.array(20))
        let convRef = try Reference.conv2d(vx, vs, weights: w, params: ConvParams(pad: pad1))
        let convOut = try Tensor(shape: convRef.shape)
        let conv = try Conv2DOp(input: view, output: ChannelSlice(convOut), params: ConvParams(pad: pad1), weights: w)
        assertClose(runOnAllPools(conv, output: convOut), convRef.values, tolerance: 1e-5, "conv")

        let dw = try ConvWeights(
            outChannels: 37, inChannels: 1, kernelH: 3, kernelW: 3, weight: rng.array(37 * 9), bias: rng.array(37))
        let dwRef = try Reference.conv2d(vx, vs, weights: dw, params: ConvParams(pad: pad1), groups: 37)
        let dwOut = try Tensor(shape: dwRef.shape)
        let dwOp = try DepthwiseConvOp(
            input: view, output: ChannelSlice(dwOut), params: ConvParams(pad: pad1), weights: dw)
        assertClose(runOnAllPools(dwOp, output: dwOut), dwRef.values, tolerance: 1e-5, "depthwise")

        let pp = PoolParams(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1)
        let poolRef = try Reference.pool(.max, vx, vs, params: pp)
        let poolOut = try Tensor(shape: poolRef.shape)
        let pool = try PoolOp(.max, input: view, output: ChannelSlice(poolOut), params: pp)
        assertClose(runOnAllPools(pool, output: poolOut), poolRef.values, tolerance: 0, "pool")

        let copyOut = try Tensor(shape: vs)
        XCTAssertEqual(
            runOnAllPools(try ChannelCopyOp(input: view, output: ChannelSlice(copyOut)), output: copyOut), vx)

        let gap = try Tensor(shape: TensorShape(n: 2, c: 37, h: 1, w: 1))
        assertClose(
            runOnAllPools(try GlobalAvgPoolOp(input: view, output: ChannelSlice(gap)), output: gap),
            Reference.globalAvgPool(vx, vs), tolerance: 1e-6, "global pool")

        let sumOut = try Tensor(shape: vs)
        assertClose(
            runOnAllPools(
                try SumOp(inputs: [view, view], scales: [1, 0.5], output: ChannelSlice(sumOut)), output: sumOut),
            Reference.sum([vx, vx], scales: [1, 0.5], activation: .none), tolerance: 1e-6, "sum")

        let g = rng.array(37), b = rng.array(37)
        let lnOut = try Tensor(shape: vs)
        assertClose(
            runOnAllPools(try LayerNormOp(input: view, output: ChannelSlice(lnOut), gamma: g, beta: b), output: lnOut),
            Reference.layerNorm(vx, vs, gamma: g, beta: b, epsilon: 1e-6), tolerance: 1e-5, "layer norm")
    }

    /// Ops writing different views of one tensor are independent; an op reading a view waits for
    /// the op writing those channels of the parent, not for one writing other channels.
    func testGraphDependenciesThroughViews() throws {
        let x = try Tensor(shape: TensorShape(c: 16, h: 4, w: 4))
        let parent = try Tensor(shape: TensorShape(c: 48, h: 4, w: 4))
        let a = try XCTUnwrap(parent.channelView(0..<16)), b = try XCTUnwrap(parent.channelView(16..<48))
        let y = try Tensor(shape: TensorShape(c: 32, h: 4, w: 4))
        let writeA = try ChannelCopyOp(input: x, output: ChannelSlice(a))  // channels 0..<16
        let writeB = try ChannelCopyOp(input: x, output: ChannelSlice(parent, offset: 16))  // channels 16..<32
        let readB = try ChannelCopyOp(input: b, output: ChannelSlice(y))  // reads 16..<48
        let graph = try OpGraph([writeA, writeB, readB])
        XCTAssertEqual(graph.dependencies, [[], [], [1]])
        XCTAssertThrowsError(try ChannelCopyOp(input: a, output: ChannelSlice(parent, offset: 16)))
        XCTAssertThrowsError(try ConcurrentOps([writeB, readB]))
        XCTAssertNoThrow(try ConcurrentOps([writeA, readB]))
    }
}
