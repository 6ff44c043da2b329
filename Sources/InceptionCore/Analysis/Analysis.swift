/// The exact analysis of a whole layout: every node's shapes and counts, in pre-order, plus totals.
///
/// It is cheap (microseconds for Inception-v3), so every edit re-analyses the whole layout. It never
/// throws: problems are collected in `errors` (each located by node path) and marked on their nodes,
/// and analysis goes on wherever shapes are still known, so an editor can show every problem at once.
public struct Analysis: Sendable {
    public let batch: Int
    /// Every layer, branch and block in pre-order (a block before its branches, a branch before its layers).
    public let nodes: [NodeStats]
    /// The inference path: every node outside aux heads.
    public let totals: Totals
    /// The auxiliary heads together.
    public let auxTotals: Totals
    public let input: Shape
    /// The network's output shape, nil when an error left it unknown.
    public let output: Shape?
    public let errors: [LayoutError]
    /// The branches that make their block invalid: those whose output grid differs from the block's
    /// first branch (the block's error names each). The explorer marks them beside the block.
    public let mismatchedBranches: Set<NodeAddress>
    private let indexByAddress: [NodeAddress: Int]

    public var isValid: Bool { errors.isEmpty }

    public init(_ layout: Layout, batch: Int = 1) {
        var walker = Walker(batch: max(1, batch))
        let state = walker.walk(
            layers: layout.layers, prefix: [], pathPrefix: "", depth: 0,
            state: .init(shape: layout.input, rf: Pair(1, 1), jump: Pair(1, 1)), aux: false)
        var totals = Totals(), auxTotals = Totals()
        var errors = walker.errors
        // The decoder reads an empty network (the editor may delete every layer and save, then
        // reopen), but it is no network: refused here like an empty branch, with the path.
        if layout.layers.isEmpty {
            errors.append(LayoutError(.shape, at: "layers", "a network needs at least one layer"))
        }
        do {
            for s in walker.nodes where s.depth == 0 {
                if s.aux { try auxTotals.add(s) } else { try totals.add(s) }
            }
        } catch {
            errors.append(LayoutError(.shape, at: "", "network totals overflow 64-bit integers"))
        }
        self.batch = max(1, batch)
        self.nodes = walker.nodes
        self.totals = totals
        self.auxTotals = auxTotals
        self.input = layout.input
        self.output = state.shape
        self.errors = errors
        self.mismatchedBranches = walker.mismatchedBranches
        var index: [NodeAddress: Int] = [:]
        index.reserveCapacity(walker.nodes.count)
        for (i, n) in walker.nodes.enumerated() { index[n.address] = i }
        self.indexByAddress = index
    }

    /// The stats of the node at `address`.
    public func stats(at address: NodeAddress) -> NodeStats? {
        indexByAddress[address].map { nodes[$0] }
    }

    /// The stats of the node at `path`.
    public func stats(path: String) -> NodeStats? {
        nodes.first { $0.path == path }
    }
}

/// Threads shapes, receptive fields and counts through the tree.
private struct Walker {
    struct State {
        var shape: Shape?
        var rf: Pair
        var jump: Pair
    }

    let batch: Int
    var nodes: [NodeStats] = []
    var errors: [LayoutError] = []
    var mismatchedBranches = Set<NodeAddress>()

    init(batch: Int) { self.batch = batch }

    mutating func fail(_ index: Int, _ message: String) {
        nodes[index].error = message
        errors.append(LayoutError(.shape, at: nodes[index].path, message))
    }

    /// Walks a list of layers; returns the state after the last one (aux heads leave it unchanged).
    mutating func walk(layers: [Layer], prefix: [Int], pathPrefix: String, depth: Int, state: State, aux: Bool) -> State
    {
        var state = state
        for (i, layer) in layers.enumerated() {
            let name = layer.name ?? String(i)
            let path = pathPrefix.isEmpty ? name : pathPrefix + "/" + name
            state = walk(
                layer: layer, address: NodeAddress(prefix + [i]), path: path, depth: depth, state: state, aux: aux)
        }
        return state
    }

    mutating func walk(layer: Layer, address: NodeAddress, path: String, depth: Int, state: State, aux: Bool) -> State {
        let index = nodes.count
        var stats = NodeStats(address: address, path: path, depth: depth, op: layer.op.kind, input: state.shape)
        stats.aux = aux || layer.op.kind == .aux
        nodes.append(stats)
        if let block = layer.op.block {
            return walkBlock(block, index: index, state: state, aux: aux)
        }
        if let inner = layer.op.auxLayers {
            let end = walk(
                layers: inner, prefix: address.steps, pathPrefix: path, depth: depth + 1, state: state, aux: true)
            nodes[index].output = end.shape
            nodes[index].receptiveField = end.shape == nil ? nil : end.rf
            nodes[index].jump = end.shape == nil ? nil : end.jump
            sumChildren(into: index)
            return state
        }
        return walkLeaf(layer.op, index: index, state: state)
    }

    mutating func walkLeaf(_ op: Op, index: Int, state: State) -> State {
        guard let input = state.shape else { return State(shape: nil, rf: state.rf, jump: state.jump) }
        if let problem = op.leaf?.problem {
            fail(index, problem.message)
            return State(shape: nil, rf: state.rf, jump: state.jump)
        }
        do throws(RuleError) {
            let f = try ShapeRules.figures(op, input: input)
            let (rf, jump) = try Self.advance(rf: state.rf, jump: state.jump, window: f.window, input: input)
            let macs: Int, activationBytes: Int
            do {
                macs = try mul(f.macs, batch)
                _ = try mul(macs, 2)  // FLOPs = 2·MACs must fit too
                activationBytes = try product(f.output.channels, f.output.height, f.output.width, 4, batch)
            } catch {
                throw .overflow
            }
            nodes[index].output = f.output
            nodes[index].params = f.params
            nodes[index].buffers = f.buffers
            nodes[index].macs = macs
            nodes[index].activationBytes = activationBytes
            nodes[index].receptiveField = rf
            nodes[index].jump = jump
            return State(shape: f.output, rf: rf, jump: jump)
        } catch {
            fail(index, error.text)
            return State(shape: nil, rf: state.rf, jump: state.jump)
        }
    }

    /// A block: each branch walked from the block's input, then the join's shape rule
    /// (`BlockRules.combine`). The receptive field and jump are the largest branch's (an identity
    /// branch's field is its input's).
    mutating func walkBlock(_ block: Block, index: Int, state: State, aux: Bool) -> State {
        let node = nodes[index]
        // Each branch's input: the block's, or a split's slice of it (`BlockRules.branchInputs`).
        // Sizes that do not cut the input are the block's error; its branches' shapes are unknown.
        var inputs = [Shape?](repeating: state.shape, count: block.branches.count)
        var splitFailed = false
        if let shape = state.shape {
            do throws(RuleError) {
                inputs = try BlockRules.branchInputs(block, input: shape)
            } catch {
                fail(index, error.text)
                inputs = Array(repeating: nil, count: block.branches.count)
                splitFailed = true
            }
        }
        var ends: [(name: String, address: NodeAddress, state: State)] = []
        for (b, branch) in block.branches.enumerated() {
            let bIndex = nodes.count
            let name = branch.name ?? String(b)
            let address = node.address.appending(b)
            let bState = State(shape: inputs[b], rf: state.rf, jump: state.jump)
            nodes.append(
                NodeStats(
                    address: address, path: node.path + "/" + name, depth: node.depth + 1,
                    op: nil, input: bState.shape, aux: aux))
            let end = walk(
                layers: branch.layers, prefix: address.steps, pathPrefix: node.path + "/" + name,
                depth: node.depth + 2, state: bState, aux: aux)
            nodes[bIndex].output = end.shape
            if end.shape != nil {
                nodes[bIndex].receptiveField = end.rf
                nodes[bIndex].jump = end.jump
            }
            sumChildren(into: bIndex)
            ends.append((name, address, end))
        }
        sumChildren(into: index)
        let unknown = State(shape: nil, rf: state.rf, jump: state.jump)
        guard state.shape != nil, !splitFailed, !ends.isEmpty, ends.allSatisfy({ $0.state.shape != nil }) else {
            if ends.isEmpty, state.shape != nil { fail(index, "an inception block needs at least one branch") }
            return unknown
        }
        let out: Shape
        do throws(RuleError) {
            out = try BlockRules.combine(block.join, ends.map { ($0.name, $0.state.shape!) }) { i, message in
                mismatchedBranches.insert(ends[i].address)
                fail(index, message)
            }
        } catch {
            fail(index, error.text)
            return unknown
        }
        var rf = ends[0].state.rf, jump = ends[0].state.jump
        for end in ends {
            rf = Pair(max(rf.h, end.state.rf.h), max(rf.w, end.state.rf.w))
            jump = Pair(max(jump.h, end.state.jump.h), max(jump.w, end.state.jump.w))
        }
        nodes[index].output = out
        nodes[index].receptiveField = rf
        nodes[index].jump = jump
        return State(shape: out, rf: rf, jump: jump)
    }

    /// Sets a composite node's counts to the sums of its direct children.
    mutating func sumChildren(into index: Int) {
        let depth = nodes[index].depth
        var t = Totals()
        do {
            for child in nodes[(index + 1)...] {
                if child.depth <= depth { break }
                if child.depth == depth + 1 { try t.add(child) }
            }
        } catch {
            fail(index, RuleError.overflow.text)
            return
        }
        nodes[index].params = t.params
        nodes[index].buffers = t.buffers
        nodes[index].macs = t.macs
        nodes[index].activationBytes = t.activationBytes
    }

    /// The receptive-field recurrence: r += (k − 1)·jump, jump *= stride; a window of nil covers
    /// the whole input (global pool, linear), as if its kernel were the input's size.
    static func advance(
        rf: Pair, jump: Pair, window: (kernel: Pair, stride: Pair)?, input: Shape
    ) throws(RuleError) -> (Pair, Pair) {
        let k = window?.kernel ?? Pair(input.height, input.width)
        let s = window?.stride ?? Pair(input.height, input.width)
        do {
            let r = Pair(try add(rf.h, try mul(k.h - 1, jump.h)), try add(rf.w, try mul(k.w - 1, jump.w)))
            return (r, Pair(try mul(jump.h, s.h), try mul(jump.w, s.w)))
        } catch {
            throw .overflow
        }
    }
}
