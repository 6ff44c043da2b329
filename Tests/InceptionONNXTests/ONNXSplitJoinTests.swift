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

    static func facts(_ name: String = "split_block") throws -> Facts {
        try JSONDecoder().decode(
            Facts.self, from: Data(contentsOf: Fixtures.directory.appendingPathComponent(name + ".json")))
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

    /// timm's whole InceptionNeXt block (`MetaNeXtBlock(32)`) after its stem: the split token mixer
    /// inside a residual branch with batchnorm, GELU, the MLP's 1x1 convs and the layer scale γ.
    @Test func wholeInceptionNeXtBlockImportsWithTheGraphsCounts() throws {
        let model = try Fixtures.importModel("next_block.onnx")
        let facts = try Self.facts("next_block")
        let a = Analysis(model.layout)
        #expect(a.errors.isEmpty)
        // 10,350 = torch's 10,414 less the stem batchnorm the exporter folds into its biased conv (2·32).
        #expect(a.totals.params == facts.params && facts.params == 10_350)
        #expect(a.totals.buffers == facts.buffers && a.totals.macs == facts.macs)
        let residual = try #require(
            model.layout.layers.first { $0.op.block?.join == .sum(activation: .none) }?.op.block)
        let kinds = residual.branches.map { $0.layers.map(\.op.kind) }
        #expect(kinds.contains([.inception, .batchnorm, .conv, .gelu, .conv, .layerscale]), "\(kinds)")
        #expect(residual.branches.flatMap(\.layers).first?.op.block?.join == .split(sizes: [20, 4, 4, 4]))
    }

    @Test(arguments: ["split_block", "next_block"])
    func ownWeightsMatchOnnxruntime(_ name: String) throws {
        let model = try Fixtures.importModel(name + ".onnx")
        let input = try NpyFile.read(Fixtures.path("input_\(name).npy"))
        let expected = try NpyFile.read(Fixtures.path("output_\(name).npy"))
        let plan = try ExecutionPlan(
            layout: model.layout,
            options: PlanOptions(
                batch: input.shape[0], threads: 2,
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

    /// x (4×5×5) → Split → [identity, Relu] → Concat, with the Split's sizes as each opset writes
    /// them: an int64 input (13+), the `split` attribute (before 13), or none (equal parts).
    static func splitGraph(sizes: [Int64]?, attribute: Bool) -> Onnx_GraphProto {
        var graph = Onnx_GraphProto()
        var split = ONNXImportErrorTests.node("Split", ["x"], ["s0", "s1"], "cut")
        var axis = Onnx_AttributeProto()
        axis.name = "axis"; axis.type = .int; axis.i = 1
        split.attribute = [axis]
        if let sizes, attribute {
            var a = Onnx_AttributeProto()
            a.name = "split"; a.type = .ints; a.ints = sizes
            split.attribute.append(a)
        } else if let sizes {
            var t = Onnx_TensorProto()
            t.name = "sizes"; t.dims = [Int64(sizes.count)]
            t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue); t.int64Data = sizes
            graph.initializer = [t]
            split.input.append("sizes")
        }
        graph.node = [
            split, ONNXImportErrorTests.node("Relu", ["s1"], ["r"], "relu"),
            ONNXImportErrorTests.node("Concat", ["s0", "r"], ["y"], "join"),
        ]
        graph.node[2].attribute = [axis]
        return graph
    }

    @Test(arguments: [(Int64(17), [Int64(3), 1], false), (11, [1, 3], true), (18, nil, false)])
    func everyOpsetsSplitSizesImport(_ opset: Int64, _ sizes: [Int64]?, _ attribute: Bool) throws {
        let bytes = try Fixtures.serialized(
            Self.splitGraph(sizes: sizes, attribute: attribute), input: [1, 4, 5, 5],
            output: "y", opset: opset)
        let model = try ONNXImporter.importModel(bytes, file: "m.onnx")
        let block = try #require(model.layout.layers.first?.op.block)
        #expect(block.join == .split(sizes: (sizes ?? [2, 2]).map { Int($0) }), "opset \(opset)")
        #expect(block.branches.map { $0.layers.map(\.op.kind) } == [[], [.relu]])
        #expect(Analysis(model.layout).output == Shape(4, 5, 5))
    }

    /// A Split whose outputs do not all meet in one Concat is no split block: refused in one line.
    @Test func splitFeedingSomethingElseIsRefused() throws {
        var graph = Self.splitGraph(sizes: [2, 2], attribute: false)
        graph.node[2] = ONNXImportErrorTests.node("Relu", ["r"], ["y"], "after")
        let bytes = try Fixtures.serialized(graph, input: [1, 4, 5, 5], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx",
                "node \"cut\" (Split): a Split maps only as a split block: its outputs feed branches that end in one Concat, in order"
            )
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
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
