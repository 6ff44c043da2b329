import InceptionCore
import InceptionWeights

/// A layer as the walk builds it, before names are chosen: the op, the ONNX nodes it came from
/// (their scopes give the name), its weights, and for a block its branches.
struct IRLayer {
    var op: Op
    var nodes: [Int]
    var weights: ImportedLayerWeights?
    var branches: [IRBranch] = []
}

struct IRBranch {
    var layers: [IRLayer]
    /// A sum join's constant on this branch (a `Mul` by a scalar before the `Add`).
    var scale = 1.0
}

/// A conv's or linear layer's values, by the layer they belong to (paths are known only after naming).
typealias ImportedLayerWeights = ModelWeights.Entry

/// What the walk knows about the tensor between two layers.
struct FlowState {
    var shape: Shape
    /// 4 for N×C×H×W, 2 after Flatten / Gemm (the layout still sees C×H×W, or out×1×1).
    var rank = 4
    /// Whether every value is ≥ 0 (after a ReLU), which lets a zero Pad fold into a MaxPool.
    var nonNegative = false
}

/// One step back along a chain of tensors: the node that wrote a tensor, or a whole block (a
/// Concat, or a residual Add of two computed tensors, whose inputs all come from one earlier tensor).
enum ChainStep {
    case node(Int)
    case block(concat: Int)
    /// GELU's Erf chain (Div, Erf, Add, Mul, Mul in forward order), one step: its Mul reads x twice.
    case gelu(nodes: [Int])
}

/// Walks the graph from its output back to its input. Every tensor has one writer; every node but
/// Concat has one data input, so the way back from any tensor is a chain, with each Concat jumping
/// to the tensor its inputs fan out from (its block's input). The layout is the chain from the graph
/// input to the output; each block's branches are the chains from its input to each Concat input.
struct GraphWalker {
    var graph: ONNXGraph
    let input: String
    /// How often each node has been converted: every data node exactly once, or the graph is not a
    /// tree of blocks.
    var visits: [Int]
    private var roots: [Int: String] = [:]
    /// Each tensor's steps back to the graph input (`depth`): one number per tensor. (Whole
    /// ancestor chains per Concat input were quadratic in memory and time on long networks.)
    private var depthMemo: [String: Int] = [:]
    private var inProgress: Set<Int> = []
    /// Levels of blocks open in the walk now (`split` calls), checked against the format's limit.
    private var nesting = 0
    /// Weight name → consumers not yet converted; at 0 the tensor's bytes are dropped.
    var pendingUses: [String: Int] = [:]
    /// Tensors the block searches have looked at (block roots found, branches grouped): linear in
    /// the graph's size, which a test checks (`ONNXImporter.walkWork`).
    var walkWork = 0
    /// The joins `findBlockRoots` could not map, in graph order.
    var joinErrors: [ONNXImportError] = []

    init(graph: ONNXGraph, input: String) {
        self.graph = graph
        self.input = input
        visits = Array(repeating: 0, count: graph.nodes.count)
        for (i, n) in graph.nodes.enumerated() where !graph.isWeightNode(i) {
            for name in n.input where graph.isWeight(name) {
                pendingUses[graph.aliasTarget(name), default: 0] += 1
            }
        }
    }

    /// The step that wrote `t` and the tensor before it; nil at the graph input.
    mutating func stepBack(_ t: String) throws(ONNXImportError) -> (ChainStep, String)? {
        if t == input { return nil }
        guard let p = graph.producer[t] else {
            throw ONNXImportError(
                file: graph.file,
                "tensor \(FileText.quoted(t)) is read but no node writes it and it is not the graph input")
        }
        if graph.nodes[p].opType == "Concat" || isResidualAdd(p) { return (.block(concat: p), try blockRoot(p)) }
        if let (nodes, x) = try geluChain(t) { return (.gelu(nodes: nodes), x) }
        if graph.nodes[p].opType == "Div", let chain = try L2NormChain.match(p, in: graph) {
            return (.node(p), chain.data)
        }
        let inputs = graph.dataInputs(p)
        guard inputs.count == 1 else { throw joinRefusal(p) }
        return (.node(p), inputs[0])
    }

    /// Why node `p`, of other than one computed input, is no step of a chain.
    func joinRefusal(_ p: Int) -> ONNXImportError {
        let count = graph.dataInputs(p).count
        let what =
            graph.nodes[p].opType == "Add" || graph.nodes[p].opType == "Sum"
            ? "adds \(count) computed tensors" : "takes \(count) computed inputs"
        return graph.error(p, "\(what); only Concat, or an Add of two, may join branches")
    }

    /// How many `stepBack`s lead from `t` to the graph input (a whole block is one): walks back
    /// only to the first tensor whose depth is known, then records the depth of each one passed.
    mutating func depth(_ t: String) throws(ONNXImportError) -> Int {
        var unknown: [String] = []  // from `t` back, each one step before the next
        var current = t
        var known = -1  // the depth before `unknown.last` (-1: that is the graph input, depth 0)
        while true {
            if let d = depthMemo[current] {
                known = d
                break
            }
            unknown.append(current)
            guard unknown.count <= graph.nodes.count + 1 else {
                throw ONNXImportError(file: graph.file, "tensor \(FileText.quoted(t)): the graph has a cycle")
            }
            guard let (_, previous) = try stepBack(current) else { break }
            current = previous
        }
        for u in unknown.reversed() {
            known += 1
            depthMemo[u] = known
        }
        return known
    }

    /// Finds every Concat's block root in graph order before the walk. ONNX lists nodes in
    /// topological order, so each Concat's earlier blocks are known by the time it is reached and
    /// `blockRoot` recurses a level or two, not once per block back to the input (thousands of
    /// blocks, nested or in sequence, ran the stack out). Errors are kept, in graph order, for the
    /// message of a refused import (`ImportBlockers`: the first blocker and the others by kind);
    /// the walk reports the one it meets.
    mutating func findBlockRoots() {
        for (c, n) in graph.nodes.enumerated() where !graph.isWeightNode(c) {
            if n.opType == "Concat" || isResidualAdd(c) {
                do { _ = try blockRoot(c) } catch { joinErrors.append(error) }
            } else if graph.dataInputs(c).count > 1, let out = n.output.first {
                // A node of two computed inputs that is no join: refused as `stepBack` refuses
                // it, unless it ends GELU's Erf chain (its Mul reads x twice).
                do { if try geluChain(out) == nil { joinErrors.append(joinRefusal(c)) } } catch {
                    joinErrors.append(error)
                }
            }
        }
    }

    /// An `Add` of two computed tensors: a sum join (a residual connection). An Add with a constant
    /// input is a MatMul's bias, which the chain walk absorbs.
    func isResidualAdd(_ n: Int) -> Bool {
        graph.nodes[n].opType == "Add" && graph.dataInputs(n).count == 2 && graph.nodes[n].input.count == 2
    }

    /// How many `blockRoot` calls may be open at once: far above any real network once
    /// `findBlockRoots` has run (1 or 2 on GoogLeNet and Inception-v3), far below the stack's limit.
    static let maxOpenBlockRoots = 256

    /// The tensor a Concat's inputs fan out from: the first tensor every input's chain passes.
    mutating func blockRoot(_ c: Int) throws(ONNXImportError) -> String {
        if let r = roots[c] { return r }
        guard !inProgress.contains(c) else { throw graph.error(c, "the graph has a cycle") }
        guard inProgress.count < Self.maxOpenBlockRoots else {
            throw graph.error(
                c, "Concats nested more than \(Self.maxOpenBlockRoots) deep (nodes out of topological order?)")
        }
        inProgress.insert(c)
        defer { inProgress.remove(c) }
        let inputs = graph.nodes[c].input
        guard !inputs.isEmpty, inputs.allSatisfy({ !$0.isEmpty && !graph.isWeight($0) }) else {
            throw graph.error(c, "concatenates a constant; only computed branches map to an inception block")
        }
        let axis = graph.nodes[c].opType == "Add" ? 1 : try graph.int(c, "axis", default: Int64.min)
        guard axis == 1 || axis == -3 else {
            throw graph.error(
                c,
                axis == Int64.min
                    ? "has no axis"
                    : "concatenates on axis \(axis); only the channel axis (1) maps to an inception block")
        }
        // The ways back from all tensors form a tree rooted at the graph input, so the first tensor
        // every input's way passes is where they meet. Each input steps back to the shallowest
        // input's depth, then the distinct heads step back together, one level a round, until one
        // is left (the meeting point is above every head at a level where they differ, so none
        // steps past it). Each head is looked at once a round: linear in the block's size.
        // (Stepping the deepest of all heads, found by a scan each time, was quadratic in a
        // Concat's inputs: 28 s for one Concat of 100k lone pool branches, issue 19 item 7.)
        var depths: [Int] = []
        for x in inputs { depths.append(try depth(x)) }
        let level = depths.min()!  // inputs is not empty
        var heads: [String] = [], seen = Set<String>()
        for (x, d) in zip(inputs, depths) {
            var t = x
            for _ in level..<d {
                guard let (_, previous) = try stepBack(t) else {
                    throw graph.error(c, "its inputs do not all come from one earlier tensor")
                }
                t = previous
            }
            walkWork += d - level + 1
            if seen.insert(t).inserted { heads.append(t) }
        }
        while heads.count > 1 {
            var next: [String] = []
            seen = []
            for t in heads {
                guard let (_, previous) = try stepBack(t) else {
                    throw graph.error(c, "its inputs do not all come from one earlier tensor")
                }
                if seen.insert(previous).inserted { next.append(previous) }
            }
            walkWork += heads.count
            heads = next
        }
        let root = heads[0]
        roots[c] = root
        return root
    }

    /// The steps from tensor `a` (exclusive) forward to `b`, in forward order.
    mutating func steps(from a: String, to b: String) throws(ONNXImportError) -> [ChainStep] {
        var out: [ChainStep] = []
        var t = b
        while t != a {
            guard let (step, previous) = try stepBack(t) else {
                throw ONNXImportError(
                    file: graph.file, "tensor \(FileText.quoted(b)) does not come from \(FileText.quoted(a))")
            }
            out.append(step)
            t = previous
            guard out.count <= graph.nodes.count else {
                throw ONNXImportError(file: graph.file, "the graph has a cycle")
            }
        }
        return out.reversed()
    }

    mutating func visit(_ n: Int) { visits[n] += 1 }

    /// The inception block a Concat closes: groups its inputs into branches (nested where inputs
    /// share a tensor after the block input, as in torchvision's flattened Mixed_7b concat).
    mutating func block(_ c: Int, state: inout FlowState) throws(ONNXImportError) -> IRLayer {
        if graph.nodes[c].opType == "Add" { return try sumBlock(c, state: &state) }
        visit(c)
        let root = try blockRoot(c)
        if let layer = try splitBlock(c, root: root, state: &state) { return layer }
        var paths: [[String]] = []
        for (i, x) in graph.nodes[c].input.enumerated() {
            guard x != root else {
                throw graph.error(
                    c,
                    "input \(i) (\(FileText.quoted(x))) is the block's input itself; an identity branch has no layers to map"
                )
            }
            // The tensors from `x` back to the root (exclusive), in forward order: this branch only.
            var path = [x]
            while let (_, previous) = try stepBack(path[path.count - 1]), previous != root { path.append(previous) }
            paths.append(path.reversed())
        }
        return try split(root, paths: paths, offset: 0, concat: c, top: true, state: &state)
    }

    /// The sum block an `Add` closes: one branch per input, from the block's input (an input that is
    /// the block's input itself is the identity shortcut); a `Mul` by a scalar constant right before
    /// the Add is that branch's scale (Inception-ResNet's 0.17). Both branches must end in the same
    /// shape (the core's rule, reported at the Add).
    private mutating func sumBlock(_ c: Int, state: inout FlowState) throws(ONNXImportError) -> IRLayer {
        visit(c)
        let root = try blockRoot(c)
        let input = state
        var branches: [IRBranch] = []
        var outputs: [FlowState] = []
        for x0 in graph.nodes[c].input {
            var x = x0, scale = 1.0
            if let (mul, data, value) = try scalarMul(x) {
                visit(mul)
                for name in graph.nodes[mul].input where graph.isWeight(name) {
                    graph.release(name, uses: &pendingUses)
                }
                x = data
                scale = value
            }
            var s = input
            let layers = x == root ? [] : try convert(try steps(from: root, to: x), state: &s)
            guard s.rank == 4 else { throw graph.error(c, "adds flattened tensors; only N×C×H×W maps to a sum") }
            // A chain of binary Adds is one sum: (a + b) + c, the inner Add unscaled and without
            // activation, reads as three branches (as `emitSum` writes them).
            if scale == 1, layers.count == 1, layers[0].op.block?.join == .sum(activation: .none) {
                branches += layers[0].branches
                outputs.append(s)
                continue
            }
            branches.append(IRBranch(layers: layers, scale: scale))
            outputs.append(s)
        }
        var layer = IRLayer(
            op: .block(Block(branches: [], join: .sum(activation: .none))), nodes: [c], weights: nil,
            branches: branches)
        layer.op = layer.plainLayer.op
        state = input
        state.shape = try outputShape(of: layer.op, input: input.shape, node: c)
        state.nonNegative = false
        return layer
    }

    /// The Mul that writes `t` when it multiplies one computed tensor by a scalar constant: its
    /// node, the computed input and the constant.
    /// (A Mul by a per-channel initializer is a layer scale, and GELU's last Mul by 0.5 is part of its
    /// chain: neither is a branch's scale.)
    private func scalarMul(_ t: String) throws(ONNXImportError) -> (Int, String, Double)? {
        guard let m = graph.producer[t], graph.nodes[m].opType == "Mul", graph.nodes[m].input.count == 2 else {
            return nil
        }
        let data = graph.dataInputs(m)
        guard data.count == 1, let constant = graph.nodes[m].input.first(where: { graph.isWeight($0) }),
            graph.weight(constant).map({ $0.dims.reduce(1, *) == 1 }) == true, try geluChain(t) == nil,
            let value = try graph.scalar(constant, node: m, what: "scale")
        else { return nil }
        guard value.isFinite else { throw graph.error(m, "scales a branch by \(value); a sum's scale must be finite") }
        // The file holds a float32: the shortest decimal of it, so labels read "×0.17".
        return (m, data[0], value.shortestDouble)
    }

    /// A block from tensor `root` whose branches end at `paths` (each the tensors after `root`).
    private mutating func split(
        _ root: String, paths: [[String]], offset: Int, concat c: Int, top: Bool,
        state: inout FlowState
    ) throws(ONNXImportError) -> IRLayer {
        // Each split is one level of blocks in the layout: stop at the format's limit, before the
        // recursion can run out of stack on a graph of thousands of nested Concats.
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= LayoutLimits.maxBlockNesting else {
            throw graph.error(
                c, "blocks nested deeper than \(LayoutLimits.maxBlockNesting) levels (the layout format's limit)")
        }
        let input = state
        var groups: [(first: String, members: [Int])] = []
        var groupOf: [String: Int] = [:]  // a group's first tensor → its index (a scan of all groups was quadratic)
        for (i, p) in paths.enumerated() {
            walkWork += 1
            if let last = groups.last, last.first == p[0] {
                groups[groups.count - 1].members.append(i)
            } else if let earlier = groupOf[p[0]] {
                throw graph.error(
                    c,
                    "inputs \(offset + groups[earlier].members[0]) and \(offset + i) both read \(FileText.quoted(p[0])) but are "
                        + "not adjacent; a block cannot keep this channel order")
            } else {
                groupOf[p[0]] = groups.count
                groups.append((p[0], [i]))
            }
        }
        var branches: [IRBranch] = []
        var outputs: [FlowState] = []
        for g in groups {
            var s = input
            let members = g.members.map { paths[$0] }
            var common = 1
            while members.allSatisfy({ $0.count > common }), Set(members.map { $0[common] }).count == 1 { common += 1 }
            let shared = members[0][common - 1]
            var layers = try convert(try steps(from: root, to: shared), state: &s)
            if members.count > 1 {
                if let short = members.firstIndex(where: { $0.count == common }) {
                    throw graph.error(
                        c,
                        "input \(offset + g.members[short]) (\(FileText.quoted(shared))) is also read by its neighbours' "
                            + "layers; an identity branch has no layers to map")
                }
                let nested = try split(
                    shared, paths: members.map { Array($0[common...]) }, offset: offset + g.members[0],
                    concat: c, top: false, state: &s)
                layers.append(nested)
            }
            branches.append(IRBranch(layers: layers))
            outputs.append(s)
        }
        var layer = IRLayer(op: .inception(branches: []), nodes: top ? [c] : [], weights: nil, branches: branches)
        layer.op = layer.plainLayer.op
        state = input
        state.shape = try outputShape(of: layer.op, input: input.shape, node: c)
        state.nonNegative = outputs.allSatisfy(\.nonNegative)
        return layer
    }

    /// The output shape of one layer on `input`, by the core's own analysis; its first error is
    /// reported at `node`.
    func outputShape(of op: Op, input: Shape, node: Int) throws(ONNXImportError) -> Shape {
        let analysis = Analysis(Layout(name: "node", input: input, layers: [Layer(op)]))
        if let e = analysis.errors.first { throw graph.error(node, e.message) }
        guard let out = analysis.output else { throw graph.error(node, "no output shape") }
        return out
    }
}

extension IRLayer {
    /// The layer without names (for shape checks while walking).
    var plainLayer: Layer {
        guard let block = op.block else { return Layer(op) }
        return Layer(
            .block(
                Block(
                    branches: branches.map { Branch(scale: $0.scale, layers: $0.layers.map(\.plainLayer)) },
                    join: block.join)))
    }
}
