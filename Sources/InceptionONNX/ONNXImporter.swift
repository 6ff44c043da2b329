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
    public static func importModel(
        _ bytes: some SwiftProtobufContiguousBytes, file: String
    ) throws(ONNXImportError) -> Model {
        var graph = try makeGraph(bytes, file: file)
        return try importGraph(&graph, file: file)
    }

    /// Parses and indexes; the model message is dropped here, so only the index holds the weights.
    static func makeGraph(_ bytes: some SwiftProtobufContiguousBytes, file: String) throws(ONNXImportError) -> ONNXGraph
    {
        let model = try parseModel(bytes, file: file)
        let opset = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 1
        var g = model.graph
        let producer =
            FileText.stripped(model.producerName, limit: maxProducerLength)
            + " " + FileText.stripped(model.producerVersion, limit: 40)
        let info = GraphInfo(
            inputs: g.input, outputs: g.output,
            producer: model.producerName.isEmpty ? nil : producer.trimmingCharacters(in: .whitespaces))
        g.input = []
        g.output = []
        var graph = ONNXGraph(g, opset: opset, file: file)
        graph.info = info
        return graph
    }

    /// The most characters of the model's `producer_name` the layout's description keeps (its
    /// controls dropped): a name of 40 MB once made `import -o` write a layout over the format's
    /// 32 MiB limit, and a gigabyte of NULs blew up as escaped JSON.
    static let maxProducerLength = 200

    /// Structure first, then weights: a model with external data is walked once without reading
    /// any of it (every node, shape, bias shape and the declared output checked; every external
    /// tensor resolved, confined and sized against the file and this machine's memory), and only
    /// a model that passes is walked again, reading. A 1 KB model naming 13 GB of external weights,
    /// or one whose bias does not fit its 3 GB conv, is refused before a byte of them is read.
    static func importGraph(_ graph: inout ONNXGraph, file: String) throws(ONNXImportError) -> Model {
        if graph.readsExternalData, graph.tensors.values.contains(where: { $0.dataLocation == .external }) {
            var structure = graph
            structure.readsExternalData = false
            _ = try importGraph(&structure, file: file)
            try checkExternalTotal(graph)
        }
        return try importOnce(&graph, file: file)
    }

    private static func importOnce(_ graph: inout ONNXGraph, file: String) throws(ONNXImportError) -> Model {
        let unsupported = ImportBlockers.unsupportedOps(graph)
        if let first = unsupported.first {
            throw ImportBlockers(graph: graph, found: unsupported).error(first: first)
        }
        let (input, shape) = try imageInput(graph)
        let outputs = graph.info.outputs
        guard outputs.count == 1 else {
            throw ONNXImportError(
                file: file,
                "the graph has \(outputs.count) outputs (\(FileText.list(outputs.map(\.name)))); "
                    + "only one maps (export the model in eval mode, without aux heads)")
        }
        var walker = GraphWalker(graph: graph, input: input)
        graph.tensors = [:]  // the walker holds the only copy now, and frees each weight after its last use
        var state = FlowState(shape: shape)
        walker.findBlockRoots()
        let ir: [IRLayer]
        do {
            ir = try walker.convert(try walker.steps(from: input, to: outputs[0].name), state: &state)
        } catch {
            // The walk stops at the first node it cannot map, in its own order (back from the
            // output): the message names the first blocker in graph order and counts the rest. The
            // walk's own error goes first so that, at a node both name, its specific reason wins.
            throw ImportBlockers(graph: walker.graph, found: [error] + walker.joinErrors).error(first: error)
        }
        walkWork?.add(walker.walkWork)
        guard !ir.isEmpty else { throw ONNXImportError(file: file, "the graph has no layers that map") }
        for (i, count) in walker.visits.enumerated() where !walker.graph.isWeightNode(i) && count != 1 {
            throw walker.graph.error(
                i,
                count == 0
                    ? "is not on the way from the input to the output (a side branch or a second output does not map)"
                    : "is on two branches; only branches that meet at one Concat map")
        }
        try checkOutput(outputs[0], layoutOutput: state.shape, file: file)
        var namer = LayerNamer(graph: walker.graph)
        // The file's name names the layout, under the format's rule: a bidi control or other
        // control character in it is dropped (the layout would not load again otherwise).
        let stem = NodeNameRule.cleaned(((file as NSString).lastPathComponent as NSString).deletingPathExtension)
        let layout = Layout(
            name: stem.isEmpty ? "onnx model" : stem,
            description: "Imported from \((file as NSString).lastPathComponent)"
                + (graph.info.producer.map { " (\($0), opset \(graph.opset))" } ?? " (opset \(graph.opset))"),
            input: shape, layers: namer.layers(ir, prefix: ""))
        do {
            _ = try LayoutCodec.decode(LayoutCodec.encode(layout))
        } catch {
            throw ONNXImportError(file: file, "the imported layout is not valid: \(error)")
        }
        if let e = Analysis(layout).errors.first {
            throw ONNXImportError(file: file, "the imported layout is not valid: \(e)")
        }
        return Model(layout: layout, weights: ModelWeights(origin: file, layers: namer.weights))
    }

    /// The one graph input that is not an initializer (old exporters list initializers as inputs
    /// too): float32 [N, C, H, W] with C, H, W known; N may be symbolic (`batch_size`) and reads as 1.
    static func imageInput(_ graph: ONNXGraph) throws(ONNXImportError) -> (String, Shape) {
        let inputs = graph.info.inputs.filter { !graph.isWeight($0.name) }
        guard inputs.count == 1, let x = inputs.first else {
            throw ONNXImportError(
                file: graph.file,
                "the graph has \(inputs.count) inputs that are not weights"
                    + (inputs.isEmpty ? "" : " (\(FileText.list(inputs.map(\.name))))") + "; one image input maps")
        }
        let t = x.type.tensorType
        guard case .tensorType? = x.type.value, t.elemType == Onnx_TensorProto.DataType.float.rawValue else {
            throw ONNXImportError(file: graph.file, "input \(FileText.quoted(x.name)) is not a float32 tensor")
        }
        let dims = t.shape.dim
        guard dims.count == 4 else {
            throw ONNXImportError(
                file: graph.file, "input \(FileText.quoted(x.name)) has \(dims.count) dimensions; an N×C×H×W image maps"
            )
        }
        var chw: [Int] = []
        for d in dims.dropFirst() {
            guard case .dimValue(let v)? = d.value, v >= 1, v <= 1 << 24 else {
                throw ONNXImportError(
                    file: graph.file,
                    "input \(FileText.quoted(x.name)): C, H and W must be fixed numbers (got "
                        + dims.map { d in d.dimParam.isEmpty ? String(d.dimValue) : FileText.quoted(d.dimParam) }
                        .joined(separator: "×") + ")")
            }
            chw.append(Int(v))
        }
        // Each side is at most 2^24, so the product can pass 64 bits: checked, not `*`.
        guard let elements = Checked.product(chw), elements <= 1 << 31 else {
            throw ONNXImportError(file: graph.file, "input \(FileText.quoted(x.name)) \(chw) is too large")
        }
        return (x.name, Shape(chw[0], chw[1], chw[2]))
    }

    /// The external weights the walk will read (each one a node reads, once), together, must fit
    /// in this machine's memory; each alone was checked as the structural pass met it.
    static func checkExternalTotal(_ graph: ONNXGraph) throws(ONNXImportError) {
        var read = Set<String>()
        for (i, n) in graph.nodes.enumerated() where !graph.isWeightNode(i) {
            for name in n.input where graph.isWeight(name) { read.insert(graph.aliasTarget(name)) }
        }
        var total = 0
        for name in read {
            guard let t = graph.tensors[name], t.dataLocation == .external else { continue }
            total = Checked.saturatingAdd(
                total, Checked.saturatingMul(Checked.product(t.dims.map { max(0, Int(clamping: $0)) }) ?? .max, 4))
        }
        let memory = PhysicalMemory.bytes
        guard total <= memory else {
            throw ONNXImportError(
                file: graph.file,
                "the external weights total \(NumberFormat.grouped(total)) bytes, "
                    + "more than this machine's memory (\(NumberFormat.grouped(memory)) bytes)")
        }
    }

    /// The declared output shape, where fixed, must be what the layout computes. Products are
    /// checked: a declared [1, 2^40, 2^40] passes 64 bits (it trapped, issue 19 item 3).
    static func checkOutput(_ output: Onnx_ValueInfoProto, layoutOutput s: Shape, file: String) throws(ONNXImportError)
    {
        let dims = output.type.tensorType.shape.dim.dropFirst()
        var fixed: [Int] = []
        for d in dims {
            guard case .dimValue(let v)? = d.value else { return }
            fixed.append(Int(v))
        }
        guard !fixed.isEmpty else { return }
        let declared = Checked.product(fixed)
        let ok = fixed.count == 3 ? fixed == s.array : declared != nil && declared == Checked.product(s.array)
        guard ok else {
            throw ONNXImportError(
                file: file, "output \(FileText.quoted(output.name)) is declared \(fixed) but the layers give \(s)")
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
    /// The index of the node it names in the graph's node list (graph order), when it names one.
    var nodeIndex: Int?

    /// Errors are equal when they say the same.
    public static func == (a: ONNXImportError, b: ONNXImportError) -> Bool { a.description == b.description }

    public init(description: String) { self.description = description }

    /// `node` and `op` come from the model file and are quoted here (`FileText`), the path is shown
    /// as every message shows one (`PathText`); `message` must already quote any file text it holds.
    public init(file: String, node: String? = nil, op: String? = nil, _ message: String) {
        var place = PathText.shown(file)
        if let node { place += ": node \(FileText.quoted(node))" + (op.map { " (\(FileText.word($0)))" } ?? "") }
        description = place + ": " + message
    }
}
