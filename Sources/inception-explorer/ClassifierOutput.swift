import InceptionCore

/// Whether what `run` returns is a classifier's scores, so that its top-5 classes mean something.
///
/// The shape alone does not say: facenet-pytorch's InceptionResnetV1 ends in a 512-d vector too,
/// but an L2-normalised face embedding (linear → batchnorm → l2norm), whose "top-5 classes" are
/// five arbitrary coordinates. The rule: the last layer that produces the output, skipping
/// dropout (the identity at inference) and aux heads (the main path goes on past them), is a
/// softmax or a linear without activation (the logits). Anything else is not a classifier: a
/// norm after the linear (l2norm, layernorm, batchnorm: an embedding or features), a linear with
/// a ReLU (a hidden layer), a block's join, a conv or pool.
enum ClassifierOutput {
    /// For the node `path` of `layout` ("" for the whole network).
    static func isClassifier(_ layout: Layout, path: String) -> Bool {
        if path.isEmpty { return endsInClassifier(layout.layers) }
        guard let address = layout.address(ofPath: path), let node = layout.node(at: address) else { return false }
        switch node {
        case .branch(let branch): return endsInClassifier(branch.layers)
        case .layer(let layer): return endsInClassifier(layer.op.auxLayers ?? [layer])  // an aux head: its own end
        }
    }

    /// Whether the last layer of `layers` that sets the output (see the type's rule) is a softmax
    /// or a linear without activation.
    static func endsInClassifier(_ layers: [Layer]) -> Bool {
        for layer in layers.reversed() {
            switch layer.op {
            case .dropout, .aux: continue
            case .softmax: return true
            case .linear(let linear): return linear.activation == .none
            default: return false
            }
        }
        return false
    }
}
