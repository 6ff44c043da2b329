import Foundation
import InceptionCore
import InceptionRuntime
import InceptionWeights
import TestSupport
import Testing

@testable import InceptionONNX

/// Issue 21's conformance suite, the ONNX part: every op kind and join (`OpSamples`) exports, the
/// file imports back to the same structure (joins and scales included) with the same counts, and
/// the imported model with the file's weights computes what the layout computes with the seed the
/// file was written from.
struct ONNXConformanceTests {
    /// The structure the file keeps: op kinds in tree order, joins and their float32 scales; not
    /// names (chosen from the graph's scopes), dropout (the identity at inference) or aux heads
    /// (training only). Values are checked by the counts and the outputs.
    static func exported(_ layout: Layout) -> [String] {
        func strip(_ layers: [Layer]) -> [String] {
            layers.compactMap { l -> String? in
                if case .dropout = l.op { return nil }
                if l.op.auxLayers != nil { return nil }
                guard let block = l.op.block else { return l.op.kind.rawValue }
                let inner = block.branches.map { "\(Float($0.scale))[\(strip($0.layers).joined(separator: ","))]" }
                return "\(block.join)(\(inner.joined(separator: " ")))"
            }
        }
        return strip(layout.layers)
    }

    @Test(arguments: OpSamples.all)
    func exportImportKeepsEveryKind(_ layout: Layout) throws {
        let r = try ONNXExporter.export(layout, weights: .seeded(5), command: "test")
        let model = try ONNXImporter.importModel(r.bytes, file: "\(layout.name).onnx")
        // Names are chosen from the graph's scopes; structure, ops, joins and scales are kept.
        #expect(Self.exported(model.layout) == Self.exported(layout), "\(layout.name)")
        let a = Analysis(layout), b = Analysis(model.layout)
        #expect(
            b.errors.isEmpty && a.totals.params == b.totals.params && a.totals.macs == b.totals.macs, "\(layout.name)")
        #expect(a.output == b.output)
        let x = Self.input(Analysis(layout).input)
        let ours = try Self.run(layout, .generated(seed: 5), x)
        let back = try Self.run(model.layout, .memory(model.weights), x)
        #expect(ours.count == back.count)
        let scale = ours.map { abs($0) }.max() ?? 0
        let diff = zip(ours, back).map { abs($0 - $1) }.max() ?? .infinity
        #expect(diff <= 1e-5 * max(scale, 1), "\(layout.name): max |Δ| \(diff)")
    }

    static func input(_ s: Shape) -> [Float] {
        (0..<(s.channels * s.height * s.width)).map { Float(($0 * 7919) % 23) / 11 - 1 }
    }

    static func run(_ layout: Layout, _ weights: WeightSource, _ x: [Float]) throws -> [Float] {
        let plan = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 1, threads: 1, weights: weights))
        try plan.setInput(x)
        _ = plan.runOnce(threads: 1)
        return plan.outputValues()
    }
}
