import InceptionCore
import InceptionWeights
import TestSupport
import Testing

@testable import InceptionONNX

/// A standalone batchnorm with real statistics survives ONNX export and import: the
/// BatchNormalization node (not after a Conv) imports as a `batchnorm` layer with its γ, β, mean,
/// var and ε, and the re-imported model computes what the original did.
struct ONNXStandaloneBatchNormTests {
    @Test func statisticsRoundTrip() throws {
        let layout = OpSamples.layout(for: Op.Kind.batchnorm)
        let bn = ModelWeights.BatchNormValues(
            gamma: [2, -1, 0.5, 1.5], beta: [0.5, 0, -0.25, 1], mean: [1, -2, 0.1, 0],
            variance: [3, 0.25, 1, 2], epsilon: 0.001)
        let ours = ModelWeights(
            origin: "test", layers: ["sample": .init(weightShape: [4], weight: [1, 1, 1, 1], bias: nil, batchNorm: bn)])
        // Fallback seed 0: the layers without weights here get what `.memory` generates for them.
        let r = try ONNXExporter.export(layout, weights: .model(ours, fallbackSeed: 0), command: "test")
        let model = try ONNXImporter.importModel(r.bytes, file: "bn.onnx")
        #expect(
            ONNXConformanceTests.exported(model.layout) == [
                "conv", "maxpool", "batchnorm", "conv", "globalavgpool", "linear", "batchnorm",
            ])
        let back = model.weights.layers.values.first { $0.weightShape == [4] && $0.batchNorm != nil }
        #expect(back?.batchNorm?.gamma == bn.gamma && back?.batchNorm?.beta == bn.beta)
        #expect(back?.batchNorm?.mean == bn.mean && back?.batchNorm?.variance == bn.variance)
        #expect(Float(back?.batchNorm?.epsilon ?? 0) == Float(0.001))
        let x = ONNXConformanceTests.input(Analysis(layout).input)
        let a = try ONNXConformanceTests.run(layout, .memory(ours), x)
        let b = try ONNXConformanceTests.run(model.layout, .memory(model.weights), x)
        let diff = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
        #expect(a.count == b.count && diff <= 1e-5 * max(a.map { abs($0) }.max() ?? 0, 1), "max |Δ| \(diff)")
        // And the statistics matter: the identity batchnorm (generated) gives something else.
        let identity = try ONNXConformanceTests.run(layout, .generated(seed: 0), x)
        #expect(zip(a, identity).contains { abs($0 - $1) > 1e-3 })
    }
}
