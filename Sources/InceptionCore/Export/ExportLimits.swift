/// What the exported forms cannot say: a feature-map layer after a linear layer. The engine keeps a
/// linear output as C×1×1 and would go on; ONNX's Gemm and torch's Linear give [N, C], and turning
/// that back into a map needs a Reshape neither export writes. Both exporters refuse such a layout
/// with the node path, rather than write a file that fails later.
extension Layout {
    /// The path of the first layer that needs a feature map but follows a linear layer, or nil.
    public func firstMapLayerAfterLinear() -> String? {
        func walk(_ layers: [Layer], _ prefix: String, flat: Bool) -> (flat: Bool, bad: String?) {
            var flat = flat
            for (i, layer) in layers.enumerated() {
                let path = prefix.isEmpty ? (layer.name ?? String(i)) : prefix + "/" + (layer.name ?? String(i))
                if let inner = layer.op.auxLayers {
                    if let bad = walk(inner, path, flat: flat).bad { return (flat, bad) }
                } else if let block = layer.op.block {
                    if flat { return (flat, path) }
                    for (b, branch) in block.branches.enumerated() {
                        let r = walk(branch.layers, path + "/" + (branch.name ?? String(b)), flat: false)
                        if let bad = r.bad { return (flat, bad) }
                        if r.flat { return (flat, path + "/" + (branch.name ?? String(b))) }
                    }
                } else if case .linear = layer.op {
                    flat = true
                } else if !Self.keepsFlat(layer.op), flat {
                    return (flat, path)
                }
            }
            return (flat, nil)
        }
        return walk(layers, "", flat: false).bad
    }

    /// Whether the layer at `address` reads a linear layer's [N, C] output (a linear before it in
    /// its list, only `keepsFlat` ops between): the torch text writes BatchNorm1d there.
    func followsLinear(_ address: NodeAddress) -> Bool {
        guard let parent = address.parent, let index = address.steps.last, let list = layerList(parent: parent) else {
            return false
        }
        var flat = false
        for layer in list.prefix(index) {
            if case .linear = layer.op { flat = true } else if !Self.keepsFlat(layer.op) { flat = false }
        }
        return flat
    }

    /// Ops that can follow a linear layer in both exports: they act per value (softmax over the
    /// vector, dropout as the identity, ReLU, GELU; layer norm over the vector and the layer scale per
    /// feature, both written for a [N, C] input too: InceptionNeXt's head fc1 → GELU → LayerNorm → fc2;
    /// the L2 normalisation of the vector, facenet's embedding; a batchnorm per feature, facenet's
    /// BatchNorm1d after its last linear: ONNX's BatchNormalization takes [N, C], torch writes
    /// nn.BatchNorm1d there).
    static func keepsFlat(_ op: Op) -> Bool {
        switch op {
        case .softmax, .dropout, .relu, .gelu, .layernorm, .layerscale, .l2norm, .batchnorm: true
        default: false
        }
    }
}
