import InceptionCore
import InceptionWeights

/// The attributes and weights of single ONNX ops, read into layout values (with their checks).
extension GraphWalker {
    /// A Conv (dilation 1; grouped or depthwise too) and its weight and bias; `extra` is a folded Pad in front.
    func conv(_ n: Int, state: FlowState, extra: (Int, Int)?) throws(ONNXImportError) -> (Conv, ImportedLayerWeights) {
        let inputs = graph.nodes[n].input
        guard inputs.count >= 2, !inputs[1].isEmpty else { throw graph.error(n, "has no weight input") }
        let w = try graph.floats(inputs[1], node: n, what: "weight")
        guard w.dims.count == 4, w.dims.allSatisfy({ $0 > 0 }) else {
            throw graph.error(n, "weight shape \(w.dims) is not [out, in, kh, kw] (only 2-D convolutions map)")
        }
        let group = try graph.int(n, "group", default: 1)
        guard group >= 1, group <= Int64(state.shape.channels), state.shape.channels % Int(group) == 0,
            w.dims[0] % Int(group) == 0
        else {
            throw graph.error(
                n, "group \(group) does not divide its \(state.shape.channels) input and \(w.dims[0]) output channels")
        }
        if let d = try graph.pair(n, "dilations"), d != (1, 1) {
            throw graph.error(n, "dilation \(d.0)x\(d.1) does not map (only 1)")
        }
        let kernel = (w.dims[2], w.dims[3])
        if let k = try graph.pair(n, "kernel_shape"), k != kernel {
            throw graph.error(n, "kernel_shape \(k.0)x\(k.1) disagrees with the weight's \(kernel.0)x\(kernel.1)")
        }
        guard w.dims[1] * Int(group) == state.shape.channels else {
            throw graph.error(
                n,
                "weight reads \(w.dims[1] * Int(group)) input channels, but its input has \(state.shape.channels) (\(state.shape))"
            )
        }
        let stride = try strides(n)
        let pad = try pads(n, kernel: kernel, stride: stride, input: state.shape, extra: extra ?? (0, 0))
        var bias: [Float]?
        if inputs.count > 2, !inputs[2].isEmpty {
            bias = try graph.floats(inputs[2], node: n, what: "bias", shape: [w.dims[0]]).values
        }
        let conv = Conv(
            out: w.dims[0], kernel: Pair(kernel.0, kernel.1), stride: Pair(stride.0, stride.1),
            pad: .explicit(pad), bias: bias != nil, batchnorm: false, activation: .none, groups: Int(group))
        return (conv, ImportedLayerWeights(weightShape: w.dims, weight: w.values, bias: bias))
    }

    /// A MaxPool or AveragePool; a zero Pad in front folds into its pads where that is exact.
    func pool(_ n: Int, state: FlowState, extra: (Int, Int)?) throws(ONNXImportError) -> Pool {
        let isMax = graph.nodes[n].opType == "MaxPool"
        guard let kernel = try graph.pair(n, "kernel_shape"), kernel.0 >= 1, kernel.1 >= 1 else {
            throw graph.error(n, "needs a 2-D kernel_shape")
        }
        if let d = try graph.pair(n, "dilations"), d != (1, 1) {
            throw graph.error(n, "dilation \(d.0)x\(d.1) does not map (only 1)")
        }
        let stride = try strides(n)
        let own = try pads(n, kernel: kernel, stride: stride, input: state.shape, extra: (0, 0))
        let includePad = try graph.int(n, "count_include_pad", default: 0) != 0
        var countPad = isMax || includePad
        var pad = own
        if let extra, extra != (0, 0) {
            if isMax, !state.nonNegative {
                throw graph.error(n, "a zero Pad before a MaxPool folds only when its input is ≥ 0 (after a ReLU)")
            }
            if !isMax, !countPad, own != Pair(0, 0) {
                throw graph.error(
                    n, "a zero Pad before an AveragePool with its own pads and count_include_pad 0 does not map")
            }
            countPad = true
            pad = Pair(own.h + extra.0, own.w + extra.1)
        }
        return Pool(
            kernel: Pair(kernel.0, kernel.1), stride: Pair(stride.0, stride.1), pad: pad,
            ceil: try graph.int(n, "ceil_mode", default: 0) != 0, countPad: countPad)
    }

    private func strides(_ n: Int) throws(ONNXImportError) -> (Int, Int) {
        let s = try graph.pair(n, "strides") ?? (1, 1)
        guard s.0 >= 1, s.1 >= 1 else { throw graph.error(n, "stride \(s.0)x\(s.1) must be ≥ 1") }
        return s
    }

    /// Symmetric pads per axis from `pads` or `auto_pad`, plus a folded Pad's `extra`.
    private func pads(
        _ n: Int, kernel: (Int, Int), stride: (Int, Int), input: Shape,
        extra: (Int, Int)
    ) throws(ONNXImportError) -> Pair {
        let autoPad = try graph.string(n, "auto_pad") ?? "NOTSET"
        var p: (Int, Int)
        switch autoPad {
        case "NOTSET", "":
            let v = try graph.ints(n, "pads") ?? [0, 0, 0, 0]
            guard v.count == 4, v.allSatisfy({ $0 >= 0 && $0 <= 1 << 20 }) else {
                throw graph.error(n, "pads \(v) are not 2-D")
            }
            guard v[0] == v[2], v[1] == v[3] else {
                throw graph.error(
                    n, "asymmetric pads \(v) (top, left, bottom, right) do not map; the layout pads both sides alike")
            }
            p = (Int(v[0]), Int(v[1]))
        case "VALID":
            p = (0, 0)
        case "SAME_UPPER", "SAME_LOWER":
            func same(_ size: Int, _ k: Int, _ s: Int) throws(ONNXImportError) -> Int {
                let out = (size + s - 1) / s
                let total = max((out - 1) * s + k - size, 0)
                guard total % 2 == 0 else {
                    throw graph.error(
                        n,
                        "auto_pad \(autoPad) needs \(total) pad in total along an axis of \(size) here, "
                            + "one side more than the other; asymmetric pads do not map")
                }
                return total / 2
            }
            p = (try same(input.height, kernel.0, stride.0), try same(input.width, kernel.1, stride.1))
        default:
            throw graph.error(n, "unknown auto_pad \(FileText.quoted(autoPad))")
        }
        return Pair(p.0 + extra.0, p.1 + extra.1)
    }

    /// A Pad node's zero padding of H and W (symmetric), from its `pads` input (opset ≥ 11) or attribute.
    func padAmounts(_ n: Int) throws(ONNXImportError) -> (h: Int, w: Int) {
        let node = graph.nodes[n]
        let mode = try graph.string(n, "mode") ?? "constant"
        guard mode == "constant" else {
            throw graph.error(n, "Pad mode \(FileText.quoted(mode)) does not map (only constant zeros)")
        }
        let pads: [Int64]
        var value: Float = try graph.float(n, "value", default: 0)
        if node.input.count > 1, !node.input[1].isEmpty {
            pads = try graph.int64s(node.input[1], node: n, what: "pads")
            if node.input.count > 2, let v = try graph.scalar(node.input[2], node: n, what: "constant_value") {
                value = v
            }
            if node.input.count > 3, !node.input[3].isEmpty { throw graph.error(n, "Pad with axes does not map") }
        } else {
            pads = try graph.ints(n, "pads") ?? []
        }
        guard value == 0 else { throw graph.error(n, "pads with \(value), not zeros; only zero padding folds") }
        guard pads.count == 8, pads.allSatisfy({ $0 >= 0 && $0 <= 1 << 20 }) else {
            throw graph.error(n, "pads \(pads) are not 4-D N×C×H×W (or are negative)")
        }
        guard pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0 else {
            throw graph.error(n, "pads the batch or channel axis; only H and W padding folds")
        }
        guard pads[2] == pads[6], pads[3] == pads[7] else {
            throw graph.error(n, "asymmetric pads \(pads) do not map; the layout pads both sides alike")
        }
        return (Int(pads[2]), Int(pads[3]))
    }

    /// An inference BatchNormalization's statistics and epsilon.
    func batchNorm(_ n: Int, channels: Int) throws(ONNXImportError) -> ModelWeights.BatchNormValues {
        let inputs = graph.nodes[n].input
        guard inputs.count == 5 else { throw graph.error(n, "needs 5 inputs (X, scale, B, mean, var)") }
        guard try graph.int(n, "training_mode", default: 0) == 0 else {
            throw graph.error(n, "training-mode batchnorm does not map (export the model in eval mode)")
        }
        let names = ["scale", "B", "mean", "var"]
        var v: [[Float]] = []
        for (k, name) in names.enumerated() {
            v.append(try graph.floats(inputs[k + 1], node: n, what: name, shape: [channels]).values)
        }
        let eps = try graph.float(n, "epsilon", default: 1e-5).shortestDouble
        guard eps >= 0, eps.isFinite else { throw graph.error(n, "epsilon \(eps) is not a finite number ≥ 0") }
        return ModelWeights.BatchNormValues(gamma: v[0], beta: v[1], mean: v[2], variance: v[3], epsilon: eps)
    }

    /// A Gemm (A·Bᵀ or A·B, alpha = beta = 1) or MatMul on a flattened C·H·W input; the weight is
    /// returned as [out, in] whatever the file's order.
    func linear(_ n: Int, state: FlowState) throws(ONNXImportError) -> (Linear, ImportedLayerWeights) {
        let node = graph.nodes[n]
        let features = state.shape.channels * state.shape.height * state.shape.width
        guard node.input.count >= 2, !node.input[1].isEmpty, graph.isWeight(node.input[1]) else {
            throw graph.error(n, "its second input is not a weight; only a product with constant weights maps")
        }
        var transposed = false
        if node.opType == "Gemm" {
            guard try graph.int(n, "transA", default: 0) == 0 else { throw graph.error(n, "transA = 1 does not map") }
            guard try graph.float(n, "alpha", default: 1) == 1, try graph.float(n, "beta", default: 1) == 1 else {
                throw graph.error(n, "alpha or beta other than 1 does not map")
            }
            transposed = try graph.int(n, "transB", default: 0) != 0
        }
        let w = try graph.floats(node.input[1], node: n, what: "weight")
        guard w.dims.count == 2 else { throw graph.error(n, "weight shape \(w.dims) is not 2-D") }
        let (inF, outF) = transposed ? (w.dims[1], w.dims[0]) : (w.dims[0], w.dims[1])
        guard inF == features else {
            throw graph.error(
                n, "weight reads \(inF) features, but its input has \(features) (\(state.shape) flattened)")
        }
        guard outF >= 1 else { throw graph.error(n, "weight has no outputs") }
        // Empty in the structural pass (external data not read yet): nothing to transpose.
        let weight = transposed || w.values.isEmpty ? w.values : Self.transpose(w.values, rows: inF, columns: outF)
        var bias: [Float]?
        if node.opType == "Gemm", node.input.count > 2, !node.input[2].isEmpty {
            let b = try graph.floats(node.input[2], node: n, what: "bias")
            guard Checked.product(b.dims) == outF, b.dims.last == outF else {
                throw graph.error(n, "bias shape \(b.dims) does not match \(outF) outputs")
            }
            bias = b.values
        }
        return (
            Linear(out: outF, bias: bias != nil, activation: .none),
            ImportedLayerWeights(weightShape: [outF, inF], weight: weight, bias: bias)
        )
    }

    /// The bias an `Add` right after a MatMul adds: its constant input, [out] or [1, out].
    func biasOfAdd(_ n: Int, outputs: Int) throws(ONNXImportError) -> [Float] {
        guard let name = graph.nodes[n].input.first(where: { graph.isWeight($0) }) else {
            throw graph.error(n, "an Add maps only as a constant bias after a MatMul")
        }
        let b = try graph.floats(name, node: n, what: "bias")
        guard Checked.product(b.dims) == outputs, b.dims.last == outputs else {
            throw graph.error(n, "bias shape \(b.dims) does not match \(outputs) outputs")
        }
        return b.values
    }

    /// [rows, columns] → [columns, rows].
    static func transpose(_ a: [Float], rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, count in
            for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = a[r * columns + c] } }
            count = a.count
        }
    }
}

extension GraphWalker {
    /// A LayerNormalization's epsilon and its γ (`weight`) and β (`bias`; zeros when the optional
    /// input is absent), each of shape [channels]. The epsilon is the float the file holds, read as
    /// its shortest decimal (1e-06, not 9.99999997e-07), which converts back to the same float.
    func layerNorm(_ n: Int, channels: Int) throws(ONNXImportError) -> (Double, ImportedLayerWeights) {
        let inputs = graph.nodes[n].input
        guard inputs.count >= 2, !inputs[1].isEmpty else { throw graph.error(n, "needs a scale input (γ)") }
        if graph.nodes[n].output.dropFirst().contains(where: { !$0.isEmpty }) {
            throw graph.error(
                n, "a layer norm whose mean or inverse standard deviation is used does not map (inference only)")
        }
        let gamma = try graph.floats(inputs[1], node: n, what: "scale", shape: [channels]).values
        let beta =
            inputs.count > 2 && !inputs[2].isEmpty
            ? try graph.floats(inputs[2], node: n, what: "bias", shape: [channels]).values
            : .init(repeating: 0, count: channels)
        let f = try graph.float(n, "epsilon", default: 1e-5)
        guard f >= 0, f < 1, f.isFinite else { throw graph.error(n, "epsilon \(f) is not a number in [0, 1)") }
        return (Double("\(f)") ?? Double(f), ImportedLayerWeights(weightShape: [channels], weight: gamma, bias: beta))
    }

    /// The γ of a Mul that scales each channel of the one computed input by an initializer (shape
    /// [C, 1, 1] or [1, C, 1, 1] on N×C×H×W, as timm's `gamma.reshape(1, -1, 1, 1)` exports; [C] or
    /// [1, C] on a linear's [N, C]); nil for any other Mul.
    func layerScale(_ n: Int, state: FlowState) throws(ONNXImportError) -> [Float]? {
        let inputs = graph.nodes[n].input
        guard inputs.count == 2, graph.dataInputs(n).count == 1,
            let constant = inputs.first(where: { graph.isWeight($0) }), let t = graph.weight(constant)
        else { return nil }
        let c = Int64(state.shape.channels)
        let shapes: [[Int64]] = state.rank == 4 ? [[c, 1, 1], [1, c, 1, 1]] : [[c], [1, c]]
        guard shapes.contains(t.dims) else { return nil }
        return try graph.floats(constant, node: n, what: "layer scale").values
    }
}
