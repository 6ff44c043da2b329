import ConvEngine
import InceptionCore
import InceptionWeights
import XCTest

@testable import InceptionRuntime

/// Plans against the plain reference forward pass: max relative error ≤ 1e-4 (error relative to the
/// output's scale, see `maxRelativeError`).
final class PlanCorrectnessTests: XCTestCase {
    let weights = WeightSource.generated(seed: 42)

    /// Plans `path`, runs it on a seeded input at `threads`, and returns (ours, reference).
    func compare(
        _ layout: Layout, path: String = "", batch: Int = 2, threads: Int = 2,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> (ours: [Float], ref: [Float], plan: ExecutionPlan) {
        let r = try runBesideReference(layout, path: path, batch: batch, threads: threads, weights: weights)
        XCTAssertEqual(r.ref.shape, r.plan.output.shape, "output shape", file: file, line: line)
        XCTAssertLessThanOrEqual(
            r.error, 1e-4, "\(layout.name) \(path): max relative error \(r.error)", file: file, line: line)
        return (r.ours, r.ref.values, r.plan)
    }

    func testEveryLeafOpMatchesTheReference() throws {
        XCTAssertTrue(Analysis(TestLayouts.ops).isValid, "\(Analysis(TestLayouts.ops).errors)")
        let r = try compare(TestLayouts.ops)
        XCTAssertEqual(r.plan.outputDims, [2, 5, 1, 1])
        // Softmax rows sum to 1: the whole pipeline ran, not just shapes.
        XCTAssertEqual(Double(r.ours[0..<5].reduce(0, +)), 1, accuracy: 1e-5)
        // Each layer on its own too (its input is its analysis input shape).
        for name in ["c1", "c2", "c3", "c4", "pool", "norm", "avg", "drop", "fc1", "fc2", "prob"] {
            _ = try compare(TestLayouts.ops, path: name)
        }
    }

    /// A 3-channel image read by a strided "same" conv (the stem, which reads its compact copy of
    /// the image), and by a block whose branches read it too: a conv (compact) and a pool (the
    /// NCHW16c tensor). Batch 2, so the copy holds both images.
    func testImageReadCompactlyByTheStemAndAlsoAsATensor() throws {
        let stem = Layout(
            name: "stem", input: Shape(3, 23, 19),
            layers: [
                Layer(
                    name: "conv1",
                    .conv(Conv(out: 20, kernel: Pair(7, 7), stride: Pair(2, 2), pad: .explicit(Pair(3, 3)))))
            ])
        XCTAssertEqual(try compare(stem).plan.compactInputOps.count, 1)
        let forked = Layout(
            name: "forked", input: Shape(4, 11, 13),
            layers: [
                Layer(
                    name: "mix",
                    .inception(branches: [
                        Branch(name: "a", layers: [TestLayouts.conv(9, Pair(3, 3), pad: .same)]),
                        Branch(
                            name: "b",
                            layers: [Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1))))]),
                    ])),
                Layer(name: "c2", .conv(Conv(out: 6, kernel: Pair(3, 3), stride: Pair(2, 2)))),
            ])
        XCTAssertEqual(try compare(forked).plan.compactInputOps.map(\.outChannels), [9], "c2 reads a block's output")
        _ = try compare(forked, batch: 1, threads: 1)
    }

    /// Issue 21: sum joins run (scaled, with and without ReLU, identity shortcuts, a projection,
    /// one nested in a concat branch) and equal the reference, whole and block by block.
    func testSumJoinsMatchTheReference() throws {
        let layout = TestLayouts.residual
        XCTAssertTrue(Analysis(layout).isValid, "\(Analysis(layout).errors)")
        let r = try compare(layout)
        XCTAssertEqual(r.plan.outputDims, [2, 5, 1, 1])
        // res_a's up-projection and res_b's projection shortcut compute their sums (issue 22); the
        // three-branch join in mix stays a sum step.
        XCTAssertEqual(r.plan.plannedOps.filter { $0.kind == "sum" }.map(\.path), ["mix/b/inner"])
        XCTAssertEqual(
            r.plan.plannedOps.filter { $0.kind == "conv+sum" }.map(\.path), ["res_a/mixed/up", "res_b/skip/0"])
        for path in ["res_a", "res_b", "mix", "mix/b/inner", "res_a/mixed"] {
            _ = try compare(layout, path: path)
        }
        _ = try compare(layout, batch: 1, threads: 1)
    }

    func testBlocksNestedSplitIdentityBranchesAndAuxSkipped() throws {
        XCTAssertTrue(Analysis(TestLayouts.blocks).isValid, "\(Analysis(TestLayouts.blocks).errors)")
        let whole = try compare(TestLayouts.blocks)
        XCTAssertEqual(whole.plan.outputDims, [2, 10, 1, 1])
        let block = try compare(TestLayouts.blocks, path: "mix")
        XCTAssertEqual(block.plan.outputDims, [2, 72, 9, 9])
        // Seven branches timed one by one; the identity and dropout branches are one copy op each,
        // and the pool branches c and d one op each (the pool computed inside the 1×1 conv).
        XCTAssertEqual(block.plan.branches.map(\.path), ["a", "b", "c", "d", "e", "id", "drop"].map { "mix/" + $0 })
        XCTAssertEqual(block.plan.branches.map(\.ops.count), [1, 2, 1, 1, 3, 1, 1])
        for path in ["mix/b", "mix/e", "mix/e/1/3x1", "mix/id", "reduce", "reduce/pool", "aux", "aux/2", "gap"] {
            _ = try compare(TestLayouts.blocks, path: path)
        }
    }

    func testAuxHeadsRunOnlyWhenAskedFor() throws {
        let skipped = try ExecutionPlan(layout: TestLayouts.blocks, options: PlanOptions(batch: 1))
        let included = try ExecutionPlan(layout: TestLayouts.blocks, options: PlanOptions(batch: 1, includeAux: true))
        XCTAssertEqual(included.opCount, skipped.opCount + 3)
        XCTAssertEqual(included.outputDims, skipped.outputDims)
    }

    /// GoogLeNet's inception_3a (Szegedy et al. 2014, Table 1: 192x28x28 → 256x28x28) with
    /// He-normal weights, batch 1.
    func testShippedGoogLeNetInception3a() throws {
        let layout = try LayoutSource.load("builtin:googlenet").layout
        let r = try compare(layout, path: "inception_3a", batch: 1)
        XCTAssertEqual(r.plan.inputDims, [1, 192, 28, 28])
        XCTAssertEqual(r.plan.outputDims, [1, 256, 28, 28])
    }

    /// Inception-v3's Mixed_7b: batchnorm convs and the nested figure-7 split, 1280x8x8 → 2048x8x8.
    func testShippedInceptionV3Mixed7b() throws {
        let layout = try LayoutSource.load("builtin:inception-v3").layout
        let r = try compare(layout, path: "Mixed_7b", batch: 1)
        XCTAssertEqual(r.plan.outputDims, [1, 2048, 8, 8])
    }

    /// Ops split work by shapes, never by thread count, so 1, 2 and 4 threads agree bit for bit.
    func testThreadCountsGiveIdenticalResults() throws {
        var outputs: [[UInt32]] = []
        for threads in [1, 2, 4] {
            let r = try compare(TestLayouts.blocks, threads: threads)
            outputs.append(r.ours.map(\.bitPattern))
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    func testRepeatedRunsGiveTheSameOutput() throws {
        let plan = try ExecutionPlan(layout: TestLayouts.blocks, options: PlanOptions(batch: 2))
        try plan.setInput(seededInput(plan.input.shape.count))
        let pool = ThreadPool(threads: 2)
        defer { pool.shutdown() }
        plan.run(pool)
        let first = plan.outputValues()
        plan.run(pool)
        XCTAssertEqual(first, plan.outputValues(), "buffer sharing must never overwrite the input")
    }
}
