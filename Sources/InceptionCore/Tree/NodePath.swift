/// Node paths: names joined by "/", where a layer or branch without a name is its 0-based index in
/// its list (`inception_3a/3x3/1`, `Mixed_7b/branch3x3/1/1x3/0`). Every command and screen uses them.
extension Layout {
    /// The path of the node at `address` ("" for the root; nil when the address does not exist).
    public func path(of address: NodeAddress) -> String? {
        guard !address.isRoot else { return "" }
        guard let first = address.steps.first, layers.indices.contains(first) else { return nil }
        var node = Node.layer(layers[first])
        var parts = [node.name ?? String(first)]
        for step in address.steps.dropFirst() {
            guard let kid = node.child(step) else { return nil }
            parts.append(kid.name ?? String(step))
            node = kid
        }
        return parts.joined(separator: "/")
    }

    /// The address of the node named by `path`, or nil. A component matches a sibling's name, or
    /// the index of an unnamed sibling.
    public func address(ofPath path: String) -> NodeAddress? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty else { return nil }
        var kids = layers.map(Node.layer)
        var steps: [Int] = []
        for part in parts {
            let match =
                kids.firstIndex { $0.name == part }
                ?? Int(part).flatMap { i in kids.indices.contains(i) && kids[i].name == nil ? i : nil }
            guard let i = match else { return nil }
            steps.append(i)
            kids = kids[i].children
        }
        return NodeAddress(steps)
    }

    /// Every node in pre-order with its address and path.
    public func allNodes() -> [(address: NodeAddress, path: String, node: Node)] {
        var out: [(address: NodeAddress, path: String, node: Node)] = []
        walk { visit in
            out.append((visit.address, visit.path, visit.node))
            return true
        }
        return out
    }

    /// Up to `limit` node paths closest to `path` (edit distance), for "did you mean" messages.
    public func closestPaths(to path: String, limit: Int = 3) -> [String] {
        let scored = allNodes().map {
            (path: $0.path, d: LayoutKeys.editDistance($0.path.lowercased(), path.lowercased()))
        }
        return scored.sorted { ($0.d, $0.path) < ($1.d, $1.path) }.prefix(limit).map(\.path)
    }
}
