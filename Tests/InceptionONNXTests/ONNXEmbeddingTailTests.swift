import Foundation
import InceptionCore
import InceptionRuntime
import InceptionWeights
import Testing

@testable import InceptionONNX

/// facenet-pytorch's `InceptionResnetV1` tail (issue 21): Linear without bias (MatMul) →
/// BatchNorm1d on the [N, 512] vector → `F.normalize(p=2, dim=1)` (ReduceL2 → Clip → Expand → Div),
/// or → Linear (classify=True). Was refused at the BatchNormalization ("the tensor was flattened to
/// 2-D before it"); the fixtures (Tests/TestSupport/Fixtures/onnx/make_embedding_fixtures.py: that tail on a tiny stem,
/// exported as facenet's users do) now import with the graph's own counts and onnxruntime's output.
@Suite struct ONNXEmbeddingTailTests {
    static let models = ["tiny_embedding", "tiny_logits"]

    @Test(arguments: models)
    func countsEqualTheGraphAndTheRunEqualsOnnxruntime(_ name: String) throws {
        let model = try Fixtures.importModel(name + ".onnx")
        let facts = try Fixtures.facts(name)
        let analysis = Analysis(model.layout)
        #expect(analysis.errors.isEmpty)
        #expect(analysis.totals.params == facts.params)
        #expect(analysis.totals.buffers == facts.buffers)
        #expect(analysis.totals.macs == facts.macs)
        #expect(analysis.output.map { $0.channels * $0.height * $0.width } == facts.output.dropFirst().reduce(1, *))
        let input = try NpyFile.read(Fixtures.path("input_\(name).npy"))
        let expected = try NpyFile.read(Fixtures.path("output_\(name).npy"))
        let plan = try ExecutionPlan(
            layout: model.layout, options: PlanOptions(batch: 1, threads: 1, weights: .memory(model.weights)))
        try plan.setInput(input.values)
        _ = plan.runOnce(threads: 1)
        let ours = plan.outputValues()
        #expect(ours.count == expected.values.count)
        let scale = expected.values.map { abs($0) }.max() ?? 1
        let diff = zip(ours, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(diff / scale <= 1e-4, "max |Δ| / max |y| = \(diff / scale)")
    }

    /// The tail's layers: a linear without bias, a batchnorm on its 6×1×1 output (eps 0.001, as
    /// facenet's BatchNorm1d), then the unit-length embedding (eps 1e-12, F.normalize's) or the logits.
    @Test func theTailIsLinearBatchnormL2norm() throws {
        let embedding = try Fixtures.importModel("tiny_embedding.onnx").layout
        let tail = embedding.layers.suffix(3)
        guard case .linear(let linear) = tail.first?.op else {
            Issue.record("no linear: \(tail.map(\.op.kind))"); return
        }
        #expect(!linear.bias && linear.out == 6)
        #expect(tail.map(\.name).prefix(2) == ["last_linear", "last_bn"])
        // The file's float32 epsilons read as the decimals torch was given (not 0.0010000000474974513).
        #expect(Array(tail.dropFirst().map(\.op)) == [.batchnorm(epsilon: 0.001), .l2norm(epsilon: 1e-12)])
        #expect(Analysis(embedding).stats(path: "last_bn")?.output == Shape(6, 1, 1))
        let logits = try Fixtures.importModel("tiny_logits.onnx").layout
        #expect(logits.layers.suffix(3).map(\.op.kind) == [.linear, .batchnorm, .linear])
        // The embedding has unit length (the onnxruntime output it equals above is one too).
        let input = try NpyFile.read(Fixtures.path("input_tiny_embedding.npy"))
        let model = try Fixtures.importModel("tiny_embedding.onnx")
        let plan = try ExecutionPlan(
            layout: model.layout, options: PlanOptions(batch: 1, threads: 1, weights: .memory(model.weights)))
        try plan.setInput(input.values)
        _ = plan.runOnce(threads: 1)
        let length = plan.outputValues().reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(length - 1) < 1e-6)
    }

    /// A BatchNormalization on a flattened C×H×W with H·W > 1 normalises C·H·W features, not C
    /// channels: still refused, in one line naming the node.
    @Test func aBatchnormOnAFlattenedMapIsRefusedInOneLine() throws {
        var graph = Onnx_GraphProto()
        graph.initializer =
            [Self.tensor("shape", [2], int64: [1, -1])]
            + ["g", "b", "m", "v"].map { Self.tensor($0, [8], floats: Array(repeating: 1, count: 8)) }
        graph.node = [
            ONNXImportErrorTests.node("Reshape", ["x", "shape"], ["f"], "flat"),
            ONNXImportErrorTests.node("BatchNormalization", ["f", "g", "b", "m", "v"], ["y"], "bn1d"),
        ]
        let bytes = try Fixtures.serialized(graph, input: [1, 2, 2, 2], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx",
                "node \"bn1d\" (BatchNormalization): needs an N×C×H×W input or the output of a Gemm or MatMul, but the tensor was flattened from 2x2x2 before it"
            )
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
    }

    /// A Div that is no L2 normalisation (x / relu(x)) still does not map: one line at the Div.
    @Test func anotherDivIsRefusedInOneLine() throws {
        var graph = Onnx_GraphProto()
        graph.node = [
            ONNXImportErrorTests.node("Relu", ["x"], ["a"], "a"),
            ONNXImportErrorTests.node("Div", ["x", "a"], ["y"], "ratio"),
        ]
        let bytes = try Fixtures.serialized(graph, input: [1, 2, 3, 3], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx",
                "node \"ratio\" (Div): takes 2 computed inputs; only Concat, or an Add of two, may join branches")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
    }

    static func tensor(_ name: String, _ dims: [Int64], floats: [Float] = [], int64: [Int64] = []) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims
        if int64.isEmpty {
            t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            t.floatData = floats
        } else {
            t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            t.int64Data = int64
        }
        return t
    }
}
