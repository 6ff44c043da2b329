import InceptionCore

/// One visible row of the tree pane: the network root, a layer or block, a branch, a layer in it.
public struct VisibleNode: Equatable, Sendable {
    public var address: NodeAddress
    /// 0 for the network row, 1 for top-level layers, and one more per level down.
    public var depth: Int
    public var hasChildren: Bool
    public var isExpanded: Bool
}

/// Which nodes are expanded, and the rows that makes visible. Expansion is kept by address so it
/// survives edits that change counts but not structure.
public struct TreeModel: Equatable, Sendable {
    public var expanded: Set<NodeAddress> = [.root]

    public init(expanded: Set<NodeAddress> = [.root]) { self.expanded = expanded }

    /// The visible rows in display order.
    public func rows(of layout: InceptionCore.Layout) -> [VisibleNode] {
        var rows = [VisibleNode(address: .root, depth: 0, hasChildren: !layout.layers.isEmpty, isExpanded: expanded.contains(.root))]
        guard expanded.contains(.root) else { return rows }
        func walk(_ kids: [Node], _ prefix: NodeAddress, _ depth: Int) {
            for (i, kid) in kids.enumerated() {
                let address = prefix.appending(i)
                let children = kid.children
                let open = expanded.contains(address)
                rows.append(VisibleNode(address: address, depth: depth, hasChildren: !children.isEmpty, isExpanded: open))
                if open { walk(children, address, depth + 1) }
            }
        }
        walk(layout.layers.map(Node.layer), .root, 1)
        return rows
    }

    /// Expands every ancestor of `address`, so it becomes visible.
    public mutating func reveal(_ address: NodeAddress) {
        var a = address.parent
        while let p = a {
            expanded.insert(p)
            a = p.parent
        }
    }
}
