import InceptionCore
import Testing

@testable import InceptionONNX

/// A residual branch's scale is a float32 in the file (torch writes 0.17 as 0.17000000178813934).
/// It imported as that widened value, so the explorer's tree read "residual ×0.170000001…" on an
/// imported Inception-ResNet; it imports as the shortest decimal of the same float32.
struct ONNXResidualScaleTests {
    @Test(arguments: [Float(0.17), Float(0.1), Float(0.2), Float(1) / 3])
    func theScaleIsTheFileFloatsShortestDecimal(_ scale: Float) throws {
        var graph = Onnx_GraphProto()
        graph.initializer = [ONNXEmbeddingTailTests.tensor("k", [], floats: [scale])]
        graph.node = [
            ONNXImportErrorTests.node("Relu", ["x"], ["a"], "/block/branch/Relu"),
            ONNXImportErrorTests.node("Mul", ["a", "k"], ["m"], "/block/Mul"),
            ONNXImportErrorTests.node("Add", ["m", "x"], ["y"], "/block/Add"),
        ]
        let bytes = try Fixtures.serialized(graph, input: [1, 2, 3, 3], output: "y")
        let layout = try ONNXImporter.importModel(bytes, file: "m.onnx").layout
        guard let block = layout.layers.first?.op.block else { Issue.record("no block"); return }
        let imported = block.branches.map(\.scale).first { $0 != 1 }
        #expect(imported == Double("\(scale)"))
        #expect(imported.map(Float.init) == scale, "the same float32")
        #expect(OpLabel.text(layout.layers[0].op) == "residual ×\(scale)")
    }
}
