/// Which nodes have children, answered once. A block holds branches, an aux head holds layers, a
/// branch holds layers; every other op is a leaf. Walkers ask these accessors (or `Layout.walk`)
/// instead of switching over `Op`, so a new leaf kind or join changes none of them.
extension Op {
    /// The block (branches + join) of a block layer; nil for every other op.
    public var block: Block? {
        if case .block(let b) = self { return b }
        return nil
    }

    /// The layers of an aux head; nil for every other op.
    public var auxLayers: [Layer]? {
        if case .aux(let layers) = self { return layers }
        return nil
    }

    /// Whether the op holds other nodes (a block or an aux head).
    public var isComposite: Bool { block != nil || auxLayers != nil }

    /// The number of child nodes: a block's branches, an aux head's layers, 0 for a leaf.
    public var childCount: Int { block?.branches.count ?? auxLayers?.count ?? 0 }
}

/// One node met by `Layout.walk`: where it is and what it is.
public struct NodeVisit {
    public var address: NodeAddress
    public var path: String
    /// 0 for top-level layers; a branch is one deeper than its block, its layers two deeper.
    public var depth: Int
    public var node: Node
    /// Inside an aux head (or the head itself).
    public var inAux: Bool
}

extension Layout {
    /// Visits every node in pre-order (a block before its branches, a branch before its layers).
    /// `body` returns false to skip the node's children.
    public func walk(_ body: (NodeVisit) -> Bool) {
        func visit(_ kids: [Node], _ prefix: NodeAddress, _ pathPrefix: String, _ depth: Int, _ inAux: Bool) {
            for (i, kid) in kids.enumerated() {
                let address = prefix.appending(i)
                let name = kid.name ?? String(i)
                let path = pathPrefix.isEmpty ? name : pathPrefix + "/" + name
                var aux = inAux
                if case .layer(let l) = kid, l.op.auxLayers != nil { aux = true }
                if body(NodeVisit(address: address, path: path, depth: depth, node: kid, inAux: aux)) {
                    visit(kid.children, address, path, depth + 1, aux)
                }
            }
        }
        visit(layers.map(Node.layer), .root, "", 0, false)
    }
}
