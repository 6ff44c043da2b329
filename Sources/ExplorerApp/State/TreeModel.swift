import InceptionCore

/// One visible row of the tree pane: the network root, a layer or block, a branch, a layer in it.
public struct VisibleNode: Equatable, Sendable {
    public var address: NodeAddress
    /// 0 for the network row, 1 for top-level layers, and one more per level down.
    public var depth: Int
    public var hasChildren: Bool
    public var isExpanded: Bool
}

/// How the tree orders a node's children. Display only: the layout (and its file) keep their
/// order; `s` cycles through these.
public enum TreeSort: String, Equatable, Sendable, CaseIterable {
    case layout, params, macs

    /// The next order of the cycle (`S`).
    var next: TreeSort { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }

    var label: String {
        switch self {
        case .layout: "layout order"
        case .params: "params, largest first"
        case .macs: "MACs, largest first"
        }
    }
}

/// Which nodes are expanded, and the rows that makes visible. Expansion is kept by address so it
/// survives edits that change counts but not structure.
public struct TreeModel: Equatable, Sendable {
    public var expanded: Set<NodeAddress> = [.root]

    public init(expanded: Set<NodeAddress> = [.root]) { self.expanded = expanded }

    /// The visible rows in display order: layout order, or each block's branches by params or
    /// MACs (largest first, ties in layout order). Layers in a sequence keep their order: it is
    /// the computation.
    public func rows(
        of layout: InceptionCore.Layout, analysis: Analysis? = nil, sort: TreeSort = .layout
    ) -> [VisibleNode] {
        var rows = [
            VisibleNode(
                address: .root, depth: 0, hasChildren: !layout.layers.isEmpty, isExpanded: expanded.contains(.root))
        ]
        guard expanded.contains(.root) else { return rows }
        func key(_ a: NodeAddress) -> Int {
            guard let s = analysis?.stats(at: a) else { return 0 }
            return sort == .params ? s.params : s.macs
        }
        func walk(_ kids: [Node], _ prefix: NodeAddress, _ depth: Int) {
            var order = Array(kids.indices)
            if sort != .layout, analysis != nil, case .branch? = kids.first {
                let keys = order.map { key(prefix.appending($0)) }
                order.sort { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : $0 < $1 }
            }
            for i in order {
                let address = prefix.appending(i)
                let children = kids[i].children
                let open = expanded.contains(address)
                rows.append(
                    VisibleNode(address: address, depth: depth, hasChildren: !children.isEmpty, isExpanded: open))
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

    /// Expands every node with children down to `depth` levels below the network (nil: all), and
    /// collapses those below it, as torchinfo's `depth`.
    public mutating func expand(_ layout: InceptionCore.Layout, toDepth depth: Int?) {
        expanded = [.root]
        for n in layout.allNodes() where !n.node.children.isEmpty {
            if depth.map({ n.address.steps.count < $0 }) ?? true { expanded.insert(n.address) }
        }
    }
}
