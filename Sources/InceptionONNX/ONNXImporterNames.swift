import InceptionCore
import InceptionWeights

/// Names from the node names torch writes. `/inception3a/branch2/branch2.0/conv/Conv` is the scope
/// inception3a › branch2 › branch2.0 › conv plus the op. Each node of the tree is named from the
/// scope parts of its ONNX nodes *below* the parts its ancestors took (a cursor per ONNX node, moved
/// past each ancestor's name as it is given), never from parts above them: timm's
/// `/features/features.6/branch0/conv/Conv` is block `features.6` › branch `branch0` › layer `conv`,
/// where a rule that only skips the names ancestors took once read `features` (the network's top
/// scope) as the layer's name. A layer's candidates are its main node's remaining parts, in order; a
/// block's or branch's are the parts all its nodes share (`branch2`; `features`, `features.6`), else
/// the common start of their first parts (`branch3x3dbl_1`, `branch3x3dbl_2`, ... → `branch3x3dbl`;
/// InceptionC's concat of `branch1_1a` and `branch1_1b` → `branch1_1`; but not `branch` from
/// `branch0`, `branch1`, which only number siblings); nodes with no part left (a
/// functional pool or the Concat in its block's scope) have no say. Among siblings each takes its
/// first candidate when no other sibling has it, else its first candidate only it has, else the first
/// not yet given. Names follow the format's rules (non-empty, no "/", not all digits, unique among
/// siblings); where nothing fits, the node is left unnamed and addressed by its index (v3's
/// functional `F.avg_pool2d` in `branch_pool`: `Mixed_5b/branch_pool/0`).
struct LayerNamer {
    let graph: ONNXGraph
    private(set) var weights: [String: ModelWeights.Entry] = [:]
    /// Each node's scope parts, worked out once: a block asks for all its nodes', and each branch
    /// and layer for its own again (100k branches spent a fifth of their import here).
    private let scopes: [[String]]
    /// Per ONNX node: where its parts below the names its tree ancestors took begin.
    private var cursor: [Int]

    init(graph: ONNXGraph) {
        self.graph = graph
        scopes = graph.nodes.indices.map { Self.scope(of: graph.nodes[$0]) }
        cursor = Array(repeating: 0, count: graph.nodes.count)
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

    /// Node `n`'s scope parts below its ancestors' names.
    private func rest(_ n: Int) -> ArraySlice<String> { scopes[n][cursor[n]...] }

    /// Moves the cursors of `nodes` past `name` where their remaining parts hold it (a name made
    /// from a common start, as `branch3x3dbl`, is no part: the cursors stay).
    private mutating func advance(_ nodes: [Int], past name: String) {
        for n in nodes {
            if let i = scopes[n][cursor[n]...].firstIndex(of: name) { cursor[n] = i + 1 }
        }
    }

    private func ordered(_ lists: [ArraySlice<String>]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for l in lists { for s in l where seen.insert(s).inserted { out.append(s) } }
        return out
    }

    private func candidates(_ layer: IRLayer) -> [String] {
        guard layer.op.block != nil else { return ordered(layer.nodes.map(rest)) }  // its main node first
        return shared(subtreeNodes(layer))
    }

    /// A block's or branch's candidates (see the type's comment): the parts its nodes share, else
    /// the common start of their first parts, trimmed of a trailing `_`, `.` or `-`.
    private func shared(_ nodes: [Int]) -> [String] {
        let rests = nodes.sorted().map(rest).filter { !$0.isEmpty }
        guard let first = rests.first else { return [] }
        var common = Array(first)
        for r in rests.dropFirst() where !common.isEmpty {
            common = Array(zip(common, r).prefix { $0 == $1 }.map(\.0))
        }
        if !common.isEmpty { return common }
        let firsts = rests.map { $0[$0.startIndex] }
        var prefix = firsts[0]
        for f in firsts { prefix = String(zip(prefix, f).prefix { $0 == $1 }.map(\.0)) }
        // `branch0`, `branch1`, `branch2` only number siblings: their start `branch` names nothing.
        if let last = prefix.last, !"_.-".contains(last),
            firsts.allSatisfy({ $0.dropFirst(prefix.count).allSatisfy(\.isNumber) })
        {
            return []
        }
        while let last = prefix.last, "_.-".contains(last) { prefix.removeLast() }
        return Self.isValid(prefix) ? [prefix] : []
    }

    /// One name (or nil) per sibling: its first candidate when no other sibling has it; else its
    /// first candidate only it has; else the first not yet given to an earlier sibling.
    private func names(_ lists: [[String]]) -> [String?] {
        var count: [String: Int] = [:]
        for l in lists { for s in Set(l) { count[s, default: 0] += 1 } }
        var given = Set<String>()
        return lists.map { l in
            let pick =
                l.first.flatMap { count[$0] == 1 ? $0 : nil }
                ?? l.first { count[$0] == 1 && !given.contains($0) } ?? l.first { !given.contains($0) }
            if let pick { given.insert(pick) }
            return pick
        }
    }

    mutating func layers(_ ir: [IRLayer], prefix: String) -> [Layer] {
        let chosen = names(ir.map(candidates))
        return ir.enumerated().map { i, l in
            let name = chosen[i]
            let path = (prefix.isEmpty ? "" : prefix + "/") + (name ?? String(i))
            if let w = l.weights { weights[path] = w }
            guard l.op.block != nil else { return Layer(name: name, l.op) }
            if let name { advance(subtreeNodes(l), past: name) }
            let branchNames = names(l.branches.map { shared($0.layers.flatMap(subtreeNodes)) })
            let branches = l.branches.enumerated().map { b, branch in
                let bName = branchNames[b]
                if let bName { advance(branch.layers.flatMap(subtreeNodes), past: bName) }
                return Branch(
                    name: bName, scale: branch.scale,
                    layers: layers(branch.layers, prefix: path + "/" + (bName ?? String(b))))
            }
            return Layer(name: name, .block(Block(branches: branches, join: l.op.block?.join ?? .concat)))
        }
    }
}
