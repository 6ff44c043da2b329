import Foundation
import InceptionCore
import Testing

@testable import InceptionONNX

/// What torch's dynamo exporter writes differently: module paths in `pkg.torch.onnx.name_scopes`
/// instead of node names, and AdaptiveAvgPool2d(1) as ReduceMean over H and W.
@Suite struct ONNXDynamoNamesTests {
    @Test func nameScopesBecomeClassicScopeParts() {
        let items = LayerNamer.quotedItems(
            "['', 'inception3a', 'inception3a.branch2', 'inception3a.branch2.0', 'inception3a.branch2.0.conv', 'conv2d']"
        )
        #expect(
            items == [
                "", "inception3a", "inception3a.branch2", "inception3a.branch2.0", "inception3a.branch2.0.conv",
                "conv2d",
            ])
        #expect(LayerNamer.moduleParts(items) == ["inception3a", "branch2", "branch2.0", "conv"])
    }

    /// A dynamo-style graph built here: unnamed-looking nodes with name_scopes, a ReduceMean with
    /// its axes as an input (opset 18) and keepdims 0, then a Gemm.
    @Test func dynamoStyleGraphImports() throws {
        func tensor(_ name: String, _ dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
            var t = Onnx_TensorProto()
            t.name = name
            t.dims = dims
            t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            t.floatData = values
            return t
        }
        func node(_ op: String, _ name: String, _ inputs: [String], _ output: String, scopes: String) -> Onnx_NodeProto
        {
            var n = Onnx_NodeProto()
            n.opType = op
            n.name = name
            n.input = inputs
            n.output = [output]
            var meta = Onnx_StringStringEntryProto()
            meta.key = "pkg.torch.onnx.name_scopes"
            meta.value = scopes
            n.metadataProps = [meta]
            return n
        }
        var axes = Onnx_TensorProto()
        axes.name = "axes"
        axes.dims = [2]
        axes.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        axes.int64Data = [-1, -2]
        var g = Onnx_GraphProto()
        g.initializer = [tensor("w", [2, 1, 1, 1], [1, 2]), tensor("fc.w", [3, 2], [1, 0, 0, 1, 1, 1]), axes]
        g.node = [
            node("Conv", "node_Conv_1", ["x", "w"], "c", scopes: "['', 'stem', 'stem.conv', 'conv2d']"),
            node("ReduceMean", "node_mean", ["c", "axes"], "m", scopes: "['', 'avgpool', 'mean']"),
            node("Gemm", "node_linear", ["m", "fc.w"], "y", scopes: "['', 'fc', 'linear']"),
        ]
        g.node[2].attribute = [
            {
                var a = Onnx_AttributeProto(); a.name = "transB"; a.type = .int; a.i = 1; return a
            }()
        ]
        g.node[1].attribute = [
            {
                var a = Onnx_AttributeProto(); a.name = "keepdims"; a.type = .int; a.i = 0; return a
            }()
        ]
        let model = try Fixtures.serialized(g, input: [1, 1, 4, 4], output: "y", irVersion: 10, opset: 18)
        let layout = try ONNXImporter.importModel(model, file: "dynamo.onnx").layout
        #expect(layout.layers.map(\.name) == ["stem", "avgpool", "fc"])
        #expect(layout.layers.map(\.op.kind) == [.conv, .globalavgpool, .linear])
        #expect(Analysis(layout).totals.params == 2 + 6)
    }
}
