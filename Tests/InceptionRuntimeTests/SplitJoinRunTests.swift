import ConvEngine
import InceptionCore
import XCTest
@testable import InceptionRuntime
import InceptionWeights

/// Issue 21: a split join runs. Slices on 16-channel blocks are views of the block's input (no copy
/// op), every other slice one copy, an identity slice one copy straight into the output; the plan
/// equals the plain reference forward pass (which cuts the slices out of NCHW arrays).
final class SplitJoinRunTests: XCTestCase {
    static func dw(_ c: Int, _ kh: Int, _ kw: Int) -> Layer {
        Layer(.conv(Conv(out: c, kernel: Pair(kh, kw), pad: .explicit(Pair(kh / 2, kw / 2)), activation: .none, groups: c)))
    }

    /// A token mixer on `c` channels (InceptionNeXt's: identity first, then 3x3, 1x11, 11x1
    /// depthwise on g channels each), after a 1x1 that makes the channels, and a 1x1 after it.
    static func mixer(channels c: Int, g: Int) -> Layout {
        Layout(name: "mixer-\(c)", input: Shape(3, 13, 11), layers: [
            Layer(.conv(Conv(out: c, kernel: Pair(1, 1)))),
            Layer(name: "mixer", .block(Block(branches: [
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
            let block = try ExecutionPlan(layout: layout, options: PlanOptions(path: "mixer", batch: 1, threads: 1, weights: weights))
            XCTAssertEqual(block.inputShape, Shape(c, 13, 11))
            XCTAssertEqual(block.branches.map(\.path), ["mixer/id", "mixer/hw", "mixer/w", "mixer/h"])
            let branch = try ExecutionPlan(layout: layout, options: PlanOptions(path: "mixer/w", batch: 1, threads: 1, weights: weights))
            XCTAssertEqual(branch.inputShape, Shape(g, 13, 11))
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
            XCTAssertGreaterThanOrEqual(program.buffers[program.buffers[v].view!.of].lastUse, program.buffers[v].lastUse)
        }
    }
}
