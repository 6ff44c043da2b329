/// The plumbing every structural edit shares: the list of layers a node sits in, unique sibling
/// names, and the conv at an address.
///
/// A layer sits in one of three kinds of list: the top-level layers, a branch's layers, or an aux
/// head's layers. Edits that insert or remove layers read that list, build the new one, and write it
/// back whole, so a refused edit never leaves a half-changed layout.
extension Layout {
    /// The layers of the list whose parent is `parent`: the root (top level), a branch, or an aux
    /// layer. Nil when `parent` names anything else.
    func layerList(parent: NodeAddress) -> [Layer]? {
        if parent.isRoot { return layers }
        switch node(at: parent) {
        case .branch(let b)?: return b.layers
        case .layer(let l)?:
            return l.op.auxLayers
        case nil: return nil
        }
    }

    /// Replaces the list whose parent is `parent` (see `layerList(parent:)`); false when there is none.
    @discardableResult
    mutating func setLayerList(parent: NodeAddress, _ list: [Layer]) -> Bool {
        if parent.isRoot {
            layers = list
            return true
        }
        guard layerList(parent: parent) != nil else { return false }
        return modify(at: parent) { node in
            switch node {
            case .branch(var b):
                b.layers = list
                node = .branch(b)
            case .layer(var l):
                if l.op.auxLayers != nil { l.op = .aux(layers: list) }
                node = .layer(l)
            }
        }
    }

    /// The path of `address` for messages ("@1.2.3" when it names nothing).
    func displayPath(_ address: NodeAddress) -> String {
        path(of: address) ?? address.description
    }

    /// The conv at `address`, or a one-line refusal naming what is there instead.
    func convOrRefuse(at address: NodeAddress, for move: String) throws(DesignError) -> Conv {
        guard let layer = layer(at: address) else {
            if case .branch? = node(at: address) {
                throw DesignError(at: displayPath(address), "\(move) needs a conv layer, this is a branch")
            }
            throw DesignError(at: "", "\(move): no layer at \(address)")
        }
        guard case .conv(let c) = layer.op else {
            throw DesignError(at: displayPath(address), "\(move) needs a conv layer, this is \(layer.op.kind.rawValue)")
        }
        return c
    }
}

/// Sibling names for new nodes.
enum SiblingNames {
    /// `base` when no sibling has it, else `base2`, `base3`, ...
    static func unique(_ base: String, among names: [String?]) -> String {
        let taken = Set(names.compactMap { $0 })
        if !taken.contains(base) { return base }
        var n = 2
        while taken.contains(base + String(n)) { n += 1 }
        return base + String(n)
    }
}

extension Conv {
    /// A conv with the same bias / batchnorm convention as this one.
    func sibling(out: Int, kernel: Pair, pad: Padding, activation: Activation) -> Conv {
        Conv(
            out: out, kernel: kernel, stride: Pair(1, 1), pad: pad, bias: bias, batchnorm: batchnorm,
            activation: activation)
    }

    var isPointwise: Bool { kernel == Pair(1, 1) }
}
