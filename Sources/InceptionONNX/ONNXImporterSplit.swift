import InceptionCore

/// The split join on import: a `Concat` whose inputs all come, in order, from the outputs of one
/// `Split` on the channel axis of the block's input (InceptionNeXt's `torch.split` → branches →
/// `torch.cat`). Each Split output starts one branch; an output that goes straight to the Concat
/// is an identity slice (a branch with no layers).
extension GraphWalker {
    /// The split block Concat `c` closes, or nil when its inputs do not start at a Split of `root`
    /// (then it is a concat block). A Split that feeds only some of the inputs, or feeds them out
    /// of order, is refused at the Concat.
    mutating func splitBlock(_ c: Int, root: String, state: inout FlowState) throws(ONNXImportError) -> IRLayer? {
        let inputs = graph.nodes[c].input
        // Per Concat input: the tensor its chain starts from right after `root`.
        var starts: [String] = []
        for x in inputs {
            var t = x
            while let (_, previous) = try stepBack(t), previous != root { t = previous }
            starts.append(t)
        }
        let splits = starts.map { graph.producer[$0] }.map { p in
            p.flatMap { graph.nodes[$0].opType == "Split" ? $0 : nil }
        }
        guard let s = splits.compactMap({ $0 }).first else { return nil }
        let outputs = graph.nodes[s].output
        guard splits.allSatisfy({ $0 == s }), outputs.count == inputs.count, starts == outputs else {
            throw graph.error(
                c,
                "its inputs do not read the outputs of Split \(FileText.quoted(graph.label(s))) one each, in order; "
                    + "only that maps to a split block")
        }
        let axis = try graph.int(s, "axis", default: 0)
        guard axis == 1 || axis == -3 else {
            throw graph.error(s, "splits axis \(axis); only the channel axis (1) maps to a split block")
        }
        let sizes = try splitSizes(s, channels: state.shape.channels)
        visit(s)
        for name in graph.nodes[s].input.dropFirst() where graph.isWeight(name) {
            graph.release(name, uses: &pendingUses)
        }
        let input = state
        var branches: [IRBranch] = []
        for (i, x) in inputs.enumerated() {
            var slice = input
            slice.shape = Shape(sizes[i], input.shape.height, input.shape.width)
            let layers = x == outputs[i] ? [] : try convert(try steps(from: outputs[i], to: x), state: &slice)
            guard slice.rank == 4 else {
                throw graph.error(c, "concatenates flattened tensors; only N×C×H×W maps to a split block")
            }
            branches.append(IRBranch(layers: layers))
        }
        var layer = IRLayer(
            op: .block(Block(branches: [], join: .split(sizes: sizes))), nodes: [c], weights: nil,
            branches: branches)
        layer.op = layer.plainLayer.op
        state = input
        state.shape = try outputShape(of: layer.op, input: input.shape, node: c)
        state.nonNegative = false
        return layer
    }

    /// A Split's sizes: its second input (opset 13 and later), its `split` attribute (before 13),
    /// or, with neither, equal parts as ONNX defines them (ceil(C / outputs), the last one smaller).
    private func splitSizes(_ s: Int, channels: Int) throws(ONNXImportError) -> [Int] {
        let node = graph.nodes[s]
        let raw: [Int64]
        if node.input.count > 1, !node.input[1].isEmpty {
            raw = try graph.int64s(node.input[1], node: s, what: "split sizes")
        } else if let v = try graph.ints(s, "split") {
            raw = v
        } else {
            let n = node.output.count
            guard n >= 1, channels >= n else {
                throw graph.error(s, "cannot split \(channels) channels into \(n) outputs")
            }
            let chunk = (channels + n - 1) / n
            return (0..<n).map { $0 < n - 1 ? chunk : channels - chunk * (n - 1) }
        }
        guard raw.count == node.output.count, raw.allSatisfy({ $0 >= 1 && $0 <= Int64(LayoutLimits.maxChannels) })
        else {
            throw graph.error(
                s, "split sizes \(raw) do not give each of its \(node.output.count) outputs a positive channel count")
        }
        return raw.map { Int($0) }
    }
}
