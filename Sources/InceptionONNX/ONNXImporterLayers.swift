import InceptionCore
import InceptionWeights

/// ONNX nodes along one chain → layout layers. Conv [+ BatchNormalization] [+ Relu] is one conv;
/// Gemm or MatMul [+ Add] [+ Relu] one linear; a zero Pad folds into the conv or pool after it;
/// Flatten, Reshape to [N, -1] and Identity vanish (the layout's linear flattens by itself).
/// InceptionNeXt's layers: `Gelu` or torch's Erf chain (a `ChainStep.gelu`) → gelu;
/// `LayerNormalization` over channels (on a linear's [N, C], or between the two Transposes of timm's
/// LayerNorm2d) → layernorm; a `Mul` by a per-channel initializer → layerscale, γ and β kept.
extension GraphWalker {
    static let supportedOps = [
        "Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool",
        "LRN", "Softmax", "Dropout", "Identity", "Flatten", "Reshape", "Gemm", "MatMul", "Add",
        "Pad", "Concat", "Constant", "ReduceMean", "Mul", "Split", "Gelu", "LayerNormalization",
        "Transpose", "Div", "Erf", "ReduceL2", "Clip", "Expand", "Shape", "LpNormalization",
    ]

    mutating func convert(_ steps: [ChainStep], state: inout FlowState) throws(ONNXImportError) -> [IRLayer] {
        var out: [IRLayer] = []
        var i = 0
        var pad: (node: Int, h: Int, w: Int)?
        /// The node at step `k` when it is an `op` node.
        func node(_ k: Int, _ op: String) -> Int? {
            guard k < steps.count, case .node(let n) = steps[k], graph.nodes[n].opType == op else { return nil }
            return n
        }
        /// Takes the next step into the layer being built when it is an `op` node (the BatchNormalization
        /// or Relu after a conv, the Add or Relu after a MatMul).
        func absorb(_ op: String, into nodes: inout [Int]) -> Int? {
            guard let m = node(i + 1, op) else { return nil }
            visit(m)
            nodes.append(m)
            i += 1
            return m
        }
        while i < steps.count {
            defer { i += 1 }
            if case .gelu(let nodes) = steps[i] {
                if let pad {
                    throw graph.error(
                        pad.node, "a Pad maps only in front of a Conv, MaxPool or AveragePool (here: GELU)")
                }
                nodes.forEach { visit($0) }
                try append(IRLayer(op: .gelu, nodes: nodes), &out, &state, at: nodes[nodes.count - 1])
                state.nonNegative = false
                continue
            }
            guard case .node(let n) = steps[i] else {
                guard case .block(let c) = steps[i] else { continue }
                try expect4D(state, at: c)
                var layer = try block(c, state: &state)
                // A Relu right after a residual Add is the sum's activation.
                if case .sum? = layer.op.block?.join, let r = node(i + 1, "Relu") {
                    visit(r)
                    i += 1
                    layer.nodes.append(r)
                    layer.op = .block(Block(branches: layer.op.block!.branches, join: .sum(activation: .relu)))
                    state.nonNegative = true
                }
                out.append(layer)
                continue
            }
            visit(n)
            let op = graph.nodes[n].opType
            if pad != nil, !["Conv", "MaxPool", "AveragePool"].contains(op) {
                throw graph.error(pad!.node, "a Pad maps only in front of a Conv, MaxPool or AveragePool (here: \(op))")
            }
            switch op {
            case "Identity":
                continue
            case "Pad":
                guard pad == nil else { throw graph.error(n, "two Pads in a row do not map") }
                try expect4D(state, at: n)
                let p = try padAmounts(n)
                pad = (n, p.h, p.w)
                continue
            case "Conv":
                try expect4D(state, at: n)
                var (conv, weights) = try self.conv(n, state: state, extra: pad.map { ($0.h, $0.w) })
                var nodes = [n]
                if pad != nil { nodes.append(pad!.node); pad = nil }  // the op names the layer, not its Pad
                if let bn = absorb("BatchNormalization", into: &nodes) {
                    weights.batchNorm = try batchNorm(bn, channels: conv.out)
                    conv.batchnorm = true
                }
                if absorb("Relu", into: &nodes) != nil { conv.activation = .relu }
                try append(IRLayer(op: .conv(conv), nodes: nodes, weights: weights), &out, &state, at: n)
                state.nonNegative = conv.activation == .relu
            case "MaxPool", "AveragePool":
                try expect4D(state, at: n)
                let pool = try self.pool(n, state: state, extra: pad.map { ($0.h, $0.w) })
                var nodes = [n]
                if pad != nil { nodes.append(pad!.node); pad = nil }  // the op names the layer, not its Pad
                try append(
                    IRLayer(op: op == "MaxPool" ? .maxpool(pool) : .avgpool(pool), nodes: nodes), &out, &state, at: n)
            case "GlobalAveragePool":
                try expect4D(state, at: n)
                try append(IRLayer(op: .globalavgpool, nodes: [n]), &out, &state, at: n)
            case "ReduceMean":
                // The dynamo exporter's AdaptiveAvgPool2d(1): the mean over H and W.
                try expect4D(state, at: n)
                let node = graph.nodes[n]
                let axes =
                    node.input.count > 1 && !node.input[1].isEmpty
                    ? try graph.int64s(node.input[1], node: n, what: "axes") : try graph.ints(n, "axes") ?? []
                guard Set(axes.map { $0 < 0 ? $0 + 4 : $0 }) == [2, 3] else {
                    throw graph.error(
                        n, "a mean over axes \(axes) does not map (only over H and W, a global average pool)")
                }
                try append(IRLayer(op: .globalavgpool, nodes: [n]), &out, &state, at: n)
                if try graph.int(n, "keepdims", default: 1) == 0 { state.rank = 2 }
            case "LRN":
                try expect4D(state, at: n)
                let size = try graph.int(n, "size", default: 0)
                guard size >= 1, size % 2 == 1, size <= 1 << 20 else {
                    throw graph.error(n, "LRN size \(size) must be odd and ≥ 1")
                }
                let lrn = LRN(
                    size: Int(size), alpha: Double(try graph.float(n, "alpha", default: 1e-4)),
                    beta: Double(try graph.float(n, "beta", default: 0.75)),
                    k: Double(try graph.float(n, "bias", default: 1)))
                guard [lrn.alpha, lrn.beta, lrn.k].allSatisfy(\.isFinite) else {
                    throw graph.error(n, "LRN alpha, beta and bias must be finite numbers")
                }
                try append(IRLayer(op: .lrn(lrn), nodes: [n]), &out, &state, at: n)
            case "Softmax":
                let axis = try graph.int(n, "axis", default: graph.opset >= 13 ? -1 : 1)
                let channels =
                    state.rank == 2
                    ? (axis == 1 || axis == -1)
                    : (axis == 1 || axis == -3) && (graph.opset >= 13 || state.shape.height * state.shape.width == 1)
                guard channels else {
                    throw graph.error(n, "softmax on axis \(axis) of a \(state.rank)-D tensor; only over channels maps")
                }
                try append(IRLayer(op: .softmax, nodes: [n]), &out, &state, at: n)
                state.nonNegative = true
            case "Dropout":
                var rate = try graph.float(n, "ratio", default: 0.5)
                if graph.nodes[n].input.count > 1,
                    let r = try graph.scalar(graph.nodes[n].input[1], node: n, what: "ratio")
                {
                    rate = r
                }
                guard rate >= 0, rate < 1 else { throw graph.error(n, "dropout ratio \(rate) is not in [0, 1)") }
                try append(IRLayer(op: .dropout(rate: Double(rate)), nodes: [n]), &out, &state, at: n)
            case "Flatten":
                let axis = try graph.int(n, "axis", default: 1)
                guard axis == 1 || (state.rank == 4 && axis == -3) || (state.rank == 2 && axis == -1) else {
                    throw graph.error(n, "flattens from axis \(axis); only Flatten(axis 1) before a Gemm maps")
                }
                state.rank = 2
            case "Reshape":
                let shape = try graph.int64s(
                    graph.nodes[n].input.count > 1 ? graph.nodes[n].input[1] : "", node: n, what: "shape")
                let features = Int64(state.shape.channels * state.shape.height * state.shape.width)
                guard shape.count == 2, [0, 1, -1].contains(shape[0]), shape[1] == features || shape[1] == -1 else {
                    throw graph.error(n, "reshape to \(shape); only [N, \(features)] (a flatten before a Gemm) maps")
                }
                state.rank = 2
            case "Gemm", "MatMul":
                guard state.rank == 2 else { throw graph.error(n, "\(op) on a 4-D tensor; it maps after a Flatten") }
                var (linear, weights) = try self.linear(n, state: state)
                var nodes = [n]
                if op == "MatMul", let add = absorb("Add", into: &nodes) {
                    weights.bias = try biasOfAdd(add, outputs: linear.out)
                    linear.bias = true
                }
                if absorb("Relu", into: &nodes) != nil { linear.activation = .relu }
                try append(IRLayer(op: .linear(linear), nodes: nodes, weights: weights), &out, &state, at: n)
                state.nonNegative = linear.activation == .relu
            case "BatchNormalization":
                // Not absorbed by a Conv before it: a batchnorm of its own; its weight is 1, the
                // statistics carry γ, β, mean and var (folded at plan time like a conv's). On the
                // [N, C] output of a Gemm or MatMul (facenet's BatchNorm1d after its last linear) it
                // is the per-channel op on the layout's C×1×1 tensor.
                try expectChannels(state, at: n)
                let c = state.shape.channels
                let bn = try batchNorm(n, channels: c)
                let weights = ImportedLayerWeights(
                    weightShape: [c], weight: .init(repeating: 1, count: c), bias: nil, batchNorm: bn)
                try append(
                    IRLayer(op: .batchnorm(epsilon: bn.epsilon), nodes: [n], weights: weights), &out, &state, at: n)
                state.nonNegative = false
            case "Div":
                // Only the end of an L2 normalisation maps here (the walk stepped here through it); a
                // GELU's Div by √2 is taken with its Erf chain before.
                guard let chain = try L2NormChain.match(n, in: graph) else {
                    throw graph.error(
                        n,
                        "a Div maps only inside GELU's Erf chain x·0.5·(1 + erf(x/√2)) or as the end of an L2 "
                            + "normalisation (ReduceL2 → Clip → Div, F.normalize)")
                }
                try expectChannels(state, at: n)
                for m in chain.nodes.dropFirst() { visit(m) }
                try append(IRLayer(op: .l2norm(epsilon: chain.epsilon), nodes: chain.nodes), &out, &state, at: n)
                state.nonNegative = false
            case "LpNormalization":
                guard try graph.int(n, "p", default: 2) == 2,
                    [1, state.rank == 2 ? -1 : -3].contains(try graph.int(n, "axis", default: -1))
                else {
                    throw graph.error(n, "only an L2 normalisation over the channels (p 2, axis 1) maps")
                }
                try expectChannels(state, at: n)
                try append(IRLayer(op: .l2norm(epsilon: 0), nodes: [n]), &out, &state, at: n)
                state.nonNegative = false
            case "Relu":
                // Not absorbed by a Conv, Gemm or MatMul before it: a ReLU of its own.
                try append(IRLayer(op: .relu, nodes: [n]), &out, &state, at: n)
                state.nonNegative = true
            case "Gelu":
                let approximate = try graph.string(n, "approximate") ?? "none"
                guard approximate == "none" else {
                    throw graph.error(
                        n,
                        "GELU with approximate \(FileText.quoted(approximate)) does not map (only the exact erf form)")
                }
                try append(IRLayer(op: .gelu, nodes: [n]), &out, &state, at: n)
                state.nonNegative = false
            case "LayerNormalization":
                // On the [N, C] vector after a linear (InceptionNeXt's head), or over C of a C×1×1 map.
                let axis = try graph.int(n, "axis", default: -1)
                let overChannels =
                    state.rank == 2
                    ? axis == 1 || axis == -1
                    : (axis == 1 || axis == -3) && state.shape.height * state.shape.width == 1
                guard overChannels else {
                    throw graph.error(
                        n,
                        "a layer norm from axis \(axis) of a \(state.rank)-D tensor; only over the channels maps "
                            + "(on N×C×H×W: Transpose to channels last, LayerNormalization on the last axis, Transpose back)"
                    )
                }
                let (eps, weights) = try layerNorm(n, channels: state.shape.channels)
                try append(IRLayer(op: .layernorm(epsilon: eps), nodes: [n], weights: weights), &out, &state, at: n)
                state.nonNegative = false
            case "Transpose":
                // timm's LayerNorm2d: channels last, LayerNormalization over the last axis, back.
                try expect4D(state, at: n)
                guard try graph.ints(n, "perm") == [0, 2, 3, 1], let norm = node(i + 1, "LayerNormalization"),
                    let back = node(i + 2, "Transpose"), try graph.ints(back, "perm") == [0, 3, 1, 2]
                else {
                    throw graph.error(
                        n,
                        "a Transpose maps only around a LayerNormalization over channels "
                            + "(perm [0, 2, 3, 1], then LayerNormalization, then perm [0, 3, 1, 2])")
                }
                let axis = try graph.int(norm, "axis", default: -1)
                guard axis == -1 || axis == 3 else {
                    throw graph.error(
                        norm,
                        "a layer norm from axis \(axis) of a channels-last tensor; only over the last axis (the channels) maps"
                    )
                }
                visit(norm)
                visit(back)
                i += 2
                let (eps, weights) = try layerNorm(norm, channels: state.shape.channels)
                try append(
                    IRLayer(op: .layernorm(epsilon: eps), nodes: [norm, n, back], weights: weights), &out, &state,
                    at: norm)
                state.nonNegative = false
            case "Add":
                throw graph.error(
                    n, "an Add maps only as the bias right after a MatMul, or as a sum of two computed tensors")
            case "Mul":
                // InceptionNeXt's layer scale: x · γ, γ an initializer of one value per channel.
                guard let gamma = try layerScale(n, state: state) else {
                    throw graph.error(
                        n,
                        "a Mul maps only as a scalar scale right before a residual Add, or as a per-channel "
                            + "scale by an initializer of shape [C, 1, 1] (a layer scale)")
                }
                let c = gamma.count
                let weights = ImportedLayerWeights(weightShape: [c], weight: gamma, bias: nil)
                try append(IRLayer(op: .layerscale, nodes: [n], weights: weights), &out, &state, at: n)
                state.nonNegative = false
            case "Split":
                throw graph.error(
                    n, "a Split maps only as a split block: its outputs feed branches that end in one Concat, in order")
            case "Erf":
                throw graph.error(
                    n, "\(op) maps only inside GELU's Erf chain x·0.5·(1 + erf(x/√2)) (Div, Erf, Add, Mul, Mul)")
            default:
                throw graph.error(n, ImportBlockers.unsupportedMessage)
            }
        }
        if let pad { throw graph.error(pad.node, "a Pad maps only in front of a Conv, MaxPool or AveragePool") }
        return out
    }

    /// A per-channel op: N×C×H×W, or the [N, C] vector of a Gemm or MatMul (the layout's C×1×1).
    private func expectChannels(_ state: FlowState, at n: Int) throws(ONNXImportError) {
        guard state.rank == 4 || state.shape.height * state.shape.width == 1 else {
            throw graph.error(
                n,
                "needs an N×C×H×W input or the output of a Gemm or MatMul, but the tensor was flattened from \(state.shape) before it"
            )
        }
    }

    private func expect4D(_ state: FlowState, at n: Int) throws(ONNXImportError) {
        guard state.rank == 4 else {
            throw graph.error(n, "needs an N×C×H×W input, but the tensor was flattened to 2-D before it")
        }
    }

    /// Shape-checks `layer` on the current tensor (the core's own rules) and moves the state past it.
    private mutating func append(
        _ layer: IRLayer, _ out: inout [IRLayer], _ state: inout FlowState, at n: Int
    ) throws(ONNXImportError) {
        if state.rank == 2, state.shape.height * state.shape.width > 1, layer.op.kind != .linear,
            layer.op.kind != .dropout
        {
            throw graph.error(n, "follows a Flatten of a \(state.shape) tensor; only a Gemm or MatMul maps there")
        }
        state.shape = try outputShape(of: layer.op, input: state.shape, node: n)
        if case .linear = layer.op { state.rank = 2 }
        out.append(layer)
        for node in layer.nodes {
            for name in graph.nodes[node].input where graph.isWeight(name) { graph.release(name, uses: &pendingUses) }
        }
    }
}
