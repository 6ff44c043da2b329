import InceptionCore
import InceptionWeights

/// Names from the node names torch writes. `/inception3a/branch2/branch2.0/conv/Conv` is the scope
/// inception3a › branch2 › branch2.0 › conv plus the op: a block is named by the scope all its nodes
/// share, a branch and a layer by the first scope part of their nodes that no ancestor took and no
/// sibling shares. Names follow the format's rules (non-empty, no "/", not all digits, unique among
/// siblings); where nothing fits, the node is left unnamed and addressed by its index.
struct LayerNamer {
    let graph: ONNXGraph
    private(set) var weights: [String: ModelWeights.Entry] = [:]
    /// Each node's scope parts, worked out once: a block asks for all its nodes', and each branch
    /// and layer for its own again (100k branches spent a fifth of their import here).
    private let scopes: [[String]]

    init(graph: ONNXGraph) {
        self.graph = graph
        scopes = graph.nodes.indices.map { Self.scope(of: graph.nodes[$0]) }
    }

    /// The scope parts of node `n` (see `scope(of:)`).
    func scope(_ n: Int) -> [String] { scopes[n] }

    /// The scope parts of `node`: for `/a/b/Op` (torch's classic exporter) a, b; else from the
    /// dynamo exporter's `pkg.torch.onnx.name_scopes` annotation; else the plain name.
    static func scope(of node: Onnx_NodeProto) -> [String] {
        var parts = node.name.split(separator: "/").map(String.init)
        if node.name.utf8.contains(UInt8(ascii: "/")) {  // bytes: `String.contains` goes through Foundation
            if !parts.isEmpty { parts.removeLast() }
        } else if let scopes = node.metadataProps.first(where: { $0.key == "pkg.torch.onnx.name_scopes" }) {
            parts = moduleParts(quotedItems(scopes.value))
        }
        return parts.map(clean).filter(isValid)
    }

    /// `['', 'inception3a', 'inception3a.branch2', 'inception3a.branch2.0', 'conv2d']` → inception3a,
    /// branch2, branch2.0 — what the classic exporter writes: each module's own attribute name, a
    /// Sequential's numbered child qualified by its parent; the last entry (the op) dropped.
    static func moduleParts(_ scopes: [String]) -> [String] {
        var parts: [String] = []
        var previous = ""
        for s in scopes.dropLast() where !s.isEmpty {
            var own = s.hasPrefix(previous + ".") ? String(s.dropFirst(previous.count + 1)) : s
            if own.allSatisfy(\.isNumber), let parent = parts.last { own = parent + "." + own }
            parts.append(own)
            previous = s
        }
        return parts
    }

    /// The quoted strings of a Python list literal (`['a', "b"]`).
    static func quotedItems(_ text: String) -> [String] {
        var items: [String] = [], current = "", quote: Character?
        for ch in text {
            if let q = quote {
                if ch == q { items.append(current); current = ""; quote = nil } else { current.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            }
        }
        return items
    }

    /// A scope part without the scalars no name may hold (controls, DEL, C1, bidi overrides), so
    /// a hostile node name loses them instead of making the layout invalid.
    static func clean(_ s: String) -> String { NodeNameRule.cleaned(s) }

    /// A scope part the format's name rule (`NodeNameRule`, the decoder's and the rename's) refuses
    /// is no name — over the byte limit, all digits, holding "/": the node takes its next
    /// candidate, or its index.
    static func isValid(_ s: String) -> Bool { NodeNameRule.problem(with: s) == nil }

    /// Every ONNX node of a layer and what it holds, in graph order.
    func subtreeNodes(_ layer: IRLayer) -> [Int] {
        layer.nodes + layer.branches.flatMap { $0.layers.flatMap(subtreeNodes) }
    }

    private func ordered(_ lists: [[String]]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for l in lists { for s in l where seen.insert(s).inserted { out.append(s) } }
        return out
    }

    private func candidates(_ layer: IRLayer) -> [String] {
        guard layer.op.block != nil else { return ordered(layer.nodes.map(scope)) }  // its main node first
        let scopes = subtreeNodes(layer).sorted().map(scope)
        guard var common = scopes.first else { return [] }
        for s in scopes.dropFirst() {
            common = Array(zip(common, s).prefix { $0 == $1 }.map(\.0))
        }
        return common
    }

    /// A branch's candidates: first the part its nodes share at the first level no ancestor took —
    /// all of it (`branch2`), or its common start when the layers differ (`branch3x3dbl_1`,
    /// `branch3x3dbl_2`, ... → `branch3x3dbl`) — then every scope part of its nodes.
    private func candidates(_ branch: IRBranch, taken: Set<String>) -> [String] {
        let scopes = branch.layers.flatMap(subtreeNodes).sorted().map(scope)
        let firsts = Set(scopes.compactMap { $0.first { !taken.contains($0) } })
        var shared: [String] = []
        if var prefix = firsts.first {
            for f in firsts { prefix = String(zip(prefix, f).prefix { $0 == $1 }.map(\.0)) }
            while let last = prefix.last, "_.-".contains(last) { prefix.removeLast() }
            if Self.isValid(prefix) { shared = [prefix] }
        }
        return ordered([shared] + scopes)
    }

    /// One name (or nil) per sibling: its first candidate no ancestor took, when no other sibling
    /// has it; else its first candidate only it has; else the first not yet given to an earlier sibling.
    private func names(_ lists: [[String]], taken: Set<String>) -> [String?] {
        let usable = lists.map { $0.filter { !taken.contains($0) } }
        var count: [String: Int] = [:]
        for l in usable { for s in Set(l) { count[s, default: 0] += 1 } }
        var given = Set<String>()
        return usable.map { l in
            let pick = l.first.flatMap { count[$0] == 1 ? $0 : nil }
                ?? l.first { count[$0] == 1 && !given.contains($0) } ?? l.first { !given.contains($0) }
            if let pick { given.insert(pick) }
            return pick
        }
    }

    mutating func layers(_ ir: [IRLayer], prefix: String, taken: Set<String>) -> [Layer] {
        let chosen = names(ir.map(candidates), taken: taken)
        return ir.enumerated().map { i, l in
            let name = chosen[i]
            let path = (prefix.isEmpty ? "" : prefix + "/") + (name ?? String(i))
            var inner = taken
            if let name { inner.insert(name) }
            if let w = l.weights { weights[path] = w }
            guard l.op.block != nil else { return Layer(name: name, l.op) }
            let branchNames = names(l.branches.map { candidates($0, taken: inner) }, taken: inner)
            let branches = l.branches.enumerated().map { b, branch in
                let bName = branchNames[b]
                var bTaken = inner
                if let bName { bTaken.insert(bName) }
                return Branch(name: bName, scale: branch.scale,
                              layers: layers(branch.layers, prefix: path + "/" + (bName ?? String(b)), taken: bTaken))
            }
            return Layer(name: name, .block(Block(branches: branches, join: l.op.block?.join ?? .concat)))
        }
    }
}
