import Foundation

/// An index over one ONNX graph: who produces and who consumes each tensor, which names are
/// weights (initializers, `Constant` outputs, and `Identity` nodes that only re-point at them — how
/// torch.onnx.export shares deduplicated initializers), and which nodes carry data.
struct ONNXGraph {
    let file: String
    let nodes: [Onnx_NodeProto]
    let opset: Int64
    /// Tensor name → index of the node that writes it (data nodes only).
    private(set) var producer: [String: Int] = [:]
    /// Weight tensors by name (initializers and Constant values), taken out of the model so they
    /// can be freed as soon as their last consumer has been converted.
    var tensors: [String: Onnx_TensorProto] = [:]
    /// `Identity` outputs that name a weight → the weight's name.
    private(set) var aliases: [String: String] = [:]
    /// Nodes that are weights, not data (Constant, Identity of a weight).
    private(set) var weightNodes: Set<Int> = []
    /// Declared inputs and outputs, producer.
    var info = GraphInfo()
    /// Whether external data is read; off for the structural pass (`ONNXImporter.importGraph`),
    /// which resolves, confines and sizes every external tensor but reads none.
    var readsExternalData = true

    init(_ graph: Onnx_GraphProto, opset: Int64, file: String) {
        self.file = file
        nodes = graph.node
        self.opset = opset
        for t in graph.initializer { tensors[t.name] = t }
        for (i, n) in nodes.enumerated() {
            if n.opType == "Constant", n.domain.isEmpty || n.domain == "ai.onnx", n.output.count == 1,
                let value = n.attribute.first(where: { $0.name == "value" }), value.hasT
            {
                tensors[n.output[0]] = value.t
                weightNodes.insert(i)
            } else if n.opType == "Identity", n.input.count == 1, n.output.count == 1,
                tensors[n.input[0]] != nil || aliases[n.input[0]] != nil
            {
                aliases[n.output[0]] = aliases[n.input[0]] ?? n.input[0]
                weightNodes.insert(i)
            }
        }
        for (i, n) in nodes.enumerated() where !weightNodes.contains(i) {
            for o in n.output where !o.isEmpty { producer[o] = i }
        }
    }

    func isWeightNode(_ i: Int) -> Bool { weightNodes.contains(i) }

    /// Drops the bytes of `name`'s weight once nothing else needs it (`uses` counts the readers left).
    mutating func release(_ name: String, uses: inout [String: Int]) {
        let target = aliasTarget(name)
        guard let left = uses[target] else { return }
        if left <= 1 {
            uses[target] = nil
            tensors[target] = nil
        } else {
            uses[target] = left - 1
        }
    }

    /// Whether `name` is a weight (an initializer, a Constant, or an Identity of one).
    func isWeight(_ name: String) -> Bool { tensors[aliases[name] ?? name] != nil }

    /// The name of the weight `name` points at (itself unless it is an Identity alias).
    func aliasTarget(_ name: String) -> String { aliases[name] ?? name }

    /// The weight tensor `name` points at, following Identity aliases.
    func weight(_ name: String) -> Onnx_TensorProto? { tensors[aliases[name] ?? name] }

    /// What messages call node `i`: its name, else its first output.
    func label(_ i: Int) -> String {
        let n = nodes[i]
        return !n.name.isEmpty ? n.name : (n.output.first.map { "output \($0)" } ?? "#\(i)")
    }

    func error(_ i: Int, _ message: String) -> ONNXImportError {
        var e = ONNXImportError(file: file, node: label(i), op: nodes[i].opType, message)
        e.nodeIndex = i
        return e
    }

    /// The node's data inputs (weights and omitted optional inputs left out).
    func dataInputs(_ i: Int) -> [String] { nodes[i].input.filter { !$0.isEmpty && !isWeight($0) } }
}
