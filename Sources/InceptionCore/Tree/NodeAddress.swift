/// Where a node sits in a layout's tree, as indices: the top-level layer index, then for an
/// block a branch index and a layer index within that branch, for an aux layer a layer
/// index within its head, and so on down. An address that ends on a branch index names a branch.
///
/// Addresses are what edits use (they survive renames); node paths (`inception_3a/3x3/1`) are what
/// people and files use. `Layout.path(of:)` and `Layout.address(ofPath:)` convert between them.
public struct NodeAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var steps: [Int]

    public init(_ steps: [Int]) { self.steps = steps }

    public static let root = NodeAddress([])

    public var isRoot: Bool { steps.isEmpty }
    public var parent: NodeAddress? { steps.isEmpty ? nil : NodeAddress(Array(steps.dropLast())) }
    public func appending(_ i: Int) -> NodeAddress { NodeAddress(steps + [i]) }

    public static func < (a: NodeAddress, b: NodeAddress) -> Bool { a.steps.lexicographicallyPrecedes(b.steps) }
    public var description: String { "@" + steps.map(String.init).joined(separator: ".") }
}

/// A node of the tree: a layer, or a branch of an inception layer.
public enum Node: Equatable, Sendable {
    case layer(Layer)
    case branch(Branch)

    public var name: String? {
        switch self {
        case .layer(let l): l.name
        case .branch(let b): b.name
        }
    }

    /// Children in tree order: a block's branches, an aux head's layers, a branch's layers.
    public var children: [Node] {
        switch self {
        case .layer(let l):
            if let block = l.op.block { return block.branches.map(Node.branch) }
            return (l.op.auxLayers ?? []).map(Node.layer)
        case .branch(let b): return b.layers.map(Node.layer)
        }
    }

    /// The `i`th child, without building `children` (which copies every sibling: looking up each
    /// node of a 100,000-branch block through it was quadratic).
    public func child(_ i: Int) -> Node? {
        switch self {
        case .layer(let l):
            if let branches = l.op.block?.branches { return branches.indices.contains(i) ? .branch(branches[i]) : nil }
            if let layers = l.op.auxLayers { return layers.indices.contains(i) ? .layer(layers[i]) : nil }
            return nil
        case .branch(let b): return b.layers.indices.contains(i) ? .layer(b.layers[i]) : nil
        }
    }
}

extension Layout {
    /// The node at `address`, or nil when the address does not exist in this layout.
    public func node(at address: NodeAddress) -> Node? {
        guard let first = address.steps.first, layers.indices.contains(first) else { return nil }
        var node = Node.layer(layers[first])
        for step in address.steps.dropFirst() {
            guard let kid = node.child(step) else { return nil }
            node = kid
        }
        return node
    }

    /// The layer at `address`, or nil when it names a branch or nothing.
    public func layer(at address: NodeAddress) -> Layer? {
        if case .layer(let l)? = node(at: address) { return l }
        return nil
    }

    /// Replaces the node at `address` through `body`. Returns false (and changes nothing) when the
    /// address does not exist.
    @discardableResult
    public mutating func modify(at address: NodeAddress, _ body: (inout Node) -> Void) -> Bool {
        guard let first = address.steps.first, layers.indices.contains(first) else { return false }
        return Self.modify(&layers[first], Array(address.steps.dropFirst()), body)
    }

    /// Replaces the layer at `address` through `body`; false when the address is not a layer.
    @discardableResult
    public mutating func modifyLayer(at address: NodeAddress, _ body: (inout Layer) -> Void) -> Bool {
        guard layer(at: address) != nil else { return false }
        return modify(at: address) { node in
            if case .layer(var l) = node {
                body(&l)
                node = .layer(l)
            }
        }
    }

    private static func modify(_ layer: inout Layer, _ rest: [Int], _ body: (inout Node) -> Void) -> Bool {
        guard let step = rest.first else {
            var node = Node.layer(layer)
            body(&node)
            if case .layer(let l) = node { layer = l }
            return true
        }
        let tail = Array(rest.dropFirst())
        if var block = layer.op.block {
            guard block.branches.indices.contains(step) else { return false }
            let ok = modify(&block.branches[step], tail, body)
            layer.op = .block(block)
            return ok
        }
        if var inner = layer.op.auxLayers {
            guard inner.indices.contains(step) else { return false }
            let ok = modify(&inner[step], tail, body)
            layer.op = .aux(layers: inner)
            return ok
        }
        return false
    }

    private static func modify(_ branch: inout Branch, _ rest: [Int], _ body: (inout Node) -> Void) -> Bool {
        guard let step = rest.first else {
            var node = Node.branch(branch)
            body(&node)
            if case .branch(let b) = node { branch = b }
            return true
        }
        guard branch.layers.indices.contains(step) else { return false }
        return modify(&branch.layers[step], Array(rest.dropFirst()), body)
    }
}
