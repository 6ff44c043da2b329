import ConvEngine
import InceptionCore
import InceptionWeights
import XCTest

@testable import InceptionRuntime

/// Issue 22: a ReLU right before a depthwise conv (Xception's before each separable conv) is applied
/// by the conv as it fills its input planes — no step and no buffer of its own — and the result is
/// the plain reference forward pass's (every layer its own step) within 1e-5.
final class DepthwiseReLUFusionTests: XCTestCase {
    func plan(_ layout: Layout, threads: Int = 2) throws -> ExecutionPlan {
        XCTAssertTrue(Analysis(layout).isValid, "\(Analysis(layout).errors)")
        let r = try runBesideReference(layout, threads: threads, weights: .generated(seed: 7))
        XCTAssertLessThanOrEqual(r.error, 1e-5, "\(layout.name): max relative error \(r.error)")
        return r.plan
    }

    /// An Xception middle-flow block in small: the block input (also the shortcut, which must stay
    /// un-ReLU'd) goes through ReLU → depthwise 3×3 → pointwise twice, then the sum. A linear conv
    /// first, so the block input has negative values for the ReLU to clip.
    func testXceptionBlockRunsItsReLUsInsideTheDepthwiseConvs() throws {
        let layout = Layout(
            name: "xception", input: Shape(32, 9, 9),
            layers: [
                ConvFusionTests.conv(32, Pair(1, 1), name: "stem"),
                ConvFusionTests.residual(
                    "b",
                    [
                        Layer(name: "act1", .relu),
                        ConvFusionTests.conv(32, Pair(3, 3), pad: .same, groups: 32, name: "dw1"),
                        ConvFusionTests.conv(32, Pair(1, 1), name: "pw1"),
                        Layer(name: "act2", .relu),
                        ConvFusionTests.conv(32, Pair(3, 3), stride: Pair(1, 1), pad: .same, groups: 32, name: "dw2"),
                        ConvFusionTests.conv(32, Pair(1, 1), name: "pw2"),
                    ]),
            ])
        for threads in [1, 2] {
            let p = try plan(layout, threads: threads)
            XCTAssertEqual(p.plannedOps.map(\.kind), ["conv", "relu+dwconv", "conv", "relu+dwconv", "conv+sum"])
            XCTAssertEqual(p.ops.compactMap { ($0 as? DepthwiseConvOp)?.inputReLU }, [true, true])
        }
    }

    /// Where the conv after the ReLU is grouped but not depthwise, or the ReLU ends its list (its
    /// output is the branch's result), the ReLU keeps its step.
    func testReLUKeepsItsStepBeforeOtherConvsAndAtAListEnd() throws {
        let grouped = Layout(
            name: "grouped", input: Shape(32, 7, 7),
            layers: [
                ConvFusionTests.conv(32, Pair(1, 1), name: "stem"), Layer(name: "act", .relu),
                ConvFusionTests.conv(32, Pair(3, 3), pad: .same, groups: 4, name: "g4"),
            ])
        XCTAssertEqual(try plan(grouped).plannedOps.map(\.kind), ["conv", "relu", "gconv"])
        let last = Layout(
            name: "last", input: Shape(16, 7, 7),
            layers: [
                ConvFusionTests.conv(16, Pair(3, 3), pad: .same, groups: 16, name: "dw"), Layer(name: "act", .relu),
            ])
        XCTAssertEqual(try plan(last).plannedOps.map(\.kind), ["dwconv", "relu"])
    }
}
