/// The outcome of a timed forward pass of one node (a layer, a block or the whole network).
///
/// Times are per forward pass of the whole batch, in milliseconds. GFLOP/s counts FLOPs = 2·MACs of
/// the node (fvcore's MACs: conv and linear only) over the median time, so it is comparable across
/// engines that do the same work.
public struct TimingResult: Equatable, Sendable {
    public struct BranchTime: Equatable, Sendable {
        public var path: String
        public var medianMs: Double

        public init(path: String, medianMs: Double) {
            self.path = path
            self.medianMs = medianMs
        }
    }

    /// One conv or linear layer timed alone (`TimingOptions.perLayer`), with the work and traffic a
    /// roofline needs.
    ///
    /// `bytes` is the layer's compulsory memory traffic for one run of the whole batch, in float32:
    /// input activations (batch·C·H·W) + weights (kernel, plus one bias per output channel when the
    /// layer has a bias or a folded batchnorm) + output activations (batch·C·H·W), × 4 bytes. Each
    /// tensor counts once: re-reads the kernels make (input rows under overlapping windows, weights
    /// per output tile) are cache traffic, not DRAM traffic, so they are not counted — the usual
    /// roofline convention, which makes `bytes` a lower bound and the intensity an upper bound.
    public struct LayerTime: Equatable, Sendable {
        /// The layer's node path ("inception_3a/3x3/2").
        public var path: String
        /// The layer's op: conv or linear.
        public var op: Op.Kind
        public var medianMs: Double
        /// MACs of the layer for the batch (fvcore's count, as in the analysis).
        public var macs: Int
        /// Input + weights + output bytes (see the type's comment).
        public var bytes: Int
        /// The algorithm the layer ran: direct or Winograd F(m, r).
        public var algorithm: ConvMethod
        /// MACs the algorithm really multiplied (Winograd: far fewer than `macs`).
        public var executedMACs: Int
        /// The engine op's name as profiles show it ("conv", "dwconv", "relu+dwconv", "gconv",
        /// "conv+sum", "linear"; `ExecutionPlan.PlannedOp.kind`): depthwise layers are judged on bandwidth.
        public var name: String

        public init(
            path: String, op: Op.Kind, medianMs: Double, macs: Int, bytes: Int,
            algorithm: ConvMethod = .direct, executedMACs: Int? = nil, name: String? = nil
        ) {
            self.path = path
            self.op = op
            self.medianMs = medianMs
            self.macs = macs
            self.bytes = bytes
            self.algorithm = algorithm
            self.executedMACs = executedMACs ?? macs
            self.name = name ?? op.rawValue
        }

        /// A depthwise conv ("dwconv", or "relu+dwconv" when it applies the ReLU before it): judged
        /// on bandwidth, not on the FMA peak.
        public var isDepthwise: Bool { name == "dwconv" || name.hasSuffix("+dwconv") }

        /// Achieved bandwidth: `bytes` / median time, GB/s.
        public var gbPerSecond: Double { medianMs > 0 ? Double(bytes) / (medianMs * 1e6) : 0 }

        /// Effective rate: 2·MACs (the direct conv's count) / median time. A Winograd layer can pass
        /// the FMA peak on this count.
        public var gflops: Double { medianMs > 0 ? Double(macs) * 2 / (medianMs * 1e6) : 0 }
        /// Executed rate: 2·executed MACs / median time (never above the FMA peak).
        public var executedGFLOPS: Double { medianMs > 0 ? Double(executedMACs) * 2 / (medianMs * 1e6) : 0 }
    }

    /// The algorithm one conv layer of the plan ran (every conv, whether or not layers were timed).
    public struct LayerAlgorithm: Equatable, Sendable {
        public var path: String
        public var algorithm: ConvMethod
        /// How it was chosen: the candidates' measured errors and times (see `AlgorithmChoice`).
        public var choice: AlgorithmChoice?
        public init(path: String, algorithm: ConvMethod, choice: AlgorithmChoice? = nil) {
            self.path = path
            self.algorithm = algorithm
            self.choice = choice
        }
    }

    /// The node's path ("" for the whole network).
    public var path: String
    public var input: Shape
    public var output: Shape
    public var batch: Int
    public var threads: Int
    /// One engine op timed inside whole passes run op by op (`TimingOptions.perOp`).
    public struct OpTime: Equatable, Sendable {
        public var path: String
        /// "conv", "maxpool", "copy", ... (`ExecutionPlan.PlannedOp.kind`).
        public var kind: String
        /// A conv's algorithm; nil for other ops.
        public var algorithm: ConvMethod?
        public var medianMs: Double

        public init(path: String, kind: String, algorithm: ConvMethod? = nil, medianMs: Double) {
            self.path = path
            self.kind = kind
            self.algorithm = algorithm
            self.medianMs = medianMs
        }
    }

    public var iterations: Int
    public var medianMs: Double
    public var minMs: Double
    public var meanMs: Double
    public var macs: Int
    /// MACs the plan's algorithms really multiply: `macs` less what its Winograd convs save
    /// (`LayerTime.executedMACs`); `macs` itself where every conv runs direct.
    public var executedMACs: Int
    /// Each branch of a block timed alone (empty for a layer or the network).
    public var branches: [BranchTime]
    /// The machine's measured FP32 FMA peak at this thread count, when known.
    public var peakGFLOPS: Double?
    /// Each conv and linear layer timed alone, in plan order; nil unless `TimingOptions.perLayer`.
    public var layers: [LayerTime]?
    /// Every op in plan order, timed inside passes run op by op; nil unless `TimingOptions.perOp`.
    public var ops: [OpTime]?
    /// The median of those op-by-op passes (the sum of the ops plus the clock reads; the graph
    /// pass above overlaps independent ops, so it can be shorter).
    public var opByOpMedianMs: Double?
    /// The machine's measured memory bandwidth (GB/s, STREAM-triad counting) at this thread count,
    /// when known; looked up with the peak when layers are timed (the roofline needs both).
    public var bandwidthGBs: Double?
    /// Each conv layer's algorithm, in plan order.
    public var algorithms: [LayerAlgorithm] = []
    /// The engine that timed this ran from a debug build (the runtime's `isDebugBuild`, set by
    /// its `EngineForwardTimer`): timings are not representative.
    public var debugBuild = false
    /// The 10th and 90th percentile pass times (nearest rank), when the timer kept its samples:
    /// the spread the explorer shows beside the median.
    public var p10Ms: Double?
    public var p90Ms: Double?

    public init(
        path: String, input: Shape, output: Shape, batch: Int, threads: Int, iterations: Int,
        medianMs: Double, minMs: Double, meanMs: Double, macs: Int, branches: [BranchTime] = [],
        peakGFLOPS: Double? = nil, layers: [LayerTime]? = nil, bandwidthGBs: Double? = nil
    ) {
        self.path = path
        self.input = input
        self.output = output
        self.batch = batch
        self.threads = threads
        self.iterations = iterations
        self.medianMs = medianMs
        self.minMs = minMs
        self.meanMs = meanMs
        self.macs = macs
        executedMACs = macs
        self.branches = branches
        self.peakGFLOPS = peakGFLOPS
        self.layers = layers
        self.bandwidthGBs = bandwidthGBs
    }

    /// 2·MACs / median time: the effective rate once a conv runs Winograd (it credits the direct
    /// conv's MACs, so it can pass the FMA peak).
    public var gflops: Double { medianMs > 0 ? Double(macs) * 2 / (medianMs * 1e6) : 0 }

    /// 2·executed MACs / median time: what the FMA units really did.
    public var executedGFLOPS: Double { medianMs > 0 ? Double(executedMACs) * 2 / (medianMs * 1e6) : 0 }

    /// Whether some conv multiplied fewer MACs than the direct conv would (`gflops` is then an
    /// effective rate, and `executedGFLOPS` differs from it).
    public var ranFewerMACs: Bool { executedMACs != macs }

    /// The executed rate over the FMA peak, so it stays at or below 100% (but for a noisy peak)
    /// whatever the algorithms: the effective rate of a Winograd plan over the peak read 187% on
    /// inception_3a, a figure that says nothing about how busy the FMA units were.
    public var percentOfPeak: Double? { peakGFLOPS.map { $0 > 0 ? executedGFLOPS / $0 * 100 : 0 } }

    /// "direct 45, winograd F(4,3) 12": how many conv layers ran each algorithm ("" without convs).
    public var algorithmSummary: String { Self.algorithmSummary(algorithms.map(\.algorithm)) }

    /// "direct 45, winograd F(4,3) 12" for one algorithm per conv layer, names in order.
    public static func algorithmSummary(_ algorithms: some Sequence<ConvMethod>) -> String {
        var counts: [String: Int] = [:]
        for a in algorithms { counts[a.description, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}

/// How long and how hard to time: warm-up, then iterations until both a minimum count and a
/// minimum time are reached.
public struct TimingOptions: Equatable, Sendable {
    /// The most timed passes of one node, whatever the minimum time asks (a microsecond node with
    /// a long --min-time would otherwise grow its sample list without bound). `bench` says when a
    /// run stops here.
    public static let maxIterations = 1_000_000

    public var threads: Int
    public var batch: Int
    public var warmup: Int
    public var minIterations: Int
    public var minSeconds: Double
    /// Time each branch of a block alone too (the per-branch breakdown).
    public var perBranch: Bool
    /// Time each conv and linear layer alone too (for the roofline): the same warm-up and minimum
    /// count, a tenth of the minimum time per layer.
    public var perLayer: Bool
    /// Also time every op inside whole passes run op by op (where a pass goes): the same warm-up,
    /// count and minimum time as the passes.
    public var perOp: Bool

    public init(
        threads: Int = 0, batch: Int = 1, warmup: Int = 2, minIterations: Int = 10, minSeconds: Double = 0.5,
        perBranch: Bool = true, perLayer: Bool = false, perOp: Bool = false
    ) {
        self.threads = threads
        self.batch = batch
        self.warmup = warmup
        self.minIterations = minIterations
        self.minSeconds = minSeconds
        self.perBranch = perBranch
        self.perLayer = perLayer
        self.perOp = perOp
    }
}

/// Something that can time a node of a layout: the engine-backed runtime, or a stand-in in tests.
/// Called from a background thread; `progress` takes 0...1; `isCancelled` is polled between
/// iterations, and a cancelled run throws `TimingCancelled`.
public protocol ForwardTimer: Sendable {
    func time(
        _ layout: Layout, path: String, options: TimingOptions,
        progress: @escaping @Sendable (Double) -> Void,
        isCancelled: @escaping @Sendable () -> Bool
    ) throws -> TimingResult
}

public struct TimingCancelled: Error, Equatable {
    public var iterationsDone: Int
    public init(iterationsDone: Int) { self.iterationsDone = iterationsDone }
}
