import InceptionCore
import InceptionWeights
import XCTest

@testable import InceptionRuntime

/// A standalone `batchnorm` layer with statistics that are not the identity (the conformance
/// samples run generated weights, γ 1 and β 0, which hide a swapped scale and shift).
final class StandaloneBatchNormTests: XCTestCase {
    func testImportedStatisticsGiveTheBatchnormFormula() throws {
        let layout = Layout(name: "bn", input: Shape(2, 1, 2), layers: [Layer(name: "bn", .batchnorm(epsilon: 0.001))])
        // Channel 0: γ 2, β 0.5, mean 1, var 3; channel 1: γ −1, β 0, mean −2, var 0.25.
        let bn = ModelWeights.BatchNormValues(
            gamma: [2, -1], beta: [0.5, 0], mean: [1, -2], variance: [3, 0.25], epsilon: 0.001)
        let model = ModelWeights(
            origin: "test", layers: ["bn": .init(weightShape: [2], weight: [1, 1], bias: nil, batchNorm: bn)])
        let plan = try ExecutionPlan(
            layout: layout, options: PlanOptions(batch: 1, threads: 1, weights: .memory(model)))
        let input: [Float] = [4, -1, 0, 3]  // NCHW: channel 0 = [4, -1], channel 1 = [0, 3]
        try plan.setInput(input)
        _ = plan.runOnce(threads: 1)
        // y = γ·(x − mean)/√(var + eps) + β, computed here by hand.
        let want: [Double] = [
            2 * (4 - 1) / 3.001.squareRoot() + 0.5, 2 * (-1 - 1) / 3.001.squareRoot() + 0.5,
            -1 * (0 + 2) / 0.251.squareRoot(), -1 * (3 + 2) / 0.251.squareRoot(),
        ]
        let got = plan.outputValues()
        XCTAssertEqual(got.count, 4)
        for (g, w) in zip(got, want) { XCTAssertEqual(Double(g), w, accuracy: 1e-5) }
    }

    func testCountsAndLabel() {
        // 2·C parameters (γ, β), 2·C buffers (mean, var), no MACs: C = 6 → 12 and 12.
        let layout = Layout(name: "bn", input: Shape(6, 5, 5), layers: [Layer(name: "bn", .batchnorm(epsilon: 1e-5))])
        let s = Analysis(layout).nodes.first { $0.path == "bn" }
        XCTAssertEqual(s?.params, 12)
        XCTAssertEqual(s?.buffers, 12)
        XCTAssertEqual(s?.macs, 0)
        XCTAssertEqual(s?.output, Shape(6, 5, 5))
        XCTAssertEqual(OpLabel.text(.batchnorm(epsilon: 1e-5)), "batchnorm")
    }
}
