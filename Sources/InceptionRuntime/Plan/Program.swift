import ConvEngine
import InceptionCore
import InceptionWeights

/// The symbolic form of a plan: which op reads which buffer and writes which channel slice, and
/// each buffer's lifetime. Built from the layout alone (no allocation), so memory can be estimated
/// and buffers shared before anything is allocated.
struct Program {
    /// One activation buffer: its shape and the steps between its first and last use.
    struct Buffer {
        var shape: TensorShape
        var firstUse: Int
        var lastUse: Int
        /// Live for the whole run: the plan's input (re-read by every iteration) and output.
        var pinned = false
        /// A split's slice that falls on 16-channel blocks: channels of buffer `of`, no storage of
        /// its own (`Tensor.channelView`). Its uses keep `of` alive (`add`); it takes no slot.
        var view: (of: Int, channels: Range<Int>)? = nil
    }

    enum Kind {
        case conv(Conv, WeightSpec)
        /// A conv with groups > 1: `DepthwiseConvOp` when each group is one channel in and out,
        /// else `GroupedDirectConvOp` (`makeGroupedConv`).
        case groupedConv(Conv, WeightSpec)
        case linear(Linear, WeightSpec)
        case maxpool(Pool)
        case avgpool(Pool)
        case globalAvgPool
        case lrn(LRN)
        case softmax
        case relu
        /// x / max(‖x‖₂, eps) over each pixel's channels: `L2NormOp` (`Reference.l2Normalize` its twin).
        case l2norm(epsilon: Double)
        /// A standalone batchnorm, folded at plan time to a per-channel scale and shift and run as
        /// a `ChannelAffineOp`.
        case batchnorm(WeightSpec)
        /// A standalone GELU: `ChannelAffineOp.activation(.gelu)` (twin `Reference.activation`).
        case gelu
        /// Layer norm over each pixel's channels with γ, β: `LayerNormOp` (twin `Reference.layerNorm`).
        case layernorm(WeightSpec)
        /// A learned per-channel scale: `ChannelAffineOp` with scale γ and no shift (twin
        /// `Reference.channelAffine`).
        case layerscale(WeightSpec)
        /// An identity branch (empty, or dropout only) feeding a concat slice; with `channels`, only
        /// those channels of the input (a split's slice that is not a view, or its identity slice
        /// copied straight into the block's output).
        case copy(channels: Range<Int>? = nil)
        /// A sum join: `act(Σ scaleᵢ · buffers[inputs[i]])`; the step's `input` is `inputs[0]`.
        case sum(inputs: [Int], scales: [Float], relu: Bool)

        /// The op's name in profiles: the layout's ("conv", "maxpool", ...; "copy" for an identity
        /// branch), "dwconv" for a depthwise conv and "gconv" for another grouped one.
        var name: String {
            switch self {
            case .conv: "conv"
            case .groupedConv(let c, let spec): Program.isDepthwise(c, spec) ? "dwconv" : "gconv"
            case .linear: "linear"
            case .maxpool: "maxpool"
            case .avgpool: "avgpool"
            case .globalAvgPool: "globalavgpool"
            case .lrn: "lrn"
            case .softmax: "softmax"
            case .relu: "relu"
            case .l2norm: "l2norm"
            case .batchnorm: "batchnorm"
            case .gelu: "gelu"
            case .layernorm: "layernorm"
            case .layerscale: "layerscale"
            case .copy: "copy"
            case .sum: "sum"
            }
        }
    }

    /// Whether a grouped conv is depthwise: one input and one output channel per group (Xception's
    /// separable convs), the case `DepthwiseConvOp` runs.
    static func isDepthwise(_ c: Conv, _ spec: WeightSpec) -> Bool {
        guard case .conv(_, let inChannels) = spec.kind else { return false }
        return isDepthwise(c, inChannels: inChannels)
    }

    /// The same, for a conv on `inChannels` input channels.
    static func isDepthwise(_ c: Conv, inChannels: Int) -> Bool {
        c.groups > 1 && c.groups == inChannels && c.out == c.groups
    }

    /// What a conv or linear step computes and moves, for per-layer timings and the roofline.
    struct Cost: Equatable {
        var op: Op.Kind
        /// MACs for the batch (the analysis's count).
        var macs: Int
        /// Input + weights + output bytes for the batch (see `TimingResult.LayerTime`).
        var bytes: Int
    }

    /// A sum join computed by the conv that ends one of its branches (`Residual`): the conv writes
    /// `act(shortcut + scale · (W·x + b))` straight into the join's output, and there is no sum step
    /// (nor a pass over the tensor) of its own.
    struct ResidualJoin: Equatable {
        /// The buffer holding the other branch's result (the block's input for an identity shortcut).
        var shortcut: Int
        /// The conv branch's scale (folded into its weights); the shortcut's is 1.
        var scale: Float
        /// The sum's activation (the conv itself has none).
        var relu: Bool
    }

    /// Layers next to an ungrouped conv that its step computes (`ProgramBuilder.convFusions`),
    /// each exact to running it as a step of its own:
    /// - `batchnorm`: a standalone batchnorm right before an unpadded conv (InceptionNeXt's norm
    ///   before fc1 1×1 and before the 2×2/2 downsample), folded into its weights at plan time
    ///   (W′ = W·diag(s), b′ = b + Σ W·t for the batchnorm's y = s·x + t; exact because no padded
    ///   pixel, where the shift would be missing, enters the conv);
    /// - `layerscale`: a layer scale γ right after a conv without activation, folded into its
    ///   weights and bias (γ·(W·x + b) = (γW)·x + γb): a residual branch ending in conv → γ then
    ///   ends in the conv, which computes the sum join itself (InceptionNeXt's fc2);
    /// - `gelu`: a GELU right after a conv without activation, applied in the conv's epilogue
    ///   while the stored outputs are in L1 (`ConvParams.activation`; InceptionNeXt's fc1).
    /// The specs keep the folded layers' own weight files and `run --save` output.
    struct ConvFusion: Equatable {
        var batchnorm: WeightSpec? = nil
        var layerscale: WeightSpec? = nil
        var gelu = false
        /// A ReLU right before a depthwise conv, applied as the conv reads its input
        /// (`DepthwiseConvOp.inputReLU`): Xception's ReLU before each separable conv.
        var inputReLU = false

        var isEmpty: Bool { self == ConvFusion() }
    }

    /// A pool computed inside the 1×1 conv after it (`PooledConvOp`): the pool step is gone, the
    /// conv step reads the pool's input.
    struct FusedPool {
        var kind: PoolKind
        var pool: Pool
    }

    /// One op: reads buffer `input` whole, writes channels from `offset` of buffer `output`.
    struct Step {
        var kind: Kind
        var path: String
        var input: Int
        var output: Int
        var offset: Int
        /// Set for conv and linear steps.
        var cost: Cost?
        /// A conv step's fused input pool.
        var fusedPool: FusedPool? = nil
        /// A conv step's fused sum join.
        var residual: ResidualJoin? = nil
        /// The layers a conv step computes besides the conv (`ConvFusion`): no step, no buffer of
        /// their own.
        var fusion = ConvFusion()

        /// The op's name in profiles: the kind's, "maxpool+conv" / "avgpool+conv" for a fused pool,
        /// "conv+sum" for a conv with a fused sum join, "conv+gelu" for a conv with a GELU epilogue,
        /// "relu+dwconv" for a depthwise conv that applies the ReLU before it.
        /// A batchnorm or layer scale folded into the weights costs nothing when the conv runs, so it
        /// does not change the name.
        var name: String {
            if residual != nil { return kind.name + "+sum" }
            if fusion.gelu { return kind.name + "+gelu" }
            if fusion.inputReLU { return "relu+" + kind.name }
            guard let f = fusedPool else { return kind.name }
            return (f.kind == .max ? "maxpool" : "avgpool") + "+conv"
        }

        /// Every buffer the step reads.
        var reads: [Int] {
            var r = [input]
            if case .sum(let inputs, _, _) = kind { r += inputs }
            if let residual { r.append(residual.shortcut) }
            return r
        }
    }

    /// A branch of the planned block and its steps (contiguous: branches run one after another).
    struct BranchSteps {
        var path: String
        var steps: Range<Int>
    }

    var buffers: [Buffer] = []
    var steps: [Step] = []
    var input = 0
    var output = 0
    var branches: [BranchSteps] = []

    /// Every weighted layer's spec, folded ones included (their files are read as their own).
    var weightSpecs: [WeightSpec] {
        steps.flatMap { step -> [WeightSpec] in
            let folded = [step.fusion.batchnorm, step.fusion.layerscale].compactMap { $0 }
            switch step.kind {
            case .conv(_, let spec), .groupedConv(_, let spec), .linear(_, let spec), .batchnorm(let spec),
                .layernorm(let spec),
                .layerscale(let spec):
                return [spec] + folded
            default: return folded
            }
        }
    }

    mutating func newBuffer(_ shape: TensorShape) -> Int {
        buffers.append(Buffer(shape: shape, firstUse: Int.max, lastUse: -1))
        return buffers.count - 1
    }

    /// A buffer that is channels `channels` of buffer `parent` (a view of a view is one of the root).
    mutating func newView(of parent: Int, channels: Range<Int>) -> Int {
        var root = parent, range = channels
        if let v = buffers[parent].view {
            root = v.of
            range = (v.channels.lowerBound + channels.lowerBound)..<(v.channels.lowerBound + channels.upperBound)
        }
        var shape = buffers[root].shape
        shape.c = range.count
        buffers.append(Buffer(shape: shape, firstUse: Int.max, lastUse: -1, view: (root, range)))
        return buffers.count - 1
    }

    /// Whether channels `channels` of buffer `b` can be a view (`Tensor.channelView`'s rule, on the
    /// root's channels): starting on a 16-channel block, ending on one or at the root's last channel.
    func canView(_ b: Int, channels: Range<Int>) -> Bool {
        let base = buffers[b].view?.channels.lowerBound ?? 0
        let lo = base + channels.lowerBound, hi = base + channels.upperBound
        return !channels.isEmpty && lo % channelBlock == 0 && (hi % channelBlock == 0 || hi == buffers[root(b)].shape.c)
    }

    /// The buffer that owns `b`'s storage (itself unless a view).
    func root(_ b: Int) -> Int { buffers[b].view?.of ?? b }

    mutating func add(
        _ kind: Kind, path: String, input: Int, output: Int, offset: Int, cost: Cost? = nil,
        fusedPool: FusedPool? = nil, residual: ResidualJoin? = nil, fusion: ConvFusion = ConvFusion()
    ) {
        let i = steps.count
        let step = Step(
            kind: kind, path: path, input: input, output: output, offset: offset, cost: cost,
            fusedPool: fusedPool, residual: residual, fusion: fusion)
        steps.append(step)
        var touched = step.reads + [output]
        touched += touched.map(root)
        for b in touched {
            buffers[b].firstUse = min(buffers[b].firstUse, i)
            buffers[b].lastUse = max(buffers[b].lastUse, i)
        }
    }

    /// Every inception block (nested ones too): the step range of each of its branches.
    var blocks: [[Range<Int>]] = []

    /// Per buffer, the (block, branch) pairs whose steps use it. The plan runs a block's branches
    /// concurrently (`OpGraph`), so two buffers used by different branches of one block must not
    /// share a tensor even when their one-by-one lifetimes are disjoint: the graph would then have
    /// to run those branches one after the other. Buffers of one branch (a chain) may share freely.
    func branchUses() -> [Set<Int>] {
        var uses = [Set<Int>](repeating: [], count: buffers.count)
        var key = 0
        for block in blocks {
            for range in block {
                for step in range where steps.indices.contains(step) {
                    for b in steps[step].reads + [steps[step].output] { uses[root(b)].insert(key) }
                }
                key += 1
            }
        }
        return uses
    }

    /// Whether buffers with these branch uses belong to different branches of one block.
    func inDifferentBranches(_ a: Set<Int>, _ b: Set<Int>, branchBlock: [Int]) -> Bool {
        a.contains { i in b.contains { j in i != j && branchBlock[i] == branchBlock[j] } }
    }

    /// Assigns buffers to storage slots: a buffer may take over the slot of one whose last use came
    /// strictly before its first use (an op never reads and writes one tensor), whose shape is
    /// exactly the same, and with none of whose earlier occupants it is in different branches of one
    /// block (see `branchUses`). Exact shapes because an engine `Tensor` owns a buffer of one fixed shape
    /// (ConvEngine has no tensor view over caller-owned memory), and because the zero lanes past the
    /// channel count, which the conv kernels rely on, stay zero only under the same shape.
    /// Returns the slot of each buffer and each slot's shape.
    func assignSlots() -> (slotOf: [Int], slots: [TensorShape]) {
        var slotOf = [Int](repeating: -1, count: buffers.count)
        var slots: [TensorShape] = []
        var freeAfter: [Int] = []  // per slot: the last step of its current occupant (Int.max: pinned)
        var occupants: [[Int]] = []
        let uses = branchUses()
        var branchBlock: [Int] = []
        for (k, block) in blocks.enumerated() { branchBlock += [Int](repeating: k, count: block.count) }
        // Views take no slot: `slotOf` gives them their root's (the plan cuts the view from it).
        let order = buffers.indices.filter { buffers[$0].view == nil }
            .sorted { (buffers[$0].firstUse, $0) < (buffers[$1].firstUse, $1) }
        for b in order {
            let buf = buffers[b]
            let fits = { (s: Int) in
                slots[s] == buf.shape && freeAfter[s] < buf.firstUse
                    && !occupants[s].contains { self.inDifferentBranches(uses[$0], uses[b], branchBlock: branchBlock) }
            }
            if !buf.pinned, let s = slots.indices.first(where: fits) {
                slotOf[b] = s
                freeAfter[s] = buf.lastUse
                occupants[s].append(b)
            } else {
                slotOf[b] = slots.count
                slots.append(buf.shape)
                freeAfter.append(buf.pinned ? Int.max : buf.lastUse)
                occupants.append([b])
            }
        }
        for b in buffers.indices { if let v = buffers[b].view { slotOf[b] = slotOf[v.of] } }
        return (slotOf, slots)
    }
}
