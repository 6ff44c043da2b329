import ConvEngine
import Foundation
import InceptionCore
import InceptionWeights

/// A node of a layout planned on ConvEngine: every buffer allocated and every weight packed once,
/// here; `run` then only computes. Inception branches write straight into their channel slices of
/// the block's output, activations share tensors where lifetimes allow (see `Program.assignSlots`),
/// batchnorm is folded into the conv weights, dropout is the identity, aux heads are skipped unless
/// asked for.
///
/// Not thread-safe: one thread plans and runs it (the ops are bound to its tensors).
public final class ExecutionPlan {
    /// The planned node's path ("" for the whole network).
    public let path: String
    public let batch: Int
    /// The node's input and output shape per sample (from the analysis).
    public let inputShape: Shape
    public let outputShape: Shape
    /// MACs of one run (the node's analysis MACs for the batch; aux heads excluded for the network).
    public let macs: Int
    public let memory: MemoryEstimate
    /// Each branch of a planned block and the op range that computes it.
    public let branches: [PlannedBranch]
    /// The input tensor; `setInput` fills it. It is never reused, so runs can repeat.
    public let input: Tensor
    public let output: Tensor
    /// The planned ops, in plan order (internal: tests check which engine op runs each step).
    let ops: [any EngineOp]
    /// Convs that read their own compact copy of the input image; `setInput` fills them.
    let compactInputOps: [CompactInputConvOp]
    /// All ops as one parallel run that overlaps independent ops (an inception block's branches).
    private let graph: OpGraph?
    /// The tensors, kept alive with the ops bound to them.
    private let tensors: [Tensor]

    /// Every conv and linear layer, in run order.
    public let layers: [PlannedLayer]

    /// Every engine op, in run order (`run(_:ops:)` indexes this list).
    public let plannedOps: [PlannedOp]

    /// Plans `options.path` of `layout`. `onWeights` sees every conv/linear layer's inference weights
    /// (batchnorm folded) as they are packed — `run --save` writes them out.
    public init(
        layout: Layout, options: PlanOptions,
        onWeights: ((WeightSpec, LayerWeights) throws -> Void)? = nil
    ) throws(PlanError) {
        guard options.batch >= 1 else { throw PlanError("batch must be at least 1, got \(options.batch)") }
        var builder = ProgramBuilder(
            layout: layout, batch: options.batch, includeAux: options.includeAux,
            fusePools: options.fusePools)
        let target = try builder.resolve(options.path)
        try builder.build(target)
        let program = builder.program
        let threads = options.threads > 0 ? options.threads : ThreadPool.defaultThreadCount
        let estimate = program.estimate(threads: threads, algorithm: options.algorithm)
        let budget = options.maxMemoryBytes ?? MemoryEstimate.defaultBudget
        let name = target.path.isEmpty ? layout.name : target.path
        guard estimate.totalBytes <= budget else {
            throw PlanError(
                "\(name) at batch \(options.batch) needs about \(estimate), over the memory budget of "
                    + "\(MemoryEstimate.mib(budget)) (raise it with --max-memory BYTES or lower --batch)")
        }
        // A budget above the machine's memory does not make the memory exist: allocating it would
        // trap (or be killed by the OOM killer), so refuse in one line whatever the budget says.
        let physical = MemoryEstimate.physicalMemory
        guard estimate.totalBytes <= physical else {
            throw PlanError(
                "\(name) at batch \(options.batch): cannot allocate about \(estimate), more than this machine's "
                    + "memory of \(MemoryEstimate.mib(physical)) (lower --batch or run a smaller node)")
        }
        do {
            try options.weights.checkFiles(program.weightSpecs)
        } catch {
            throw PlanError(error.description)
        }

        let (slotOf, slots) = program.assignSlots()
        var slotTensors: [Tensor] = []
        for shape in slots {
            do {
                slotTensors.append(try Tensor(shape: shape))
            } catch {
                throw PlanError("\(name): \(error)")
            }
        }
        // A split's slices on 16-channel blocks are views of their root's tensor (no copy).
        var bufferTensors: [Tensor] = []
        for (b, buf) in program.buffers.enumerated() {
            let whole = slotTensors[slotOf[b]]
            if let v = buf.view {
                guard let view = whole.channelView(v.channels) else {
                    throw PlanError(
                        "\(name): channels \(v.channels) of a \(whole.shape.c)-channel tensor are not a view")
                }
                bufferTensors.append(view)
            } else {
                bufferTensors.append(whole)
            }
        }
        func tensor(_ buffer: Int) -> Tensor { bufferTensors[buffer] }

        var ops: [any EngineOp] = []
        ops.reserveCapacity(program.steps.count)
        let chooser = AlgorithmChooser(
            policy: options.algorithm, threads: threads, refineMargin: options.closeCallMargin,
            replan: options.replan)
        var choices: [Int: AlgorithmChoice] = [:]
        var closeCalls: [Int: AlgorithmChooser.CloseCall] = [:]
        for (i, step) in program.steps.enumerated() {
            do {
                var sumInputs: [Tensor] = []
                if case .sum(let inputs, _, _) = step.kind { sumInputs = inputs.map(tensor) }
                if let r = step.residual { sumInputs = [tensor(r.shortcut)] }
                let made = try Self.makeOp(
                    step, input: tensor(step.input), sumInputs: sumInputs,
                    output: ChannelSlice(tensor(step.output), offset: step.offset),
                    weights: options.weights, chooser: chooser,
                    readsImage: step.input == program.input, onWeights: onWeights)
                ops.append(made.op)
                choices[i] = made.choice
                closeCalls[i] = made.closeCall
            } catch let e as PlanError {
                throw e
            } catch {
                throw PlanError("\(step.path): \(error)")
            }
        }
        if !closeCalls.isEmpty { Self.settle(closeCalls, ops: &ops, choices: &choices, chooser: chooser) }
        path = target.path
        batch = options.batch
        inputShape = target.input
        outputShape = target.output
        macs = target.macs
        // The estimate checked above counted each conv at its largest candidate; report the chosen.
        memory = program.estimate(threads: threads, algorithms: choices.mapValues { ConvAlgorithm($0.algorithm) })
        branches = program.branches.map { PlannedBranch(path: $0.path, ops: $0.steps) }
        layers = program.steps.enumerated().compactMap { i, step in
            step.cost.map { cost in
                let choice = choices[i]
                let algorithm = choice?.algorithm ?? .direct
                return PlannedLayer(
                    path: step.path, kind: cost.op, op: i, macs: cost.macs, bytes: cost.bytes,
                    algorithm: algorithm,
                    executedMACs: algorithm.isWinograd
                        ? (ops[i] as? WinogradConvOp).map { $0.executedFlops / 2 } ?? cost.macs : cost.macs,
                    choice: choice, name: step.name)
            }
        }
        plannedOps = program.steps.enumerated().map { i, step in
            PlannedOp(path: step.path, kind: step.name, algorithm: choices[i]?.algorithm)
        }
        input = tensor(program.input)
        output = tensor(program.output)
        self.ops = ops
        compactInputOps = ops.compactMap { $0 as? CompactInputConvOp }
        tensors = slotTensors
        do {
            graph = ops.isEmpty ? nil : try OpGraph(ops)
        } catch {
            throw PlanError("\(name): \(error)")
        }
    }

    /// Number of engine ops in one run.
    public var opCount: Int { ops.count }

    /// Runs the whole node once: one parallel run in which a block's branches overlap (`OpGraph`);
    /// bitwise the same result as running the ops one by one.
    public func run(_ pool: ThreadPool) {
        if let graph {
            graph.run(pool)
        } else {
            for op in ops { op.run(pool) }
        }
    }

    /// Runs ops `range` only (one branch of a block: it reads the block input and writes its slice).
    public func run(_ pool: ThreadPool, ops range: Range<Int>) {
        for i in range where ops.indices.contains(i) { ops[i].run(pool) }
    }

    /// Runs every op once, one after another in plan order (no overlap between ops), and adds each
    /// op's wall time in milliseconds to `times[op]`: where a pass goes (`bench --profile`). Each op
    /// finds the caches as the op before it left them, as inside a real pass.
    public func runTimingEachOp(_ pool: ThreadPool, into times: inout [[Double]]) {
        if times.count < ops.count { times += Array(repeating: [], count: ops.count - times.count) }
        var t0 = DispatchTime.now().uptimeNanoseconds
        for (i, op) in ops.enumerated() {
            op.run(pool)
            let t1 = DispatchTime.now().uptimeNanoseconds
            times[i].append(Double(t1 - t0) / 1e6)
            t0 = t1
        }
    }

    /// Runs once on a new pool of `threads` threads (freed after); returns the pass's milliseconds,
    /// pool start-up excluded. For one-off passes (`run`); timing loops keep one pool.
    public func runOnce(threads: Int) -> Double {
        let pool = ThreadPool(threads: threads)
        defer { pool.shutdown() }
        let t0 = DispatchTime.now().uptimeNanoseconds
        run(pool)
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }

    /// Fills the input from NCHW values of shape [batch, C, H, W].
    public func setInput(_ values: [Float]) throws(PlanError) {
        guard values.count == input.shape.count else {
            throw PlanError("input has \(values.count) values, the node takes \(input.shape.count) (\(inputDims))")
        }
        do {
            try input.load(nchw: values)
        } catch {
            throw PlanError("\(error)")
        }
        values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return }
            for op in compactInputOps { op.load(nchw: base) }
        }
    }

    /// The output as NCHW values, [batch, C, H, W].
    public func outputValues() -> [Float] { output.toNCHW() }

    /// [N, C, H, W] of the input and output.
    public var inputDims: [Int] { [batch, inputShape.channels, inputShape.height, inputShape.width] }
    public var outputDims: [Int] { [batch, outputShape.channels, outputShape.height, outputShape.width] }

    /// The step's op, and for a conv how its algorithm was chosen (nil for every other op).
    /// `sumInputs`: a sum's inputs, or a conv's fused shortcut (`Program.ResidualJoin`).
    static func makeOp(
        _ step: Program.Step, input: Tensor, sumInputs: [Tensor] = [], output: ChannelSlice,
        weights source: WeightSource,
        chooser: AlgorithmChooser, readsImage: Bool,
        onWeights: ((WeightSpec, LayerWeights) throws -> Void)?
    ) throws
        -> (op: any EngineOp, choice: AlgorithmChoice?, closeCall: AlgorithmChooser.CloseCall?)
    {
        let op: any EngineOp
        switch step.kind {
        case .conv(let c, let spec):
            var residual: Residual?
            if let r = step.residual {
                guard let shortcut = sumInputs.first else {
                    throw PlanError("\(step.path): the fused sum has no shortcut")
                }
                residual = Residual(shortcut: shortcut, scale: r.scale)
            }
            return try makeConv(
                c, spec, input: input, output: output, weights: source, chooser: chooser,
                readsImage: readsImage, fusedPool: step.fusedPool,
                residual: residual.map { ($0, step.residual?.relu ?? false) }, fusion: step.fusion,
                onWeights: onWeights)
        case .groupedConv(let c, let spec):
            var w = try loadWeights(spec, source)
            if w.needsBatchNormFold { w = try w.foldingIdentityBatchNorm() }
            let cw = try ConvWeights(
                outChannels: c.out, inChannels: input.shape.c / c.groups, kernelH: c.kernel.h,
                kernelW: c.kernel.w, weight: w.weight, bias: w.bias)
            try onWeights?(spec, w)
            // Depthwise on `DepthwiseConvOp`, other groups on the micro-kernel per group.
            op = try makeGroupedConv(
                input: input, output: output, params: convParams(c), weights: cw, groups: c.groups,
                inputReLU: step.fusion.inputReLU)
        case .linear(let l, let spec):
            let w = try loadWeights(spec, source)
            try onWeights?(spec, w)
            op = try LinearOp(
                input: input, output: output, outFeatures: l.out, weight: w.weight, bias: w.bias,
                relu: l.activation == .relu)
        case .maxpool(let p):
            op = try PoolOp(.max, input: input, output: output, params: poolParams(p))
        case .avgpool(let p):
            op = try PoolOp(.average, input: input, output: output, params: poolParams(p))
        case .globalAvgPool:
            op = try GlobalAvgPoolOp(input: input, output: output)
        case .lrn(let l):
            op = try LRNOp(
                input: input, output: output,
                params: LRNParams(size: l.size, alpha: Float(l.alpha), beta: Float(l.beta), k: Float(l.k)))
        case .softmax:
            op = try SoftmaxOp(input: input, output: output)
        case .batchnorm(let spec):
            // y = scale·x + shift per channel, the folded values.
            let w = try loadWeights(spec, source)
            try onWeights?(spec, w)
            op = try ChannelAffineOp(input: input, output: output, scale: w.weight, shift: w.bias)
        case .relu:
            op = try ChannelAffineOp.activation(.relu, input: input, output: output)
        case .gelu:
            op = try ChannelAffineOp.activation(.gelu, input: input, output: output)
        case .layernorm(let spec):
            let w = try loadWeights(spec, source)
            try onWeights?(spec, w)
            guard case .layernorm(_, let eps) = spec.kind else { throw PlanError("\(spec.path): not a layer norm") }
            op = try LayerNormOp(
                input: input, output: output, gamma: w.weight,
                beta: w.bias ?? .init(repeating: 0, count: input.shape.c), epsilon: Float(eps))
        case .layerscale(let spec):
            let w = try loadWeights(spec, source)
            try onWeights?(spec, w)
            op = try ChannelAffineOp(input: input, output: output, scale: w.weight, shift: nil)
        case .copy(let channels):
            op = try ChannelCopyOp(input: input, channels: channels, output: output)
        case .l2norm(let eps):
            op = try L2NormOp(input: input, output: output, epsilon: Float(eps))
        case .sum(_, let scales, let relu):
            op = try SumOp(inputs: sumInputs, scales: scales, activation: relu ? .relu : .none, output: output)
        }
        return (op, nil, nil)
    }

    /// A conv layer's op: its weights loaded (batchnorm folded in when the source has none of its own),
    /// handed to `onWeights`, and its algorithm chosen by `chooser`.
    ///
    /// `readsImage`: the conv reads the plan's input, so a direct conv of an image of ≤ 4 channels
    /// reads a compact copy of it instead of the NCHW16c tensor, 3 of whose 16 lanes are real
    /// (`CompactInputConvOp`; `setInput` fills the copy).
    ///
    /// `residual`: a fused sum join (the shortcut and the branch's scale) and whether ReLU follows
    /// the sum; the conv's own activation is then none, the sum's is applied after the shortcut.
    ///
    /// `fusion`: a batchnorm before and a layer scale after folded into the packed weights (each
    /// handed to `onWeights` as its own layer, unfolded), a GELU as the conv's epilogue.
    static func makeConv(
        _ c: Conv, _ spec: WeightSpec, input: Tensor, output: ChannelSlice, weights source: WeightSource,
        chooser: AlgorithmChooser, readsImage: Bool, fusedPool: Program.FusedPool? = nil,
        residual: (Residual, relu: Bool)? = nil, fusion: Program.ConvFusion = Program.ConvFusion(),
        onWeights: ((WeightSpec, LayerWeights) throws -> Void)?
    ) throws
        -> (any EngineOp, AlgorithmChoice?, AlgorithmChooser.CloseCall?)
    {
        var w = try loadWeights(spec, source)
        if w.needsBatchNormFold { w = try w.foldingIdentityBatchNorm() }
        var cw = try ConvWeights(
            outChannels: c.out, inChannels: input.shape.c, kernelH: c.kernel.h,
            kernelW: c.kernel.w, weight: w.weight, bias: w.bias)
        try onWeights?(spec, w)
        if let bnSpec = fusion.batchnorm {
            // The standalone batchnorm's inference form: y = weight · x + bias per channel.
            let bn = try loadWeights(bnSpec, source)
            try onWeights?(bnSpec, bn)
            cw = try cw.foldingInputAffine(
                scale: bn.weight, shift: bn.bias ?? .init(repeating: 0, count: input.shape.c))
        }
        if let lsSpec = fusion.layerscale {
            let gamma = try loadWeights(lsSpec, source)
            try onWeights?(lsSpec, gamma)
            cw = try cw.scalingOutputs(gamma.weight)
        }
        var params = convParams(c)
        if fusion.gelu { params.activation = .gelu }
        if let residual {
            params.relu = residual.relu
            let (op, choice, closeCall) = try chooser.makeConv(
                input: input, output: output, params: params, weights: cw,
                residual: residual.0)
            return (op, choice, closeCall)
        }
        if let f = fusedPool {
            // A 1×1 conv: direct is its only algorithm.
            let op = try PooledConvOp(
                f.kind, poolParams: poolParams(f.pool), input: input, output: output,
                params: params, weights: cw)
            return (op, AlgorithmChoice(algorithm: .direct, candidates: [], cached: false), nil)
        }
        let (op, choice, closeCall) = try chooser.makeConv(input: input, output: output, params: params, weights: cw)
        // The compact-input conv has no GELU epilogue.
        if readsImage && input.shape.c <= CompactInputConvOp.maxChannels && op is Conv2DOp
            && params.activation != .gelu
        {
            return (try CompactInputConvOp(input: input, output: output, params: params, weights: cw), choice, nil)
        }
        return (op, choice, closeCall)
    }

    static func loadWeights(_ spec: WeightSpec, _ source: WeightSource) throws(PlanError) -> LayerWeights {
        do {
            return try source.weights(for: spec)
        } catch {
            throw PlanError(error.description)
        }
    }

    /// The engine's stride, resolved padding and fused ReLU of a layout conv.
    static func convParams(_ c: Conv) -> ConvParams {
        let pad = c.pad.resolved(kernel: c.kernel)
        return ConvParams(
            strideH: c.stride.h, strideW: c.stride.w, pad: Padding2D(h: pad.h, w: pad.w),
            relu: c.activation == .relu)
    }

    static func poolParams(_ p: Pool) -> PoolParams {
        PoolParams(
            kernelH: p.kernel.h, kernelW: p.kernel.w, strideH: p.stride.h, strideW: p.stride.w,
            padH: p.pad.h, padW: p.pad.w, ceilMode: p.ceil, countPad: p.countPad)
    }
}
