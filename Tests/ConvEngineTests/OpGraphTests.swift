import XCTest

@testable import ConvEngine

/// `OpGraph`: dependencies inferred from reads and writes (including a reused buffer and a conv with
/// a padded-copy prologue), a claim order that respects them, and results bitwise identical to
/// running the ops one by one, on 1, 2 and 4 threads and on repeated runs.
final class OpGraphTests: XCTestCase {
    struct Block {
        var input: Tensor
        var concat: Tensor
        var ops: [EngineOp]
    }

    /// A block in program order (76 output channels at offsets 0, 36, 56, 64 — not all multiples of 16):
    ///   0: 1×1 x → a          1: 3×5 x → concat[0..<36] (padded-copy prologue)
    ///   2: 3×3 a → concat[36..<56]
    ///   3: max pool x → p     4: 1×1 p → concat[56..<64]
    ///   5: 1×1 x → a (reuses a: must wait for op 2, which reads it)
    ///   6: 3×3 a → concat[64..<76]
    func makeBlock(seed: UInt64) throws -> Block {
        var rng = TestRNG(seed)
        let shape = TensorShape(n: 2, c: 40, h: 5, w: 9)
        let x = try makeTensor(shape, rng.array(shape.count))
        let a = try Tensor(shape: TensorShape(n: 2, c: 16, h: 5, w: 9))
        let p = try Tensor(shape: shape)
        let concat = try Tensor(shape: TensorShape(n: 2, c: 76, h: 5, w: 9))
        func conv(_ input: Tensor, _ out: ChannelSlice, _ o: Int, _ kh: Int, _ kw: Int) throws -> Conv2DOp {
            let c = input.shape.c
            let w = try ConvWeights(
                outChannels: o, inChannels: c, kernelH: kh, kernelW: kw,
                weight: rng.array(o * c * kh * kw, scale: 0.3), bias: rng.array(o))
            return try Conv2DOp(
                input: input, output: out,
                params: ConvParams(pad: Padding2D(h: kh / 2, w: kw / 2), relu: true), weights: w)
        }
        let wide = try conv(x, ChannelSlice(concat, offset: 0), 36, 3, 5)
        XCTAssertTrue(wide.copiesPaddedInput, "every tile of a 9-wide row is an edge tile: the copy path")
        let ops: [EngineOp] = [
            try conv(x, ChannelSlice(a), 16, 1, 1),
            wide,
            try conv(a, ChannelSlice(concat, offset: 36), 20, 3, 3),
            try PoolOp(
                .max, input: x, output: ChannelSlice(p),
                params: PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1)),
            try conv(p, ChannelSlice(concat, offset: 56), 8, 1, 1),
            try conv(x, ChannelSlice(a), 16, 1, 1),
            try conv(a, ChannelSlice(concat, offset: 64), 12, 3, 3),
        ]
        return Block(input: x, concat: concat, ops: ops)
    }

    func testDependenciesAreInferredFromReadsAndWrites() throws {
        let block = try makeBlock(seed: 60)
        let graph = try OpGraph(block.ops)
        // Op 5 conflicts with op 0 (both write a) and op 2 (reads a); op 0 is implied through op 2.
        XCTAssertEqual(graph.dependencies, [[], [], [0], [], [3], [2], [5]])
        XCTAssertEqual(graph.flops, block.ops.reduce(0) { $0 + $1.flops })
        XCTAssertEqual(graph.claimOrder.sorted(), Array(0..<7))
        for (j, deps) in graph.dependencies.enumerated() {
            for i in deps {
                XCTAssertLessThan(
                    graph.claimOrder.firstIndex(of: i) ?? 99, graph.claimOrder.firstIndex(of: j) ?? -1,
                    "op \(j) is claimed before op \(i), which it waits for")
            }
        }
    }

    func testSameBitsAsOneByOneOnEveryPool() throws {
        let block = try makeBlock(seed: 61)
        for op in block.ops { op.run(Pools.one) }
        let expected = block.concat.toNCHW().map(\.bitPattern)
        let graph = try OpGraph(block.ops)
        for pool in Pools.all {
            for run in 0..<3 {
                block.concat.zero()
                graph.run(pool)
                XCTAssertEqual(
                    block.concat.toNCHW().map(\.bitPattern), expected, "\(pool.threadCount) threads, run \(run)")
            }
        }
    }

    /// The claim order puts independent work between an op and the op that reads its output: the
    /// branch heads (ops 0, 1, 3 read only the block input) are claimed before their readers.
    func testClaimOrderStartsWithIndependentHeads() throws {
        let graph = try OpGraph(try makeBlock(seed: 62).ops)
        XCTAssertEqual(Set(graph.claimOrder.prefix(2)).isSubset(of: [0, 1, 3]), true, "\(graph.claimOrder)")
    }

    /// A conv whose weights outweigh its input (GoogLeNet 5b's 3×3 192 → 384 on 7×7: 663,552
    /// weights, 9,408 inputs) numbers its tasks group by group, so the graph's two threads (one from
    /// each end) take half the output channels each — half the weights each — not half the rows;
    /// a 1×1 on 28×28 (inception_3b's 256 → 64: 16,384 weights, 200,704 inputs) keeps pixel order.
    func testWeightHeavyConvsSplitByOutputChannels() throws {
        let heavy = try sameSizeConv(c: 192, hw: 7, out: 384, k: 3)
        XCTAssertTrue(heavy.positionsByGroup)
        // 6 groups of 4 blocks × 7 rows, group-major: sorted by position, the first half of the
        // tasks are groups 0–2 (all their rows), the second half groups 3–5.
        let order = (0..<heavy.taskCount).sorted { (heavy.taskPosition($0), $0) < (heavy.taskPosition($1), $1) }
        XCTAssertEqual(heavy.taskCount, 42)
        XCTAssertEqual(Set(order.prefix(21).map { $0 / 7 }), [0, 1, 2])
        XCTAssertEqual(Set(order.suffix(21).map { $0 / 7 }), [3, 4, 5])
        let light = try sameSizeConv(c: 256, hw: 28, out: 64, k: 1)
        XCTAssertFalse(light.positionsByGroup)
        // Pixel order: 784 pixels are 157 five-pixel tiles shared by 16 tasks, ⌊157 (i + 1) / 16⌋ −
        // ⌊157 i / 16⌋ = 9 or 10 tiles each (`Conv2DOp.flatChunks`).
        XCTAssertEqual(
            (0..<light.taskCount).map(light.taskPosition),
            (0..<16).map { 5 * (157 * $0 / 16) })
    }

    func testNestedGraphIsRefused() throws {
        let block = try makeBlock(seed: 63)
        let inner = try OpGraph(Array(block.ops.prefix(2)))
        XCTAssertThrowsError(try OpGraph([inner])) { e in
            XCTAssertTrue("\(e)".contains("op graph: op 0 (OpGraph) is not a single engine op"), "\(e)")
        }
    }
}
