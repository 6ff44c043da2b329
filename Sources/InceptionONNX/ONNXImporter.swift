import Foundation
import InceptionCore
import InceptionWeights
import SwiftProtobuf

/// ONNX model → `inception-layout/1` layout and the model's own weights. See the README's
/// "Your own model" section for what maps; everything else is refused with one line naming the
/// file and the node.
public enum ONNXImporter {
    /// An imported model: the layout and its weights by node path (batchnorm statistics kept, folded
    /// with the file's epsilon when a plan asks).
    public struct Model: Sendable {
        public var layout: Layout
        public var weights: ModelWeights
    }

    /// Imports the model file `bytes` read from `file` (the name errors carry; external data is
    /// looked up beside it).
    public static func importModel(_ bytes: some SwiftProtobufContiguousBytes, file: String) throws(ONNXImportError) -> Model {
        var graph = try makeGraph(bytes, file: file)
        return try importGraph(&graph, file: file)
    }

    /// Parses and indexes; the model message is dropped here, so only the index holds the weights.
    static func makeGraph(_ bytes: some SwiftProtobufContiguousBytes, file: String) throws(ONNXImportError) -> ONNXGraph {
        let model = try parseModel(bytes, file: file)
        let opset = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 1
        var g = model.graph
        let info = GraphInfo(inputs: g.input, outputs: g.output,
                             producer: model.producerName.isEmpty ? nil : model.producerName + " " + model.producerVersion)
        g.input = []
        g.output = []
        var graph = ONNXGraph(g, opset: opset, file: file)
        graph.info = info
        return graph
    }

    static func importGraph(_ graph: inout ONNXGraph, file: String) throws(ONNXImportError) -> Model {
        for (i, n) in graph.nodes.enumerated() {
            let defaultDomain = n.domain.isEmpty || n.domain == "ai.onnx"
            guard defaultDomain, GraphWalker.supportedOps.contains(n.opType) else {
                throw graph.error(i, (defaultDomain ? "" : "domain \"\(n.domain)\": ")
                                  + "unsupported op (supported: \(GraphWalker.supportedOps.joined(separator: ", ")))")
            }
        }
        let (input, shape) = try imageInput(graph)
        let outputs = graph.info.outputs
        guard outputs.count == 1 else {
            throw ONNXImportError(file: file, "the graph has \(outputs.count) outputs (\(outputs.map(\.name).joined(separator: ", "))); "
                                  + "only one maps (export the model in eval mode, without aux heads)")
        }
        var walker = GraphWalker(graph: graph, input: input)
        graph.tensors = [:]  // the walker holds the only copy now, and frees each weight after its last use
        var state = FlowState(shape: shape)
        walker.findBlockRoots()
        let ir = try walker.convert(try walker.steps(from: input, to: outputs[0].name), state: &state)
        guard !ir.isEmpty else { throw ONNXImportError(file: file, "the graph has no layers that map") }
        for (i, count) in walker.visits.enumerated() where !walker.graph.isWeightNode(i) && count != 1 {
            throw walker.graph.error(i, count == 0
                ? "is not on the way from the input to the output (a side branch or a second output does not map)"
                : "is on two branches; only branches that meet at one Concat map")
        }
        try checkOutput(outputs[0], layoutOutput: state.shape, file: file)
        var namer = LayerNamer(graph: walker.graph)
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let layout = Layout(name: stem.isEmpty ? "onnx model" : stem,
                            description: "Imported from \((file as NSString).lastPathComponent)"
                                + (graph.info.producer.map { " (\($0), opset \(graph.opset))" } ?? " (opset \(graph.opset))"),
                            input: shape, layers: namer.layers(ir, prefix: "", taken: []))
        do {
            _ = try LayoutCodec.decode(LayoutCodec.encode(layout))
        } catch {
            throw ONNXImportError(file: file, "the imported layout is not valid: \(error)")
        }
        if let e = Analysis(layout).errors.first { throw ONNXImportError(file: file, "the imported layout is not valid: \(e)") }
        return Model(layout: layout, weights: ModelWeights(origin: file, layers: namer.weights))
    }

    /// The one graph input that is not an initializer (old exporters list initializers as inputs
    /// too): float32 [N, C, H, W] with C, H, W known; N may be symbolic (`batch_size`) and reads as 1.
    static func imageInput(_ graph: ONNXGraph) throws(ONNXImportError) -> (String, Shape) {
        let inputs = graph.info.inputs.filter { !graph.isWeight($0.name) }
        guard inputs.count == 1, let x = inputs.first else {
            throw ONNXImportError(file: graph.file, "the graph has \(inputs.count) inputs that are not weights"
                                  + (inputs.isEmpty ? "" : " (\(inputs.map(\.name).joined(separator: ", ")))") + "; one image input maps")
        }
        let t = x.type.tensorType
        guard case .tensorType? = x.type.value, t.elemType == Onnx_TensorProto.DataType.float.rawValue else {
            throw ONNXImportError(file: graph.file, "input \"\(x.name)\" is not a float32 tensor")
        }
        let dims = t.shape.dim
        guard dims.count == 4 else {
            throw ONNXImportError(file: graph.file, "input \"\(x.name)\" has \(dims.count) dimensions; an N×C×H×W image maps")
        }
        var chw: [Int] = []
        for d in dims.dropFirst() {
            guard case .dimValue(let v)? = d.value, v >= 1, v <= 1 << 24 else {
                throw ONNXImportError(file: graph.file, "input \"\(x.name)\": C, H and W must be fixed numbers (got "
                                      + dims.map { d in d.dimParam.isEmpty ? String(d.dimValue) : d.dimParam }.joined(separator: "×") + ")")
            }
            chw.append(Int(v))
        }
        // Each side is at most 2^24, so the product can pass 64 bits: checked, not `*`.
        guard let elements = Checked.product(chw), elements <= 1 << 31 else {
            throw ONNXImportError(file: graph.file, "input \"\(x.name)\" \(chw) is too large")
        }
        return (x.name, Shape(chw[0], chw[1], chw[2]))
    }

    /// The declared output shape, where fixed, must be what the layout computes.
    static func checkOutput(_ output: Onnx_ValueInfoProto, layoutOutput s: Shape, file: String) throws(ONNXImportError) {
        let dims = output.type.tensorType.shape.dim.dropFirst()
        var fixed: [Int] = []
        for d in dims {
            guard case .dimValue(let v)? = d.value else { return }
            fixed.append(Int(v))
        }
        guard !fixed.isEmpty else { return }
        let ok = fixed.count == 3 ? fixed == s.array : fixed.reduce(1, *) == s.channels * s.height * s.width
        guard ok else {
            throw ONNXImportError(file: file, "output \"\(output.name)\" is declared \(fixed) but the layers give \(s)")
        }
    }
}

/// The graph's declared inputs and outputs and where it came from, kept beside the index.
struct GraphInfo {
    var inputs: [Onnx_ValueInfoProto] = []
    var outputs: [Onnx_ValueInfoProto] = []
    var producer: String?
}

/// A model that cannot be imported: one line naming the file and, when known, the node.
/// `model.onnx: node "gate7" (Sigmoid): unsupported op (supported: ...)`.
public struct ONNXImportError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) { self.description = description }

    public init(file: String, node: String? = nil, op: String? = nil, _ message: String) {
        var place = file
        if let node { place += ": node \"\(node)\"" + (op.map { " (\($0))" } ?? "") }
        description = place + ": " + message
    }
}
