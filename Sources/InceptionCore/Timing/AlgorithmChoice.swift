/// How one conv layer's algorithm was chosen at plan time (the runtime's `AlgorithmChooser` makes
/// it; `bench --json` and `run --json` print it).
public struct AlgorithmChoice: Equatable, Sendable {
    /// One candidate: its algorithm, measured error against the direct conv (0 for direct itself)
    /// and median time (nil when not timed: cached choice, failed the bound, or a fixed policy).
    public struct Candidate: Equatable, Sendable {
        public var algorithm: ConvMethod
        public var error: Double
        public var ms: Double?
        public var keepsBound: Bool
        /// Median milliseconds inside whole passes, for the candidates of a close call
        /// (`AlgorithmChooser.refineMargin`); nil otherwise.
        public var passMs: Double?

        public init(algorithm: ConvMethod, error: Double, ms: Double?, keepsBound: Bool, passMs: Double? = nil) {
            self.algorithm = algorithm
            self.error = error
            self.ms = ms
            self.keepsBound = keepsBound
            self.passMs = passMs
        }
    }

    public var algorithm: ConvMethod
    public var candidates: [Candidate]
    /// The choice came from the algorithm cache (no candidate was timed).
    public var cached: Bool
    /// Candidates alone were within `AlgorithmChooser.refineMargin` of the fastest, and the plan
    /// decided between them by timing them inside whole passes.
    public var decidedInPass: Bool

    public init(algorithm: ConvMethod, candidates: [Candidate], cached: Bool, decidedInPass: Bool = false) {
        self.algorithm = algorithm
        self.candidates = candidates
        self.cached = cached
        self.decidedInPass = decidedInPass
    }
}
