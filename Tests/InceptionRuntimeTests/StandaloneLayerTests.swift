import InceptionCore
import InceptionWeights
import XCTest

@testable import InceptionRuntime

/// InceptionNeXt's standalone layers (issue 21) with values worked out by hand: gelu, a layer norm
/// with γ and β that are not torch's initial 1 and 0 (which the conformance samples use, and which
/// would hide a swapped or dropped γ/β), a layer scale; and their counts.
final class StandaloneLayerTests: XCTestCase {
    func run(_ layout: Layout, _ weights: WeightSource, _ x: [Float]) throws -> [Float] {
        let plan = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 1, threads: 1, weights: weights))
        try plan.setInput(x)
        _ = plan.runOnce(threads: 1)
        return plan.outputValues()
    }

    func testGeluIsTheErfForm() throws {
        let layout = Layout(name: "g", input: Shape(1, 1, 4), layers: [Layer(name: "g", .gelu)])
        let got = try run(layout, .generated(seed: 0), [1, -1, 3, 0])
        // x·Φ(x): Φ(1) = 0.841344746, Φ(−1) = 0.158655254, Φ(3) = 0.998650102 (the normal CDF's table values).
        let want = [0.841344746, -0.158655254, 3 * 0.998650102, 0]
        for (g, w) in zip(got, want) { XCTAssertEqual(Double(g), w, accuracy: 1e-6) }
    }

    func testLayerNormNormalizesEachPixelOverChannelsWithGammaAndBeta() throws {
        let layout = Layout(name: "ln", input: Shape(2, 1, 2), layers: [Layer(name: "ln", .layernorm(epsilon: 1e-6))])
        let model = ModelWeights(
            origin: "test", layers: ["ln": .init(weightShape: [2], weight: [2, -1], bias: [0.5, 3])])
        // NCHW: pixel 0 has channels (4, 0), pixel 1 has (1, 3).
        let got = try run(layout, .memory(model), [4, 1, 0, 3])
        // Pixel 0: μ 2, σ² 4 → (±2)/√(4 + 1e-6); pixel 1: μ 2, σ² 1 → (∓1)/√(1 + 1e-6); then ·γ + β per channel.
        let r0 = 1 / (4 + 1e-6).squareRoot(), r1 = 1 / (1 + 1e-6).squareRoot()
        let want = [2 * 2 * r0 + 0.5, 2 * -1 * r1 + 0.5, -1 * -2 * r0 + 3, -1 * 1 * r1 + 3]
        XCTAssertEqual(got.count, 4)
        for (g, w) in zip(got, want) { XCTAssertEqual(Double(g), w, accuracy: 1e-5) }
    }

    func testLayerScaleMultipliesEachChannelByItsGamma() throws {
        let layout = Layout(name: "s", input: Shape(2, 1, 2), layers: [Layer(name: "s", .layerscale)])
        let model = ModelWeights(origin: "test", layers: ["s": .init(weightShape: [2], weight: [1e-6, -3], bias: nil)])
        XCTAssertEqual(try run(layout, .memory(model), [4, 1, 0, 3]), [4e-6, 1e-6, 0, -9])
    }

    func testCountsAndLabels() {
        // C = 6: layer norm 2·C = 12 params (γ, β), layer scale C = 6, gelu none; no buffers, no MACs.
        let layout = Layout(
            name: "l", input: Shape(6, 5, 5),
            layers: [
                Layer(name: "ln", .layernorm(epsilon: 1e-6)), Layer(name: "g", .gelu), Layer(name: "s", .layerscale),
            ])
        let a = Analysis(layout)
        for (path, params) in [("ln", 12), ("g", 0), ("s", 6)] {
            let s = a.nodes.first { $0.path == path }
            XCTAssertEqual(s?.params, params, path)
            XCTAssertEqual(s?.buffers, 0, path)
            XCTAssertEqual(s?.macs, 0, path)
            XCTAssertEqual(s?.output, Shape(6, 5, 5), path)
        }
        XCTAssertEqual(OpLabel.text(.gelu), "gelu")
        XCTAssertEqual(OpLabel.text(.layernorm(epsilon: 1e-6)), "layernorm")
        XCTAssertEqual(OpLabel.text(.layerscale), "layerscale γ")
    }

    /// InceptionNeXt-T's head (timm MlpClassifierHead(768, 1000, mlp_ratio 3)): global pool, fc1
    /// 768 → 2304, GELU, LayerNorm(2304), fc2 2304 → 1000. torch counts 4,081,384 parameters for it
    /// (sum(p.numel()) of `timm.create_model("inception_next_tiny").head`): 768·2304 + 2304 +
    /// 2·2304 + 2304·1000 + 1000; 4,073,472 MACs (768·2304 + 2304·1000).
    func testInceptionNeXtHeadCounts() throws {
        let layout = try LayoutCodec.decode(
            """
            { "format": "inception-layout/1", "name": "head", "input": { "channels": 768, "height": 7, "width": 7 },
              "layers": [ { "op": "globalavgpool" }, { "op": "linear", "out": 2304 }, { "op": "gelu" },
                          { "op": "layernorm", "eps": 1e-06 }, { "op": "linear", "out": 1000 } ] }
            """)
        let t = Analysis(layout).totals
        XCTAssertEqual(t.params, 4_081_384)
        XCTAssertEqual(t.macs, 4_073_472)
        XCTAssertEqual(t.buffers, 0)
    }
}
