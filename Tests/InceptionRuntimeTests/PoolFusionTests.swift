import ConvEngine
import InceptionCore
import XCTest

@testable import InceptionRuntime

/// A pool branch's stride-1 pool computed inside its 1×1 conv (`PooledConvOp`, chosen by
/// `ProgramBuilder.fusablePool`): the plan loses one op per pool branch and not one output bit.
final class PoolFusionTests: XCTestCase {
    /// Runs `path` of `layout` on a seeded input, fused or not; returns the output bits and the plan.
    func run(
        _ layout: Layout, path: String = "", fuse: Bool, threads: Int = 2
    ) throws -> (bits: [UInt32], plan: ExecutionPlan) {
        var options = PlanOptions(path: path, batch: 1, threads: threads, weights: .generated(seed: 5))
        options.fusePools = fuse
        let plan = try ExecutionPlan(layout: layout, options: options)
        try plan.setInput(seededInput(plan.input.shape.count))
        let pool = ThreadPool(threads: threads)
        defer { pool.shutdown() }
        plan.run(pool)
        return (plan.outputValues().map(\.bitPattern), plan)
    }

    /// GoogLeNet (Szegedy et al. 2014, Table 1): nine inception blocks, each with a 3×3/1 max pool
    /// → 1×1 "pool proj" branch, so the fused plan has nine ops fewer; the strided pools between
    /// stages (pool1 ... pool4) stay ops of their own.
    func testGoogLeNetFusesItsNinePoolProjections() throws {
        let layout = try LayoutSource.load("builtin:googlenet").layout
        let fused = try run(layout, fuse: true), separate = try run(layout, fuse: false)
        XCTAssertEqual(fused.bits, separate.bits, "fused plan differs from the unfused one")
        XCTAssertEqual(separate.plan.opCount - fused.plan.opCount, 9)
        let kinds = fused.plan.plannedOps.filter { $0.kind == "maxpool+conv" }
        XCTAssertEqual(kinds.map(\.path).first, "inception_3a/pool_proj/1")
        XCTAssertEqual(kinds.count, 9)
        XCTAssertFalse(fused.plan.plannedOps.contains { $0.path.hasSuffix("pool_proj/0") })
        XCTAssertEqual(
            fused.plan.plannedOps.filter { $0.kind == "maxpool" }.map(\.path),
            ["pool1", "pool2", "pool3", "pool4"])
        // The pool's buffer is gone too: less activation memory.
        XCTAssertLessThan(fused.plan.memory.activationBytes, separate.plan.memory.activationBytes)
    }

    /// Inception-v3's average-pool branches (3×3/1, pad 1 → 1×1), on 35×35, 17×17 and 8×8 maps, and
    /// a branch timed on its own (the plan of a branch fuses as the block's does).
    func testInceptionV3AveragePoolBranchesOnEveryMapSize() throws {
        let layout = try LayoutSource.load("builtin:inception-v3").layout
        for path in ["Mixed_5b", "Mixed_6b", "Mixed_7b", "Mixed_6b/branch_pool"] {
            let fused = try run(layout, path: path, fuse: true), separate = try run(layout, path: path, fuse: false)
            XCTAssertEqual(fused.bits, separate.bits, path)
            XCTAssertEqual(separate.plan.opCount - fused.plan.opCount, 1, path)
            XCTAssertEqual(fused.plan.plannedOps.filter { $0.kind == "avgpool+conv" }.count, 1, path)
        }
    }

    /// Not fused: a pool followed by something other than a 1×1 stride-1 conv, a strided pool, a
    /// pool that ends its branch, and a pool named on its own.
    func testLeavesOtherPoolsAlone() throws {
        let pool3 = Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1))
        let layout = Layout(
            name: "pools", input: Shape(16, 9, 9),
            layers: [
                Layer(
                    name: "mix",
                    .inception(branches: [
                        Branch(
                            name: "a",
                            layers: [Layer(name: "p", .maxpool(pool3)), TestLayouts.conv(8, Pair(3, 3), pad: .same)]),
                        Branch(name: "b", layers: [Layer(name: "p", .maxpool(pool3))]),
                        Branch(
                            name: "c",
                            layers: [
                                TestLayouts.conv(8, Pair(1, 1)),
                                Layer(.maxpool(Pool(kernel: Pair(5, 5), stride: Pair(1, 1), pad: Pair(2, 2)))),
                            ]),
                        Branch(
                            name: "d",
                            layers: [
                                Layer(name: "p", .avgpool(pool3)), Layer(.dropout(rate: 0.5)),
                                TestLayouts.conv(8, Pair(1, 1)),
                            ]),
                    ])),
                Layer(name: "down", .avgpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1)))),
                TestLayouts.conv(8, Pair(1, 1)),
            ])
        XCTAssertTrue(Analysis(layout).isValid, "\(Analysis(layout).errors)")
        let fused = try run(layout, path: "mix/a", fuse: true)
        XCTAssertEqual(fused.plan.plannedOps.map { $0.kind }, ["maxpool", "conv"])
        let whole = try run(layout, fuse: true), separate = try run(layout, fuse: false)
        XCTAssertEqual(whole.plan.opCount, separate.plan.opCount)
        XCTAssertFalse(whole.plan.plannedOps.contains { $0.kind.contains("+") })
        XCTAssertEqual(whole.bits, separate.bits)
        XCTAssertEqual(try run(layout, path: "mix/a/p", fuse: true).plan.plannedOps.map { $0.kind }, ["maxpool"])
    }
}
