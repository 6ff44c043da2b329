import InceptionCore
import InceptionWeights

/// How to plan a node of a layout.
public struct PlanOptions: Sendable {
    /// The node to run: a layer, branch, block or aux head path; "" for the whole network.
    public var path: String
    public var batch: Int
    /// Threads the plan will run on (only the memory estimate uses it: per-thread scratch).
    public var threads: Int
    /// Run auxiliary heads too (training-only classifiers; skipped by default).
    public var includeAux: Bool
    public var weights: WeightSource
    /// Refuse to plan when the estimate exceeds this many bytes (nil: half of physical memory).
    public var maxMemoryBytes: Int?
    /// Which conv algorithms the plan may use (`AlgorithmChooser`); direct by default so a plan
    /// built without asking never times anything. `bench`, `run` and the explorer use `.auto`.
    public var algorithm: AlgorithmPolicy
    /// Under `auto`, time every conv's candidates again and replace the cached choices
    /// (`bench --replan`, `run --replan`).
    public var replan = false
    /// Under `auto`, how close to the fastest alone a candidate must be to be timed again inside
    /// passes (`AlgorithmChooser.refineMargin`; tests widen it to make every choice a close call).
    var closeCallMargin = AlgorithmChooser.refineMargin
    /// Compute a pool branch's stride-1 pool inside its 1×1 conv (`PooledConvOp`); tests turn it off
    /// to check the fused plan against the unfused one, bit for bit.
    var fusePools = true

    public init(
        path: String = "", batch: Int = 1, threads: Int = 0, includeAux: Bool = false,
        weights: WeightSource = .generated(seed: 0), maxMemoryBytes: Int? = nil,
        algorithm: AlgorithmPolicy = .direct
    ) {
        self.path = path
        self.batch = batch
        self.threads = threads
        self.includeAux = includeAux
        self.weights = weights
        self.maxMemoryBytes = maxMemoryBytes
        self.algorithm = algorithm
    }
}
