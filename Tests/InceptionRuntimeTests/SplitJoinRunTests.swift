import ConvEngine
import InceptionCore
import InceptionWeights
import XCTest

@testable import InceptionRuntime

/// Issue 21: a split join runs. Slices on 16-channel blocks are views of the block's input (no copy
/// op), every other slice one copy, an identity slice one copy straight into the output; the plan
/// equals the plain reference forward pass (which cuts the slices out of NCHW arrays).
final class SplitJoinRunTests: XCTestCase {
    static func dw(_ c: Int, _ kh: Int, _ kw: Int) -> Layer {
        Layer(
            .conv(
                Conv(out: c, kernel: Pair(kh, kw), pad: .explicit(Pair(kh / 2, kw / 2)), activation: .none, groups: c)))
    }

    /// A token mixer on `c` channels (InceptionNeXt's: identity first, then 3x3, 1x11, 11x1
    /// depthwise on g channels each), after a 1x1 that makes the channels, and a 1x1 after it.
    static func mixer(channels c: Int, g: Int) -> Layout {
        Layout(
            name: "mixer-\(c)", input: Shape(3, 13, 11),
            layers: [
                Layer(.conv(Conv(out: c, kernel: Pair(1, 1)))),
                Layer(
                    name: "mixer",
                    .block(
                        Block(
                            branches: [
                                Branch(name: "id", layers: []),
                                Branch(name: "hw", layers: [dw(g, 3, 3)]),
                                Branch(name: "w", layers: [dw(g, 1, 11)]),
                                Branch(name: "h", layers: [dw(g, 11, 1)]),
                            ], join: .split(sizes: [c - 3 * g, g, g, g])))),
                Layer(.conv(Conv(out: 5, kernel: Pair(1, 1)))),
            ])
    }

    func testViewsWhereSlicesFallOnBlocksOneCopyOtherwiseAndEqualTheReference() throws {
        let weights = WeightSource.generated(seed: 11)
        // (channels, g, copies): 96 = 60/12/12/12 (InceptionNeXt-T's first stage): no slice starts on
        // a block, so each of the three depthwise slices is copied and the identity is copied out:
        // 4 copies. 64 = 16/16/16/16: every slice a view, only the identity's copy: 1.
        // 40 = 16/8/8/8: the 3x3's slice 16..<24 starts on a block but ends inside one (a copy),
        // 24..<32 starts inside one (a copy), 32..<40 starts on a block and ends at the last
        // channel (a view): 3 copies with the identity's.
        for (c, g, copies) in [(96, 12, 4), (64, 16, 1), (40, 8, 3)] {
            let layout = Self.mixer(channels: c, g: g)
            XCTAssertEqual(Analysis(layout).errors, [], layout.name)
            let plan = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 2, threads: 2, weights: weights))
            XCTAssertEqual(plan.plannedOps.filter { $0.kind == "copy" }.count, copies, layout.name)
            let input = seededInput(plan.input.shape.count, seed: UInt64(c))
            try plan.setInput(input)
            _ = plan.runOnce(threads: 2)
            let ref = try ReferenceForward(layout: layout, weights: weights, batch: 2).run(path: "", input: input)
            XCTAssertEqual(ref.shape, plan.output.shape, layout.name)
            let err = maxRelativeError(plan.outputValues(), ref.values)
            XCTAssertLessThanOrEqual(err, 1e-5, "\(layout.name): max relative error \(err)")
            // The block alone, and one branch alone (its input is its slice).
            let block = try ExecutionPlan(
                layout: layout, options: PlanOptions(path: "mixer", batch: 1, threads: 1, weights: weights))
            XCTAssertEqual(block.inputShape, Shape(c, 13, 11))
            XCTAssertEqual(block.branches.map(\.path), ["mixer/id", "mixer/hw", "mixer/w", "mixer/h"])
            let branch = try ExecutionPlan(
                layout: layout, options: PlanOptions(path: "mixer/w", batch: 1, threads: 1, weights: weights))
            XCTAssertEqual(branch.inputShape, Shape(g, 13, 11))
        }
    }

    /// A split inside a split's branch: a view of a view (32..<64, then its 16..<32: the root's
    /// 48..<64), a copy of a view's part (its 0..<10), and a split of a copied slice; all equal the
    /// reference, whole and at batch 3.
    func testNestedSplitsViewViewsAndCopies() throws {
        let inner = { (sizes: [Int]) in
            Layer(
                name: "inner",
                .block(
                    Block(
                        branches: [
                            Branch(name: "a", layers: [Self.dw(sizes[0], 3, 3)]),
                            Branch(name: "b", layers: []),
                            Branch(name: "c", layers: [Self.dw(sizes[2], 1, 3)]),
                        ], join: .split(sizes: sizes))))
        }
        let layout = Layout(
            name: "nested", input: Shape(3, 9, 10),
            layers: [
                Layer(.conv(Conv(out: 70, kernel: Pair(1, 1)))),
                Layer(
                    name: "outer",
                    .block(
                        Block(
                            branches: [
                                Branch(name: "first", layers: [inner([10, 6, 16])]),  // 0..<32, a view: 0..<10 copied, 16..<32 a view
                                Branch(name: "second", layers: [inner([16, 10, 6])]),  // 32..<64, a view of a view
                                Branch(name: "third", layers: [inner([2, 2, 2])]),  // 64..<70, a view (ends at the last channel)
                            ], join: .split(sizes: [32, 32, 6])))),
                Layer(.conv(Conv(out: 4, kernel: Pair(1, 1)))),
            ])
        XCTAssertEqual(Analysis(layout).errors, [])
        let weights = WeightSource.generated(seed: 12)
        let plan = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 3, threads: 2, weights: weights))
        let input = seededInput(plan.input.shape.count, seed: 70)
        try plan.setInput(input)
        _ = plan.runOnce(threads: 2)
        let ref = try ReferenceForward(layout: layout, weights: weights, batch: 3).run(path: "", input: input)
        let err = maxRelativeError(plan.outputValues(), ref.values)
        XCTAssertLessThanOrEqual(err, 1e-5, "max relative error \(err)")
    }

    /// Every kind of kernel reads a view: a dense 3x3 under the Winograd policy, a pool fused into
    /// its 1x1 (`PooledConvOp`), LRN and a pool alone, on 32-channel slices (views) at batch 2.
    func testEveryKernelReadsASliceView() throws {
        let layout = Layout(
            name: "views", input: Shape(3, 12, 12),
            layers: [
                Layer(.conv(Conv(out: 96, kernel: Pair(1, 1)))),
                Layer(
                    name: "s",
                    .block(
                        Block(
                            branches: [
                                Branch(
                                    name: "dense",
                                    layers: [
                                        Layer(.conv(Conv(out: 24, kernel: Pair(3, 3), pad: .explicit(Pair(1, 1)))))
                                    ]),
                                Branch(
                                    name: "pooled",
                                    layers: [
                                        Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1)))),
                                        Layer(.conv(Conv(out: 8, kernel: Pair(1, 1)))),
                                    ]),
                                Branch(
                                    name: "lrn",
                                    layers: [
                                        Layer(.lrn(LRN(size: 5))),
                                        Layer(.avgpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1)))),
                                    ]),
                            ], join: .split(sizes: [32, 32, 32])))),
            ])
        let weights = WeightSource.generated(seed: 13)
        for policy in [AlgorithmPolicy.direct, .winograd] {
            var options = PlanOptions(batch: 2, threads: 2, weights: weights, algorithm: policy)
            options.fusePools = true
            let plan = try ExecutionPlan(layout: layout, options: options)
            XCTAssertEqual(plan.plannedOps.filter { $0.kind == "copy" }.count, 0, "every slice a view")
            XCTAssertTrue(plan.plannedOps.contains { $0.kind == "maxpool+conv" })
            if policy == .winograd {
                XCTAssertTrue(plan.layers.contains { $0.algorithm.isWinograd }, "\(plan.layers.map(\.algorithm))")
            }
            let input = seededInput(plan.input.shape.count, seed: 96)
            try plan.setInput(input)
            _ = plan.runOnce(threads: 2)
            let ref = try ReferenceForward(layout: layout, weights: weights, batch: 2).run(path: "", input: input)
            let err = maxRelativeError(plan.outputValues(), ref.values)
            XCTAssertLessThanOrEqual(err, 1e-4, "\(policy): max relative error \(err)")
        }
    }

    /// Views take no memory of their own: the split's slices add nothing to the activation bytes
    /// when they are all views, beyond what the same block with a concat join would need.
    func testViewsTakeNoSlot() throws {
        let layout = Self.mixer(channels: 64, g: 16)
        var builder = ProgramBuilder(layout: layout, batch: 1, includeAux: false)
        try builder.build(try builder.resolve(""))
        let program = builder.program
        let views = program.buffers.indices.filter { program.buffers[$0].view != nil }
        XCTAssertEqual(views.count, 3, "the three depthwise slices of 16 channels")
        let (slotOf, _) = program.assignSlots()
        for v in views {
            XCTAssertEqual(slotOf[v], slotOf[program.buffers[v].view!.of], "a view shares its root's slot")
            // The root stays live as long as its views are read.
            XCTAssertGreaterThanOrEqual(
                program.buffers[program.buffers[v].view!.of].lastUse, program.buffers[v].lastUse)
        }
    }
}
