import ConvEngine
import InceptionCore
import InceptionWeights

/// The engine-backed `ForwardTimer`: plans the node on ConvEngine (generated He-normal weights by
/// default, the input N(0, 1) from a seeded stream), then times whole forward passes and, for an
/// inception block, each branch alone on the same plan (a branch's ops read the block input and
/// write its slice, exactly as inside the block), and with `perLayer` each conv and linear op alone
/// (it reads its input tensor as the last run left it and writes its own output slice).
///
/// Safe to call from any thread; each call plans, runs on its own thread pool and frees both.
public struct EngineForwardTimer: ForwardTimer {
    /// How to get the machine's FMA peak for "% of peak" (and, for per-layer runs, the memory
    /// bandwidth for the roofline).
    public enum PeakPolicy: Sendable {
        /// Use the cached value, measuring (a fraction of a second) and caching when there is none.
        case cachedOrMeasured
        /// Use the cached value only.
        case cachedOnly
        /// Leave the peak out.
        case none
    }

    /// Threads used when a thread count is 0: all cores of this machine.
    public static var defaultThreads: Int { ThreadPool.defaultThreadCount }

    public var weights: WeightSource
    /// Seed of the generated input.
    public var inputSeed: UInt64
    /// Memory budget for the plan (nil: half of physical memory).
    public var maxMemoryBytes: Int?
    public var peak: PeakPolicy
    /// Conv algorithms the plan may use; `auto` times candidates per layer once per machine and
    /// shape (`AlgorithmCache`).
    public var algorithm: AlgorithmPolicy
    /// Under `auto`, decide every conv's algorithm again and replace the cached choices.
    public var replan = false

    public init(
        weights: WeightSource = .generated(seed: 0), inputSeed: UInt64 = 0, maxMemoryBytes: Int? = nil,
        peak: PeakPolicy = .cachedOrMeasured, algorithm: AlgorithmPolicy = .auto
    ) {
        self.weights = weights
        self.inputSeed = inputSeed
        self.maxMemoryBytes = maxMemoryBytes
        self.peak = peak
        self.algorithm = algorithm
    }

    public func time(
        _ layout: Layout, path: String, options: TimingOptions,
        progress: @escaping @Sendable (Double) -> Void,
        isCancelled: @escaping @Sendable () -> Bool
    ) throws -> TimingResult {
        let threads = options.threads > 0 ? options.threads : ThreadPool.defaultThreadCount
        var planOptions = PlanOptions(
            path: path, batch: options.batch, threads: threads, weights: weights, maxMemoryBytes: maxMemoryBytes,
            algorithm: algorithm)
        planOptions.replan = replan
        let plan = try ExecutionPlan(layout: layout, options: planOptions)
        var rng = SplitMix64(seed: inputSeed, stream: "input")
        try plan.setInput(rng.normals(plan.input.shape.count, std: 1))

        let pool = ThreadPool(threads: threads)
        defer { pool.shutdown() }
        let loop = IterationLoop(
            warmup: options.warmup, minIterations: options.minIterations,
            minSeconds: options.minSeconds)
        // A layer alone is one op of many: the same warm-up and count, a tenth of the time floor.
        let layerLoop = IterationLoop(
            warmup: options.warmup, minIterations: options.minIterations,
            minSeconds: options.minSeconds / 10)
        let branches = options.perBranch ? plan.branches : []
        let layers = options.perLayer ? plan.layers : []
        let phases = Double(1 + branches.count + layers.count + (options.perOp ? 1 : 0))
        var phase = 0.0
        var done = 0
        func timed(_ loop: IterationLoop, _ body: () -> Void) throws(TimingCancelled) -> [Double] {
            let start = phase
            let s = try loop.run(
                body, done: done, progress: { progress((start + $0) / phases) },
                isCancelled: isCancelled)
            done += s.count
            phase += 1
            return s
        }

        let samples = try timed(loop) { plan.run(pool) }
        var branchTimes: [TimingResult.BranchTime] = []
        for branch in branches {
            let s = try timed(loop) { plan.run(pool, ops: branch.ops) }
            branchTimes.append(.init(path: branch.path, medianMs: SampleStats(s).median))
        }
        var layerTimes: [TimingResult.LayerTime] = []
        for layer in layers {
            let s = try timed(layerLoop) { plan.run(pool, ops: layer.op..<(layer.op + 1)) }
            layerTimes.append(
                .init(
                    path: layer.path, op: layer.kind, medianMs: SampleStats(s).median,
                    macs: layer.macs, bytes: layer.bytes, algorithm: layer.algorithm,
                    executedMACs: layer.executedMACs, name: layer.name))
        }

        var opTimes: [TimingResult.OpTime]?
        var opByOpMs: Double?
        if options.perOp {
            var perOp: [[Double]] = []
            let s = try timed(loop) { plan.runTimingEachOp(pool, into: &perOp) }
            // The warm-up passes were timed into `perOp` too: keep each op's last `s.count` samples.
            opTimes = zip(plan.plannedOps, perOp).map { op, samples in
                TimingResult.OpTime(
                    path: op.path, kind: op.kind, algorithm: op.algorithm,
                    medianMs: SampleStats(Array(samples.suffix(s.count))).median)
            }
            opByOpMs = SampleStats(s).median
        }

        let peakGFLOPS: Double? =
            switch peak {
            case .cachedOrMeasured: PeakCache.peak(threads: threads)
            case .cachedOnly: PeakCache.cached(threads: threads)
            case .none: nil
            }
        // The bandwidth only matters for the roofline, so only per-layer runs look it up.
        let bandwidthGBs: Double? =
            switch (peak, options.perLayer) {
            case (_, false), (.none, _): nil
            case (.cachedOrMeasured, true): PeakCache.bandwidth(threads: threads)
            case (.cachedOnly, true): PeakCache.cachedBandwidth(threads: threads)
            }
        let stats = SampleStats(samples)
        progress(1)
        var result = TimingResult(
            path: plan.path, input: plan.inputShape, output: plan.outputShape, batch: plan.batch,
            threads: threads, iterations: samples.count, medianMs: stats.median, minMs: stats.min,
            meanMs: stats.mean, macs: plan.macs, branches: branchTimes, peakGFLOPS: peakGFLOPS,
            layers: options.perLayer ? layerTimes : nil, bandwidthGBs: bandwidthGBs)
        result.debugBuild = isDebugBuild
        result.executedMACs = plan.macs - plan.layers.reduce(0) { $0 + $1.macs - $1.executedMACs }
        result.ops = opTimes
        result.opByOpMedianMs = opByOpMs
        result.p10Ms = stats.p10
        result.p90Ms = stats.p90
        result.algorithms = plan.layers.filter { $0.kind == .conv }.map {
            TimingResult.LayerAlgorithm(path: $0.path, algorithm: $0.algorithm, choice: $0.choice)
        }
        return result
    }
}
