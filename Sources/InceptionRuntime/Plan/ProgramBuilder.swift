import ConvEngine
import InceptionCore
import InceptionWeights

/// Walks the node of a layout that a plan runs and emits its `Program`: one step per computing
/// layer (a stride-1 pool right before a 1×1 conv shares the conv's step, `fusablePool`), each
/// inception branch ending in its channel slice of the block's output (concatenation costs
/// nothing), dropout as the identity (no step), aux heads skipped unless asked for.
struct ProgramBuilder {
    let layout: Layout
    let analysis: Analysis
    let batch: Int
    let includeAux: Bool
    /// Fuse a stride-1 same-size pool into the 1×1 conv right after it (`PooledConvOp`).
    let fusePools: Bool
    var program = Program()

    init(layout: Layout, batch: Int, includeAux: Bool, fusePools: Bool = true) {
        self.layout = layout
        self.analysis = Analysis(layout, batch: batch)
        self.batch = batch
        self.includeAux = includeAux
        self.fusePools = fusePools
    }

    /// What a node path names, resolved to the layers to run and their input shape.
    struct Target {
        var path: String
        var layers: [(layer: Layer, address: NodeAddress)]
        var input: Shape
        var output: Shape
        var macs: Int
        /// The node's stats (nil for the whole network).
        var stats: NodeStats?
        /// The block's branches, when the node is an inception block (timed one by one).
        var isBlock: Bool
        /// An aux head named directly runs its layers even though aux heads are otherwise skipped.
        var isAux: Bool
    }

    /// The node at `path` ("" = the whole network). Unknown paths list the closest ones.
    func resolve(_ path: String) throws(PlanError) -> Target {
        if path.isEmpty {
            guard let out = analysis.output, analysis.isValid else {
                throw PlanError(
                    "cannot run \(layout.name): \(analysis.errors.first?.description ?? "its output shape is unknown")")
            }
            let layers = layout.layers.enumerated().map { ($0.element, NodeAddress([$0.offset])) }
            return Target(
                path: "", layers: layers, input: layout.input, output: out,
                macs: analysis.totals.macs, stats: nil, isBlock: false, isAux: false)
        }
        guard let address = layout.address(ofPath: path), let node = layout.node(at: address),
            let stats = analysis.stats(at: address)
        else {
            let near = layout.closestPaths(to: path)
            throw PlanError(
                "no node \"\(path)\" in \(layout.name)"
                    + (near.isEmpty ? "" : " (closest: \(near.joined(separator: ", ")))"))
        }
        guard let input = stats.input, let output = stats.output else {
            throw PlanError("\(path): shapes unknown (\(stats.error ?? "an earlier layer has an error"))")
        }
        switch node {
        case .branch(let b):
            let layers = b.layers.enumerated().map { ($0.element, address.appending($0.offset)) }
            return Target(
                path: path, layers: layers, input: input, output: output, macs: stats.macs, stats: stats,
                isBlock: false, isAux: false)
        case .layer(let l):
            if let inner = l.op.auxLayers {
                let layers = inner.enumerated().map { ($0.element, address.appending($0.offset)) }
                return Target(
                    path: path, layers: layers, input: input, output: output, macs: stats.macs, stats: stats,
                    isBlock: false, isAux: true)
            }
            let isBlock = l.op.block != nil
            return Target(
                path: path, layers: [(l, address)], input: input, output: output, macs: stats.macs,
                stats: stats, isBlock: isBlock, isAux: false)
        }
    }

    /// Emits the program for `target`.
    mutating func build(_ target: Target) throws(PlanError) {
        let inShape = tensorShape(target.input)
        program.input = program.newBuffer(inShape)
        program.buffers[program.input].pinned = true
        let out = try emit(target.layers, input: program.input, into: nil, path: target.path, topBlock: target.isBlock)
        program.output = out
        program.buffers[out].pinned = true
    }

    func tensorShape(_ s: Shape) -> TensorShape { TensorShape(n: batch, c: s.channels, h: s.height, w: s.width) }

    func stats(_ address: NodeAddress) throws(PlanError) -> (stats: NodeStats, input: Shape, output: Shape) {
        guard let s = analysis.stats(at: address) else {
            throw PlanError("\(layout.path(of: address) ?? address.description): not in the analysis")
        }
        if let e = s.error { throw PlanError("\(s.path): \(e)") }
        guard let i = s.input, let o = s.output else {
            throw PlanError("\(s.path): shapes unknown (an earlier layer has an error)")
        }
        return (s, i, o)
    }

    /// Emits `layers` reading buffer `input`. With `dest`, the last computing layer writes into that
    /// channel slice (a copy step when no layer computes anything). Returns the buffer holding the
    /// result (`dest`'s buffer when given). `path` names the list (a branch) in messages and copy steps.
    /// `residual`: the sum join the last computing layer, a conv (`residualConv`), computes as it stores.
    mutating func emit(
        _ layers: [(layer: Layer, address: NodeAddress)], input: Int,
        into dest: (buffer: Int, offset: Int)?, path: String,
        topBlock: Bool = false, residual: Program.ResidualJoin? = nil
    ) throws(PlanError) -> Int {
        let fusions = convFusions(layers.map(\.layer))
        let computing = computingIndices(layers.map(\.layer), fusions)
        var current = input
        var pendingPool: Program.FusedPool?
        var pendingReLU = false
        for (i, item) in layers.enumerated() {
            // Computed by the conv next to it (`convFusions`): no step, no buffer of its own.
            if fusions.absorbed.contains(i) { continue }
            let (s, inShape, outShape) = try stats(item.address)
            if i != computing.last, i + 1 < layers.count, case .relu = item.layer.op,
                case .conv(let next) = layers[i + 1].layer.op,
                Program.isDepthwise(next, inChannels: outShape.channels)
            {
                // Applied by the depthwise conv as it reads its input (`DepthwiseConvOp.inputReLU`);
                // within a list the ReLU's output has no other reader.
                pendingReLU = true
                continue
            }
            if fusePools, i != computing.last, i + 1 < layers.count,
                let pool = fusablePool(item.layer, before: layers[i + 1].layer)
            {
                // Computed inside the next step: no step, no buffer of its own.
                pendingPool = .init(kind: pool.kind, pool: pool.pool)
                continue
            }
            if case .dropout = item.layer.op { continue }
            if let inner = item.layer.op.auxLayers {
                if includeAux {
                    _ = try emit(
                        inner.enumerated().map { ($0.element, item.address.appending($0.offset)) },
                        input: current, into: nil, path: s.path)
                }
                continue
            }
            let target: (buffer: Int, offset: Int)
            if let dest, i == computing.last {
                target = dest
            } else {
                target = (program.newBuffer(tensorShape(outShape)), 0)
            }
            switch item.layer.op {
            case .dropout, .aux:
                break
            case .block(let block) where block.join.kind == .sum:
                try emitSum(block, item.address, input: current, into: target, topBlock: topBlock)
            case .block(let block) where block.join.kind == .split:
                try emitSplit(block, item.address, input: current, into: target, topBlock: topBlock)
            case .block(let block):
                var offset = 0
                var ranges: [Range<Int>] = []
                for (b, branch) in block.branches.enumerated() {
                    let (bs, _, bOut) = try stats(item.address.appending(b))
                    let first = program.steps.count
                    _ = try emit(
                        branch.layers.enumerated().map { ($0.element, item.address.appending(b).appending($0.offset)) },
                        input: current, into: (target.buffer, target.offset + offset), path: bs.path)
                    if topBlock { program.branches.append(.init(path: bs.path, steps: first..<program.steps.count)) }
                    ranges.append(first..<program.steps.count)
                    offset += bOut.channels
                }
                program.blocks.append(ranges)
            case .conv(let c):
                let spec = WeightSpec(path: s.path, kind: .conv(c, inChannels: inShape.channels))
                let weights = try count(s.path, c.out, inShape.channels / max(1, c.groups), c.kernel.h, c.kernel.w)
                let join = i == computing.last ? residual : nil
                var fusion = try convFusion(fusions.convs[i], layers, conv: c, channels: inShape.channels)
                fusion.inputReLU = pendingReLU
                pendingReLU = false
                // A folded batchnorm or layer scale gives the conv a bias.
                let biased = c.bias || c.batchnorm || fusion.batchnorm != nil || fusion.layerscale != nil
                var stepCost = try cost(.conv, s, inShape, outShape, weights: weights, biases: biased ? c.out : 0)
                if join != nil {
                    // The shortcut is read once more: as many bytes as the output.
                    let shortcut = try count(s.path, batch, outShape.channels, outShape.height, outShape.width, 4)
                    stepCost.bytes = try sum(s.path, stepCost.bytes, shortcut)
                }
                program.add(
                    c.groups == 1 ? .conv(c, spec) : .groupedConv(c, spec), path: s.path, input: current,
                    output: target.buffer, offset: target.offset,
                    cost: stepCost, fusedPool: pendingPool, residual: join, fusion: fusion)
                pendingPool = nil
            case .linear(let l):
                let spec = WeightSpec(path: s.path, kind: .linear(l, input: inShape))
                let weights = try count(s.path, l.out, inShape.channels, inShape.height, inShape.width)
                let stepCost = try cost(.linear, s, inShape, outShape, weights: weights, biases: l.bias ? l.out : 0)
                program.add(
                    .linear(l, spec), path: s.path, input: current, output: target.buffer, offset: target.offset,
                    cost: stepCost)
            case .maxpool(let p):
                program.add(.maxpool(p), path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .avgpool(let p):
                program.add(.avgpool(p), path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .globalavgpool:
                program.add(.globalAvgPool, path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .lrn(let l):
                program.add(.lrn(l), path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .relu:
                program.add(.relu, path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .batchnorm(let eps):
                let spec = WeightSpec(path: s.path, kind: .batchnorm(channels: inShape.channels, epsilon: eps))
                program.add(
                    .batchnorm(spec), path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .gelu:
                program.add(.gelu, path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .layernorm(let eps):
                let spec = WeightSpec(path: s.path, kind: .layernorm(channels: inShape.channels, epsilon: eps))
                program.add(
                    .layernorm(spec), path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .layerscale:
                let spec = WeightSpec(path: s.path, kind: .layerscale(channels: inShape.channels))
                program.add(
                    .layerscale(spec), path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .l2norm(let eps):
                program.add(
                    .l2norm(epsilon: eps), path: s.path, input: current, output: target.buffer, offset: target.offset)
            case .softmax:
                program.add(.softmax, path: s.path, input: current, output: target.buffer, offset: target.offset)
            }
            current = target.buffer
        }
        if let dest, computing.isEmpty {
            program.add(.copy(), path: path, input: current, output: dest.buffer, offset: dest.offset)
            return dest.buffer
        }
        return current
    }

    /// A sum join. When a branch ends in a conv that can compute the join as it stores
    /// (`residualConv`), the other branch is emitted first and that conv writes
    /// `act(shortcut + scale · conv)` straight into `target` (no sum step, no pass of its own over
    /// the tensor: Inception-ResNet's up-projection, Xception's last pointwise conv or projection
    /// shortcut). Otherwise each branch is computed into a buffer of its own (an empty branch is the
    /// block's input itself), then one step sums them, scaled, into `target`.
    mutating func emitSum(
        _ block: Block, _ address: NodeAddress, input: Int, into target: (buffer: Int, offset: Int),
        topBlock: Bool
    ) throws(PlanError) {
        guard case .sum(let activation) = block.join else { return }
        func items(_ b: Int) -> [(layer: Layer, address: NodeAddress)] {
            block.branches[b].layers.enumerated().map { ($0.element, address.appending(b).appending($0.offset)) }
        }
        let fused = residualConv(block)
        // The fused branch last: its conv reads the other branch's result.
        let order = block.branches.indices.sorted { ($0 == fused ? 1 : 0, $0) < ($1 == fused ? 1 : 0, $1) }
        var ranges: [Range<Int>] = []
        var ends = [Int](repeating: input, count: block.branches.count)
        var timed: [(Int, Program.BranchSteps)] = []
        for b in order {
            let (bs, _, _) = try stats(address.appending(b))
            let first = program.steps.count
            if b == fused, let other = order.first {
                let join = Program.ResidualJoin(
                    shortcut: ends[other], scale: Float(block.branches[b].scale),
                    relu: activation == .relu)
                ends[b] = try emit(items(b), input: input, into: target, path: bs.path, residual: join)
            } else {
                ends[b] = try emit(items(b), input: input, into: nil, path: bs.path)
            }
            timed.append((b, .init(path: bs.path, steps: first..<program.steps.count)))
            ranges.append(first..<program.steps.count)
        }
        if topBlock { program.branches += timed.sorted { $0.0 < $1.0 }.map(\.1) }
        program.blocks.append(ranges)
        guard fused == nil else { return }
        let path = try stats(address).stats.path
        program.add(
            .sum(inputs: ends, scales: block.branches.map { Float($0.scale) }, relu: activation == .relu),
            path: path, input: ends[0], output: target.buffer, offset: target.offset)
    }

    /// The branch of a sum join whose last layer can compute the join (`Program.ResidualJoin`), or
    /// nil: two branches; that branch ends in an ungrouped conv with no activation of its own (a
    /// layer scale after it folded into its weights, `convFusions`, but no GELU epilogue) and no
    /// pool fused into it; the other branch has scale 1 (the shortcut is added unscaled); and the
    /// conv does not read the shortcut itself (a lone conv on the block input beside an identity
    /// branch, a batchnorm folded into it counting for nothing). When both branches qualify, the
    /// one with more steps (the main path) takes it.
    func residualConv(_ block: Block) -> Int? {
        guard block.branches.count == 2 else { return nil }
        func computing(_ b: Int) -> [Int] {
            let layers = block.branches[b].layers
            return computingIndices(layers, convFusions(layers))
        }
        func qualifies(_ b: Int) -> Bool {
            let layers = block.branches[b].layers, steps = computing(b), other = computing(1 - b)
            guard block.branches[1 - b].scale == 1, let last = steps.last, case .conv(let c) = layers[last].op,
                c.groups == 1, c.activation == .none, convFusions(layers).convs[last]?.gelu == nil
            else { return false }
            if steps.count == 1 && other.isEmpty { return false }
            if fusePools, last >= 1, fusablePool(layers[last - 1], before: layers[last]) != nil { return false }
            return true
        }
        let ok = [0, 1].filter(qualifies)
        return ok.max { (computing($0).count, $1) < (computing($1).count, $0) }
    }

    /// Which layers of a list an ungrouped conv's step computes besides the conv (`Program.ConvFusion`),
    /// by the conv's index: a standalone batchnorm right before an unpadded conv (any kernel and
    /// stride: every tap then reads a real pixel, InceptionNeXt's norm → fc1 and norm → 2×2/2
    /// downsample);
    /// right after a conv without activation, a layer scale, a GELU, or a layer scale then a GELU.
    /// Not for a conv with a pool fused into it (`PooledConvOp` has no GELU epilogue, and the pool's
    /// step is already the conv's). Within one list each layer's output is read by the next layer
    /// only (a branch's last layer feeds the join, never a layer of the list), so a folded batchnorm's
    /// or a conv's output has no other reader.
    func convFusions(_ layers: [Layer]) -> ConvFusions {
        var result = ConvFusions()
        for (i, layer) in layers.enumerated() {
            guard case .conv(let c) = layer.op, c.groups == 1 else { continue }
            if fusePools, i >= 1, fusablePool(layers[i - 1], before: layer) != nil { continue }
            var f = ConvFusions.Indices()
            let pad = c.pad.resolved(kernel: c.kernel)
            if i >= 1, case .batchnorm = layers[i - 1].op, !result.absorbed.contains(i - 1), pad.h == 0, pad.w == 0 {
                f.batchnorm = i - 1
            }
            var next = i + 1
            if c.activation == .none {
                if next < layers.count, case .layerscale = layers[next].op {
                    f.layerscale = next
                    next += 1
                }
                if next < layers.count, case .gelu = layers[next].op { f.gelu = next }
            }
            let taken = [f.batchnorm, f.layerscale, f.gelu].compactMap { $0 }
            guard !taken.isEmpty else { continue }
            result.convs[i] = f
            result.absorbed.formUnion(taken)
        }
        return result
    }

    /// `convFusions` of one layer list: per conv index, the indices of the layers it computes.
    struct ConvFusions {
        struct Indices {
            var batchnorm: Int?
            var layerscale: Int?
            var gelu: Int?
        }
        var convs: [Int: Indices] = [:]
        var absorbed: Set<Int> = []
    }

    /// The indices of a list's layers that get a step (or a fused pool's share of one): all but
    /// dropout, aux heads and the layers a conv's step computes.
    func computingIndices(_ layers: [Layer], _ fusions: ConvFusions) -> [Int] {
        layers.indices.filter { i in
            switch layers[i].op {
            case .dropout, .aux: false
            default: !fusions.absorbed.contains(i)
            }
        }
    }

    /// The weight specs of the layers `f` folds into the conv of `c`, read from `channels` input
    /// channels (the batchnorm's) and `c.out` outputs (the layer scale's).
    func convFusion(
        _ f: ConvFusions.Indices?, _ layers: [(layer: Layer, address: NodeAddress)], conv c: Conv, channels: Int
    ) throws(PlanError) -> Program.ConvFusion {
        guard let f else { return Program.ConvFusion() }
        var fusion = Program.ConvFusion(gelu: f.gelu != nil)
        if let b = f.batchnorm, case .batchnorm(let eps) = layers[b].layer.op {
            let path = try stats(layers[b].address).stats.path
            fusion.batchnorm = WeightSpec(path: path, kind: .batchnorm(channels: channels, epsilon: eps))
        }
        if let l = f.layerscale {
            let path = try stats(layers[l].address).stats.path
            fusion.layerscale = WeightSpec(path: path, kind: .layerscale(channels: c.out))
        }
        return fusion
    }

    /// A split join: each branch reads its slice of the block's input and writes its channel slice
    /// of the block's output, as a concat's does. A slice on 16-channel blocks is a view of the input
    /// (no copy); any other gets one copy into a buffer of its own. An identity slice (no computing
    /// layer) is copied straight from the input into the output: one copy either way.
    mutating func emitSplit(
        _ block: Block, _ address: NodeAddress, input: Int, into target: (buffer: Int, offset: Int),
        topBlock: Bool
    ) throws(PlanError) {
        guard case .split(let sizes) = block.join else { return }
        var ranges: [Range<Int>] = []
        var offset = 0, start = 0
        for (b, branch) in block.branches.enumerated() {
            let (bs, bIn, bOut) = try stats(address.appending(b))
            let channels = start..<start + sizes[b]
            let first = program.steps.count
            let computes = branch.layers.contains { if case .dropout = $0.op { false } else { true } }
            if !computes {
                program.add(
                    .copy(channels: channels), path: bs.path, input: input, output: target.buffer,
                    offset: target.offset + offset)
            } else {
                let slice: Int
                if program.canView(input, channels: channels) {
                    slice = program.newView(of: input, channels: channels)
                } else {
                    slice = program.newBuffer(tensorShape(bIn))
                    program.add(.copy(channels: channels), path: bs.path, input: input, output: slice, offset: 0)
                }
                _ = try emit(
                    branch.layers.enumerated().map { ($0.element, address.appending(b).appending($0.offset)) },
                    input: slice, into: (target.buffer, target.offset + offset), path: bs.path)
            }
            if topBlock { program.branches.append(.init(path: bs.path, steps: first..<program.steps.count)) }
            ranges.append(first..<program.steps.count)
            offset += bOut.channels
            start += sizes[b]
        }
        program.blocks.append(ranges)
    }

    /// A max or average pool that `PooledConvOp` can compute inside `next`: a stride-1 pool that keeps
    /// the map's size, right before a 1×1, stride-1, unpadded conv (the pool branch of GoogLeNet's
    /// and Inception-v3's blocks). Not when something else follows the pool (dropout, another op).
    func fusablePool(_ layer: Layer, before next: Layer) -> (kind: PoolKind, pool: Pool)? {
        let pool: (kind: PoolKind, pool: Pool)
        switch layer.op {
        case .maxpool(let p): pool = (.max, p)
        case .avgpool(let p): pool = (.average, p)
        default: return nil
        }
        guard case .conv(let c) = next.op, c.groups == 1 else { return nil }
        let fuses = PooledConvOp.fuses(
            pool: ExecutionPlan.poolParams(pool.pool), kernelH: c.kernel.h,
            kernelW: c.kernel.w, conv: ExecutionPlan.convParams(c))
        return fuses ? pool : nil
    }

    /// The step's MACs and float32 bytes moved: batch × (input + output elements) + weights + biases.
    func cost(
        _ op: Op.Kind, _ s: NodeStats, _ input: Shape, _ output: Shape, weights: Int,
        biases: Int
    ) throws(PlanError) -> Program.Cost {
        let inElements = try count(s.path, batch, input.channels, input.height, input.width)
        let outElements = try count(s.path, batch, output.channels, output.height, output.width)
        let elements = try sum(s.path, inElements, outElements, weights, biases)
        return Program.Cost(op: op, macs: s.macs, bytes: try count(s.path, elements, 4))
    }

    /// A checked product: a count past 64 bits is a plan error naming the layer, never a trap.
    func count(_ path: String, _ factors: Int...) throws(PlanError) -> Int {
        guard let r = Checked.product(factors) else { throw PlanError("\(path): byte count overflows 64-bit integers") }
        return r
    }

    func sum(_ path: String, _ terms: Int...) throws(PlanError) -> Int {
        guard let r = Checked.sum(terms) else { throw PlanError("\(path): byte count overflows 64-bit integers") }
        return r
    }
}
