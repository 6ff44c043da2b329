import Foundation
import InceptionCore
import InceptionRuntime
import InceptionWeights
import Testing
@testable import InceptionONNX

/// Issue 21: the split join through ONNX. The committed fixture is timm's own InceptionNeXt token
/// mixer (`InceptionDWConv2d(40)`: `torch.split` into 25/5/5/5, the identity slice straight to the
/// Concat), exported by torch (Fixtures/make_split_fixture.py, which counted split_block.json from
/// the graph itself and ran onnxruntime for output_split_block.npy).
@Suite struct ONNXSplitJoinTests {
    struct Facts: Decodable {
        var params: Int
        var buffers: Int
        var macs: Int
        var output: [Int]
    }

    static func facts() throws -> Facts {
        try JSONDecoder().decode(Facts.self, from: Data(contentsOf: Fixtures.directory.appendingPathComponent("split_block.json")))
    }

    @Test func torchSplitImportsAsASplitBlock() throws {
        let model = try Fixtures.importModel("split_block.onnx")
        let facts = try Self.facts()
        let a = Analysis(model.layout)
        #expect(a.errors.isEmpty)
        // 1,536 = torch's sum(p.numel()): stem 3·40·9 + 40, mixer 5·9 + 5 + 2·(5·11 + 5), head 40·6 + 6.
        #expect(a.totals.params == facts.params && facts.params == 1_536)
        #expect(a.totals.buffers == facts.buffers)
        #expect(a.totals.macs == facts.macs)
        let mixer = try #require(model.layout.layer("token_mixer")?.op.block)
        #expect(mixer.join == .split(sizes: [25, 5, 5, 5]))
        #expect(mixer.branches.map(\.layers.count) == [0, 1, 1, 1], "the identity slice has no layers")
        #expect(mixer.branches.dropFirst().map(\.name) == ["dwconv_hw", "dwconv_w", "dwconv_h"])
        #expect(OpLabel.text(.block(mixer)) == "split 25/5/5/5")
    }

    @Test func ownWeightsMatchOnnxruntime() throws {
        let model = try Fixtures.importModel("split_block.onnx")
        let input = try NpyFile.read(Fixtures.path("input_split_block.npy"))
        let expected = try NpyFile.read(Fixtures.path("output_split_block.npy"))
        let plan = try ExecutionPlan(layout: model.layout, options: PlanOptions(batch: input.shape[0], threads: 2,
                                                                                 weights: .memory(model.weights)))
        try plan.setInput(input.values)
        _ = plan.runOnce(threads: 2)
        let ours = plan.outputValues()
        #expect(ours.count == expected.values.count)
        let scale = expected.values.map { abs($0) }.max() ?? 1
        let diff = zip(ours, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(diff / scale <= 1e-4, "max |Δ| / max |y| = \(diff / scale)")
    }

    /// Exported back, the split is one `Split` with an int64 sizes input (opset 13 and later) and
    /// one Concat, and it imports to the same block with the same weights.
    @Test func exportWritesOneSplitAndImportsBack() throws {
        let model = try Fixtures.importModel("split_block.onnx")
        let r = try ONNXExporter.export(model.layout, weights: .model(model.weights, fallbackSeed: 1), command: "test")
        let proto = try Onnx_ModelProto(serializedBytes: r.bytes)
        let split = try #require(proto.graph.node.first { $0.opType == "Split" })
        #expect(proto.graph.node.filter { $0.opType == "Split" }.count == 1)
        #expect(proto.opsetImport.first?.version ?? 0 >= 13)
        let sizes = try #require(proto.graph.initializer.first { $0.name == split.input[1] })
        #expect(sizes.dataType == Int32(Onnx_TensorProto.DataType.int64.rawValue) && sizes.int64Data == [25, 5, 5, 5])
        let concat = try #require(proto.graph.node.first { $0.opType == "Concat" })
        #expect(concat.input[0] == split.output[0], "the identity slice goes straight to the Concat")
        let back = try ONNXImporter.importModel(r.bytes, file: "back.onnx")
        #expect(back.layout.layer("token_mixer")?.op.block?.join == .split(sizes: [25, 5, 5, 5]))
        #expect(Analysis(back.layout).totals.params == 1_536)
    }

    /// A Concat that reads a Split's outputs out of order cannot keep its channels as a split
    /// block: refused in one line at the Concat.
    @Test func concatOutOfOrderIsRefused() throws {
        var proto = try Fixtures.model("split_block.onnx")
        let c = try #require(proto.graph.node.firstIndex { $0.opType == "Concat" })
        proto.graph.node[c].input.swapAt(0, 1)
        do {
            let bytes: [UInt8] = try proto.serializedBytes()
            _ = try ONNXImporter.importModel(bytes, file: "swapped.onnx")
            Issue.record("imported a Concat that reads the Split's outputs out of order")
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("swapped.onnx: node \"/Concat\"") || text.contains("(Concat)"), "\(text)")
            #expect(text.contains("do not read the outputs of Split"), "\(text)")
            #expect(!text.contains("\n"))
        }
    }
}
