import Foundation
import InceptionCore
import InceptionWeights

/// Emits the inference graph of a layout as ONNX nodes, initializers and value infos (opset 17).
///
/// Names carry our node paths in the form torch.onnx.export writes them: node `/PATH/OpType`,
/// tensors `/PATH/OpType_output_0`, weights `PATH.weight` / `PATH.bias` with PATH's "/" → "."
/// (the `.npy` stems `run` reads), batchnorm's `PATH.bn.scale|shift|mean|var`.
/// Dropout has no node (the identity in inference); aux heads are not exported.
struct ONNXGraphBuilder {
    let layout: Layout
    let analysis: Analysis
    let weights: ExportWeights
    var graph = Onnx_GraphProto()
    /// Paths of the aux heads left out, and of the layers whose weights a fallback seed made.
    var skippedAux: [String] = []
    var seededLayers: [String] = []

    init(layout: Layout, analysis: Analysis, weights: ExportWeights) {
        self.layout = layout
        self.analysis = analysis
        self.weights = weights
    }

    /// The rank-2 form after a linear layer ([N, C]) versus the [N, C, H, W] feature map.
    struct Value {
        var name: String
        var shape: Shape
        var flat: Bool
    }

    mutating func build() throws(ONNXExportError) {
        graph.name = layout.name
        let input = Value(name: "input", shape: layout.input, flat: false)
        graph.input = [Self.valueInfo(input)]
        let out = try emit(layout.layers, prefix: [], input: input)
        graph.output = [Self.valueInfo(out)]
    }

    mutating func emit(_ layers: [Layer], prefix: [Int], input: Value) throws(ONNXExportError) -> Value {
        var x = input
        for (i, layer) in layers.enumerated() {
            x = try emit(layer, address: NodeAddress(prefix + [i]), input: x)
        }
        return x
    }

    mutating func emit(_ layer: Layer, address: NodeAddress, input x: Value) throws(ONNXExportError) -> Value {
        guard let stats = analysis.stats(at: address), let output = stats.output else {
            throw ONNXExportError("\(layout.path(of: address) ?? address.description): shapes unknown")
        }
        let path = stats.path
        if x.flat {
            switch layer.op {
            case .linear, .softmax, .dropout, .relu, .gelu, .layernorm, .layerscale, .l2norm, .batchnorm, .aux: break
            default:
                throw ONNXExportError(
                    "\(path): a \(layer.op.kind.rawValue) after a linear layer cannot be exported (ONNX keeps the linear output as [N, C])"
                )
            }
        }
        switch layer.op {
        case .conv(let c):
            let spec = WeightSpec(path: path, kind: .conv(c, inChannels: x.shape.channels))
            let (p, seeded) = try weights.parameters(for: spec)
            if seeded { seededLayers.append(path) }
            let stem = spec.fileStem
            var inputs = [x.name, addTensor(stem + ".weight", p.weightShape, p.weight)]
            if let b = p.bias { inputs.append(addTensor(stem + ".bias", [b.count], b)) }
            let pad = c.pad.resolved(kernel: c.kernel)
            var t = addNode(
                "Conv", path, inputs, output,
                [
                    Self.ints("kernel_shape", [c.kernel.h, c.kernel.w]),
                    Self.ints("strides", [c.stride.h, c.stride.w]),
                    Self.ints("pads", [pad.h, pad.w, pad.h, pad.w]), Self.ints("dilations", [1, 1]),
                    Self.int("group", c.groups),
                ])
            if let bn = p.batchnorm {
                t = addNode(
                    "BatchNormalization", path,
                    [
                        t.name, addTensor(stem + ".bn.scale", [bn.scale.count], bn.scale),
                        addTensor(stem + ".bn.shift", [bn.shift.count], bn.shift),
                        addTensor(stem + ".bn.mean", [bn.mean.count], bn.mean),
                        addTensor(stem + ".bn.var", [bn.variance.count], bn.variance),
                    ], output, [Self.float("epsilon", bn.epsilon)])
            }
            if c.activation == .relu { t = addNode("Relu", path, [t.name], output, []) }
            return t
        case .linear(let l):
            let spec = WeightSpec(path: path, kind: .linear(l, input: x.shape))
            let (p, seeded) = try weights.parameters(for: spec)
            if seeded { seededLayers.append(path) }
            var t = x
            if !x.flat {
                t = addNode(
                    "Flatten", path, [x.name], Shape(x.shape.channels * x.shape.height * x.shape.width, 1, 1),
                    [Self.int("axis", 1)], flat: true)
            }
            var inputs = [t.name, addTensor(spec.fileStem + ".weight", p.weightShape, p.weight)]
            if let b = p.bias { inputs.append(addTensor(spec.fileStem + ".bias", [b.count], b)) }
            t = addNode("Gemm", path, inputs, output, [Self.int("transB", 1)], flat: true)
            if l.activation == .relu { t = addNode("Relu", path, [t.name], output, [], flat: true) }
            return t
        case .maxpool(let p):
            return addNode(
                "MaxPool", path, [x.name], output,
                Self.poolAttributes(p, average: false, ceil: try Self.onnxCeil(p, x.shape, output, path)))
        case .avgpool(let p):
            return addNode(
                "AveragePool", path, [x.name], output,
                Self.poolAttributes(p, average: true, ceil: try Self.onnxCeil(p, x.shape, output, path)))
        case .globalavgpool:
            return addNode("GlobalAveragePool", path, [x.name], output, [])
        case .lrn(let n):
            return addNode(
                "LRN", path, [x.name], output,
                [
                    Self.int("size", n.size), Self.float("alpha", Float(n.alpha)), Self.float("beta", Float(n.beta)),
                    Self.float("bias", Float(n.k)),
                ])
        case .softmax:
            return addNode("Softmax", path, [x.name], output, [Self.int("axis", 1)], flat: x.flat)
        case .relu:
            return addNode("Relu", path, [x.name], output, [], flat: x.flat)
        case .l2norm(let eps):
            // F.normalize as torch's exporter writes it, less the Expand (Div broadcasts):
            // x / Clip(ReduceL2(x over the channels), min eps).
            let one = Shape(1, output.height, output.width)
            let norm = addNode(
                "ReduceL2", path, [x.name], one, [Self.ints("axes", [1]), Self.int("keepdims", 1)], flat: x.flat)
            let floor = addTensor(path + ".eps", [], [Float(eps)])
            let clipped = addNode("Clip", path, [norm.name, floor], one, [], flat: x.flat)
            return addNode("Div", path, [x.name, clipped.name], output, [], flat: x.flat)
        case .batchnorm(let eps):
            let spec = WeightSpec(path: path, kind: .batchnorm(channels: x.shape.channels, epsilon: eps))
            let (p, seeded) = try weights.parameters(for: spec)
            if seeded { seededLayers.append(path) }
            guard let bn = p.batchnorm else { throw ONNXExportError("\(path): batchnorm without statistics") }
            // The weight is 1 for generated and imported values; a folded directory's scale, with the
            // identity statistics (mean 0), so scale·weight is the batchnorm's γ either way.
            let gamma = zip(bn.scale, p.weight).map { $0 * $1 }
            let stem = spec.fileStem
            return addNode(
                "BatchNormalization", path,
                [
                    x.name, addTensor(stem + ".scale", [gamma.count], gamma),
                    addTensor(stem + ".shift", [bn.shift.count], bn.shift),
                    addTensor(stem + ".mean", [bn.mean.count], bn.mean),
                    addTensor(stem + ".var", [bn.variance.count], bn.variance),
                ], output, [Self.float("epsilon", bn.epsilon)], flat: x.flat)
        case .gelu:
            return emitGelu(path, x, output)
        case .layernorm(let eps):
            let spec = WeightSpec(path: path, kind: .layernorm(channels: x.shape.channels, epsilon: eps))
            let (p, seeded) = try weights.parameters(for: spec)
            if seeded { seededLayers.append(path) }
            let c = x.shape.channels
            let inputs = [
                addTensor(spec.fileStem + ".weight", [c], p.weight),
                addTensor(spec.fileStem + ".bias", [c], p.bias ?? .init(repeating: 0, count: c)),
            ]
            let attributes = [Self.int("axis", -1), Self.float("epsilon", Float(eps))]
            // On the [N, C] vector after a linear the last axis is the channels; on N×C×H×W, channels
            // go last and back around it (timm's LayerNorm2d exports the same way).
            if x.flat { return addNode("LayerNormalization", path, [x.name] + inputs, output, attributes, flat: true) }
            let last = addNode(
                "Transpose", path, [x.name], Shape(x.shape.height, x.shape.width, c), [Self.ints("perm", [0, 2, 3, 1])])
            let norm = addNode("LayerNormalization", path, [last.name] + inputs, last.shape, attributes)
            return addNode("Transpose", path, [norm.name], output, [Self.ints("perm", [0, 3, 1, 2])], index: 1)
        case .layerscale:
            let spec = WeightSpec(path: path, kind: .layerscale(channels: x.shape.channels))
            let (p, seeded) = try weights.parameters(for: spec)
            if seeded { seededLayers.append(path) }
            // timm's `x.mul(gamma.reshape(1, -1, 1, 1))`: a Mul by a [C, 1, 1] initializer ([C] after a linear).
            let gamma = addTensor(
                spec.fileStem + ".weight", x.flat ? [p.weight.count] : [p.weight.count, 1, 1], p.weight)
            return addNode("Mul", path, [x.name, gamma], output, [], flat: x.flat)
        case .dropout:
            return x
        case .aux:
            skippedAux.append(path)
            return x
        case .block(let block):
            if case .sum(let activation) = block.join {
                return try emitSum(
                    block, activation: activation, address: address, path: path, input: x, output: output)
            }
            var inputs = Array(repeating: x, count: block.branches.count)
            if case .split(let sizes) = block.join { inputs = emitSplit(sizes, path: path, input: x) }
            var outs: [String] = []
            for (b, branch) in block.branches.enumerated() {
                let end = try emit(branch.layers, prefix: address.appending(b).steps, input: inputs[b])
                if end.flat {
                    throw ONNXExportError("\(path): a branch ending in a linear layer cannot be concatenated")
                }
                outs.append(end.name)
            }
            return addNode("Concat", path, outs, output, [Self.int("axis", 1)])
        }
    }

    /// A sum join as timm's and facenet's exports write it: each branch (an empty one is the
    /// block's input), `Mul` by a scalar initializer where its scale is not 1, a chain of binary
    /// `Add`s, then `Relu` when the join has one.
    mutating func emitSum(
        _ block: Block, activation: Activation, address: NodeAddress, path: String, input x: Value,
        output: Shape
    ) throws(ONNXExportError) -> Value {
        var terms: [Value] = []
        for (b, branch) in block.branches.enumerated() {
            var end = try emit(branch.layers, prefix: address.appending(b).steps, input: x)
            if end.flat { throw ONNXExportError("\(path): a branch ending in a linear layer cannot be summed") }
            if branch.scale != 1 {
                let branchPath = path + "/" + (branch.name ?? String(b))
                let scale = addTensor(
                    branchPath.replacingOccurrences(of: "/", with: ".") + ".scale", [], [Float(branch.scale)])
                end = addNode("Mul", branchPath, [end.name, scale], end.shape, [])
            }
            terms.append(end)
        }
        var sum = terms[0]
        for (k, term) in terms.dropFirst().enumerated() {
            sum = addNode("Add", path, [sum.name, term.name], output, [], index: k)
        }
        if activation == .relu { sum = addNode("Relu", path, [sum.name], output, []) }
        return sum
    }

    /// A split join's fan-out as torch.onnx.export writes `torch.split` (opset 13 and later): one
    /// `Split` on axis 1 with its sizes as an int64 initializer, one output per branch. The
    /// branches (an identity slice goes straight to the Concat) are then concatenated.
    mutating func emitSplit(_ sizes: [Int], path: String, input x: Value) -> [Value] {
        var t = Onnx_TensorProto()
        t.name = path.replacingOccurrences(of: "/", with: ".") + ".split"
        t.dims = [Int64(sizes.count)]
        t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        t.int64Data = sizes.map(Int64.init)
        graph.initializer.append(t)
        var node = Onnx_NodeProto()
        node.opType = "Split"
        node.name = "/\(path)/Split"
        node.input = [x.name, t.name]
        node.attribute = [Self.int("axis", 1)]
        var outs: [Value] = []
        for (i, size) in sizes.enumerated() {
            let out = Value(
                name: "\(node.name)_output_\(i)", shape: Shape(size, x.shape.height, x.shape.width), flat: false)
            node.output.append(out.name)
            graph.valueInfo.append(Self.valueInfo(out))
            outs.append(out)
        }
        graph.node.append(node)
        return outs
    }

    /// GELU as torch's opset-17 export writes it (`Gelu` is an operator only from opset 20):
    /// x · (1 + erf(x / √2)) · 0.5 — `Div`, `Erf`, `Add`, `Mul`, `Mul`, which the importer reads back.
    mutating func emitGelu(_ path: String, _ x: Value, _ output: Shape) -> Value {
        let stem = path.replacingOccurrences(of: "/", with: ".")
        let root2 = addTensor(stem + ".gelu.sqrt2", [], [Float(2.0.squareRoot())])
        let one = addTensor(stem + ".gelu.one", [], [1])
        let half = addTensor(stem + ".gelu.half", [], [0.5])
        let div = addNode("Div", path, [x.name, root2], output, [], flat: x.flat)
        let erf = addNode("Erf", path, [div.name], output, [], flat: x.flat)
        let add = addNode("Add", path, [erf.name, one], output, [], flat: x.flat)
        let mul = addNode("Mul", path, [x.name, add.name], output, [], flat: x.flat)
        return addNode("Mul", path, [mul.name, half], output, [], flat: x.flat, index: 1)
    }

    // MARK: graph pieces

    /// Adds a node `/PATH/OP` whose one output has `shape` (per sample); returns that value.
    /// `index` k > 0 names the k-th node of one op at one path `/PATH/OP_k`, as torch does.
    mutating func addNode(
        _ op: String, _ path: String, _ inputs: [String], _ shape: Shape,
        _ attributes: [Onnx_AttributeProto], flat: Bool = false, index: Int = 0
    ) -> Value {
        var node = Onnx_NodeProto()
        node.opType = op
        let name = "/\(path)/\(op)" + (index > 0 ? "_\(index)" : "")
        node.name = name
        node.input = inputs
        let out = Value(name: "\(name)_output_0", shape: shape, flat: flat)
        node.output = [out.name]
        node.attribute = attributes
        graph.node.append(node)
        graph.valueInfo.append(Self.valueInfo(out))
        return out
    }

    /// Adds a float32 initializer (raw little-endian data) and returns its name.
    mutating func addTensor(_ name: String, _ dims: [Int], _ values: [Float]) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        t.rawData = values.withUnsafeBufferPointer { Data(buffer: $0) }
        graph.initializer.append(t)
        return name
    }

    static func valueInfo(_ v: Value) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = v.name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var shape = Onnx_TensorShapeProto()
        var dims: [Onnx_TensorShapeProto.Dimension] = []
        var n = Onnx_TensorShapeProto.Dimension()
        n.dimParam = "N"
        dims.append(n)
        let rest = v.flat ? [v.shape.channels] : [v.shape.channels, v.shape.height, v.shape.width]
        for d in rest {
            var dim = Onnx_TensorShapeProto.Dimension()
            dim.dimValue = Int64(d)
            dims.append(dim)
        }
        shape.dim = dims
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        info.type = type
        return info
    }

    /// The `ceil_mode` that gives our output size. Our ceil mode (Caffe's and PyTorch's) drops a last
    /// window that would start past H + p; ONNX opset 17's formula, ceil((H + 2p − k) / s) + 1, keeps
    /// it. Where the window is dropped the size equals floor mode's (the windows are the same), so
    /// that is what the file says; a pool where the two axes disagree cannot be written.
    static func onnxCeil(_ p: Pool, _ input: Shape, _ output: Shape, _ path: String) throws(ONNXExportError) -> Bool {
        func sizes(_ n: Int, _ k: Int, _ s: Int, _ pad: Int) -> (floor: Int, ceil: Int) {
            let span = n + 2 * pad - k
            return (span / s + 1, (span + s - 1) / s + 1)
        }
        let h = sizes(input.height, p.kernel.h, p.stride.h, p.pad.h),
            w = sizes(input.width, p.kernel.w, p.stride.w, p.pad.w)
        if output.height == h.floor && output.width == w.floor { return false }
        if output.height == h.ceil && output.width == w.ceil { return true }
        throw ONNXExportError(
            "\(path): a ceil-mode pool that drops its last window on one axis only cannot be written "
                + "in ONNX (ceil_mode is one attribute for both axes)")
    }

    static func poolAttributes(_ p: Pool, average: Bool, ceil: Bool) -> [Onnx_AttributeProto] {
        var a = [
            ints("kernel_shape", [p.kernel.h, p.kernel.w]), ints("strides", [p.stride.h, p.stride.w]),
            ints("pads", [p.pad.h, p.pad.w, p.pad.h, p.pad.w]), int("ceil_mode", ceil ? 1 : 0),
        ]
        if average { a.append(int("count_include_pad", p.countPad ? 1 : 0)) }
        return a
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = value
        return a
    }
}
