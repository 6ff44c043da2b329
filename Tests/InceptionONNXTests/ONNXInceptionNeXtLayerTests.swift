import Foundation
import InceptionCore
import InceptionRuntime
import InceptionWeights
import Testing

@testable import InceptionONNX

/// Issue 21, InceptionNeXt's layers from a real export: the fixtures (Fixtures/make_inceptionnext_fixtures.py)
/// are a tiny net of timm's own InceptionNeXt parts (ConvMlp with GELU, layer scale γ before the
/// residual add, LayerNorm2d, MlpClassifierHead with its LayerNorm on the vector), exported by torch at
/// opset 17 (GELU as the Erf chain) and opset 20 (the Gelu operator). Counts equal the ones counted
/// from each graph itself, γ and β are kept and used, and `run` reproduces onnxruntime.
@Suite struct ONNXInceptionNeXtLayerTests {
    static let models = ["tiny_inceptionnext_erf", "tiny_inceptionnext_gelu"]

    struct Facts: Decodable {
        var params: Int
        var buffers: Int
        var macs: Int
        var output: [Int]
    }

    static func facts(_ model: String) throws -> Facts {
        let data = try Data(contentsOf: Fixtures.directory.appendingPathComponent("inceptionnext_fixtures.json"))
        guard let f = try JSONDecoder().decode([String: Facts].self, from: data)[model] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return f
    }

    /// Layer kinds in tree order, a block as `join(branch kinds | ...)`.
    static func kinds(_ layers: [Layer]) -> [String] {
        layers.map { l in
            guard let b = l.op.block else { return l.op.kind.rawValue }
            return "\(b.join.kind.rawValue)("
                + b.branches.map { kinds($0.layers).joined(separator: ",") }.joined(separator: " | ") + ")"
        }
    }

    @Test(arguments: models)
    func countsEqualTheGraphs(_ name: String) throws {
        let model = try Fixtures.importModel(name + ".onnx")
        let facts = try Self.facts(name)
        let analysis = Analysis(model.layout)
        #expect(analysis.errors.isEmpty)
        // 877 params counted from the graph (torch's 909 less the 2·8·2 of the two batchnorms the
        // exporter folds into the convs before them), no buffers left, 27,448 MACs (convs and linears).
        #expect(analysis.totals.params == facts.params && facts.params == 877)
        #expect(analysis.totals.buffers == facts.buffers)
        #expect(analysis.totals.macs == facts.macs && facts.macs == 27_448)
        #expect(analysis.output.map { $0.channels * $0.height * $0.width } == facts.output.dropFirst().reduce(1, *))
    }

    /// The structure of the tiny net: stem conv; x + γ·fc2(gelu(fc1(dwconv(x)))) (the BN after the
    /// depthwise conv folded into it; the residual branch first, as the Add reads it); LayerNorm2d;
    /// pool, fc1, gelu, LayerNorm, fc2.
    @Test(arguments: models)
    func structureAndEpsilons(_ name: String) throws {
        let layout = try Fixtures.importModel(name + ".onnx").layout
        #expect(
            Self.kinds(layout.layers) == [
                "conv", "sum(conv,conv,gelu,conv,layerscale | )", "layernorm", "globalavgpool",
                "linear", "gelu", "layernorm", "linear",
            ])
        // timm's LayerNorm2d and MlpClassifierHead's norm both use eps 1e-6 (the float the file holds).
        let eps = layout.layers.compactMap { if case .layernorm(let e) = $0.op { return e } else { return nil } }
        #expect(eps == [1e-6, 1e-6])
    }

    @Test(arguments: models)
    func ownWeightsMatchOnnxruntime(_ name: String) throws {
        let model = try Fixtures.importModel(name + ".onnx")
        let input = try NpyFile.read(Fixtures.path("input_\(name).npy"))
        let expected = try NpyFile.read(Fixtures.path("output_\(name).npy"))
        let ours = try Self.run(model.layout, .memory(model.weights), input.values)
        #expect(ours.count == expected.values.count)
        let scale = expected.values.map { abs($0) }.max() ?? 1
        let diff = zip(ours, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(diff / scale <= 1e-4, "max |Δ| / max |y| = \(diff / scale)")
        // The imported γ and β matter: with torch's initial values (γ 1, β 0) for every layer norm and
        // layer scale and the file's other weights, the output is another one.
        var layers = model.weights.layers
        for (path, e) in layers where e.weightShape.count == 1 && e.batchNorm == nil {
            layers[path] = .init(
                weightShape: e.weightShape, weight: .init(repeating: 1, count: e.weight.count),
                bias: e.bias.map { .init(repeating: 0, count: $0.count) })
        }
        #expect(
            layers.count == model.weights.layers.count && layers.values.filter { $0.weightShape.count == 1 }.count == 3)
        let plain = try Self.run(model.layout, .memory(ModelWeights(origin: "test", layers: layers)), input.values)
        #expect(zip(plain, expected.values).map { abs($0 - $1) }.max()! / scale > 1e-2)
    }

    /// An imported model exported back to ONNX keeps its weights: the re-import computes the same.
    @Test func exportedBackKeepsTheWeights() throws {
        let model = try Fixtures.importModel("tiny_inceptionnext_erf.onnx")
        let r = try ONNXExporter.export(model.layout, weights: .model(model.weights, fallbackSeed: 0), command: "test")
        let back = try ONNXImporter.importModel(r.bytes, file: "back.onnx")
        #expect(Self.kinds(back.layout.layers) == Self.kinds(model.layout.layers))
        let input = try NpyFile.read(Fixtures.path("input_tiny_inceptionnext_erf.npy"))
        let a = try Self.run(model.layout, .memory(model.weights), input.values)
        let b = try Self.run(back.layout, .memory(back.weights), input.values)
        #expect(a == b)
    }

    /// The Erf chain with 2 where GELU adds 1 computes something else: refused at the Add, in one line
    /// that also counts the chain's Mul of two computed tensors, which then maps to nothing either.
    @Test func aNearMissErfChainIsRefused() throws {
        let path = Fixtures.path("bad_gelu_chain.onnx")
        #expect(
            throws: ONNXImportError(
                description: path + ": node \"act/Add\" (Add): an Erf chain with 2.0 where GELU's "
                    + "x·0.5·(1 + erf(x/√2)) has 1; only GELU maps; first of 2 blockers in graph order "
                    + "(an Add), the others: 1 Mul joining 2 tensors")
        ) { try ModelLoader.importFile(path) }
    }

    /// The same chain dividing one tensor and multiplying another is no GELU either; nor is an Erf
    /// outside the chain, nor GELU's tanh approximation.
    @Test func otherErfGraphsAreRefused() throws {
        func constant(_ name: String, _ v: Float) -> Onnx_NodeProto {
            var n = ONNXImportErrorTests.node("Constant", [], [name], name)
            var a = Onnx_AttributeProto()
            a.name = "value"
            a.type = .tensor
            a.t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            a.t.floatData = [v]
            n.attribute = [a]
            return n
        }
        let node = ONNXImportErrorTests.node
        var graph = Onnx_GraphProto()
        graph.node = [
            constant("r2", Float(2.0.squareRoot())), constant("one", 1), constant("half", 0.5),
            node("Relu", ["x"], ["z"], "other"),
            node("Div", ["z", "r2"], ["d"], "act/Div"), node("Erf", ["d"], ["e"], "act/Erf"),
            node("Add", ["e", "one"], ["a"], "act/Add"), node("Mul", ["x", "a"], ["m"], "act/Mul"),
            node("Mul", ["m", "half"], ["y"], "act/Mul_1"),
        ]
        var bytes = try Fixtures.serialized(graph, input: [1, 2, 3, 3], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx", node: "act/Mul", op: "Mul",
                "an Erf chain that multiplies \"x\", not the tensor "
                    + "it divides; only GELU's x·0.5·(1 + erf(x/√2)) maps")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
        graph.node = [node("Erf", ["x"], ["y"], "lone")]
        bytes = try Fixtures.serialized(graph, input: [1, 2, 3, 3], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx", node: "lone", op: "Erf",
                "Erf maps only inside GELU's Erf chain "
                    + "x·0.5·(1 + erf(x/√2)) (Div, Erf, Add, Mul, Mul)")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
        var tanh = node("Gelu", ["x"], ["y"], "approx")
        var a = Onnx_AttributeProto()
        a.name = "approximate"
        a.type = .string
        a.s = Data("tanh".utf8)
        tanh.attribute = [a]
        graph.node = [tanh]
        bytes = try Fixtures.serialized(graph, input: [1, 2, 3, 3], output: "y", opset: 20)
        #expect(
            throws: ONNXImportError(
                file: "m.onnx", node: "approx", op: "Gelu",
                "GELU with approximate \"tanh\" does not map "
                    + "(only the exact erf form)")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
    }

    /// What only looks like a layer norm over channels or a layer scale is refused, not guessed: a
    /// LayerNormalization from axis 1 of an N×C×H×W tensor normalizes over C·H·W; a Transpose alone
    /// is no layer norm; a Mul by a [C] initializer on N×C×H×W broadcasts along W, not the channels
    /// (here C = W = 3, so the shapes alone would fit).
    @Test func lookalikesAreRefused() throws {
        let node = ONNXImportErrorTests.node
        func tensor(_ name: String, _ dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
            var t = Onnx_TensorProto()
            t.name = name
            t.dims = dims
            t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            t.floatData = values
            return t
        }
        var graph = Onnx_GraphProto()
        graph.initializer = [tensor("g", [3], [1, 2, 3]), tensor("b", [3], [0, 0, 0])]
        var ln = node("LayerNormalization", ["x", "g", "b"], ["y"], "ln")
        var axis = Onnx_AttributeProto()
        axis.name = "axis"
        axis.type = .int
        axis.i = 1
        ln.attribute = [axis]
        graph.node = [ln]
        var bytes = try Fixtures.serialized(graph, input: [1, 3, 3, 3], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx", node: "ln", op: "LayerNormalization",
                "a layer norm from axis 1 of a 4-D tensor; "
                    + "only over the channels maps (on N×C×H×W: Transpose to channels last, LayerNormalization on "
                    + "the last axis, Transpose back)")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
        var perm = Onnx_AttributeProto()
        perm.name = "perm"
        perm.type = .ints
        perm.ints = [0, 2, 3, 1]
        var t = node("Transpose", ["x"], ["y"], "t")
        t.attribute = [perm]
        graph.node = [t]
        bytes = try Fixtures.serialized(graph, input: [1, 3, 3, 3], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx", node: "t", op: "Transpose",
                "a Transpose maps only around a LayerNormalization "
                    + "over channels (perm [0, 2, 3, 1], then LayerNormalization, then perm [0, 3, 1, 2])")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
        graph.node = [node("Mul", ["x", "g"], ["y"], "scale_w")]
        bytes = try Fixtures.serialized(graph, input: [1, 3, 3, 3], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx", node: "scale_w", op: "Mul",
                "a Mul maps only as a scalar scale right before a "
                    + "residual Add, or as a per-channel scale by an initializer of shape [C, 1, 1] (a layer scale)")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
    }

    static func run(_ layout: Layout, _ weights: WeightSource, _ x: [Float]) throws -> [Float] {
        let plan = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 1, threads: 1, weights: weights))
        try plan.setInput(x)
        _ = plan.runOnce(threads: 1)
        return plan.outputValues()
    }
}
