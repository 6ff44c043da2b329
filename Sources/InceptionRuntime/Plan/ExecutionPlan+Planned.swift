import InceptionCore

/// What a plan reports about itself: its blocks' branches, its conv and linear layers, its engine
/// ops (the profile's and the roofline's rows; `ExecutionPlan.branches`, `.layers`, `.plannedOps`).
extension ExecutionPlan {
    /// A branch of a planned block and the op range that computes it.
    public struct PlannedBranch: Equatable, Sendable {
        public var path: String
        public var ops: Range<Int>
    }

    /// A conv or linear layer of the plan: its op (run alone with `run(_:ops: op..<op + 1)`; it
    /// reads its input tensor and writes its output slice as inside the full run), MACs and bytes.
    public struct PlannedLayer: Equatable, Sendable {
        public var path: String
        public var kind: Op.Kind
        public var op: Int
        /// MACs for the batch.
        public var macs: Int
        /// Input + weights + output bytes for the batch, float32 (see `TimingResult.LayerTime`).
        public var bytes: Int
        /// Direct or Winograd F(m, r) (linear layers: direct).
        public var algorithm: ConvMethod = .direct
        /// MACs the algorithm really multiplies for the batch (`ConvAlgorithm.executedMACs`).
        public var executedMACs: Int = 0
        /// How a conv's algorithm was chosen (nil for linear layers).
        public var choice: AlgorithmChoice?
        /// The op's name in profiles ("conv", "dwconv", "gconv", "conv+sum", "linear"; `PlannedOp.kind`).
        public var name: String = "conv"
    }

    /// One engine op of the plan: the node it computes and what it is.
    public struct PlannedOp: Equatable, Sendable {
        /// The layer's node path ("inception_3a/pool/0"; an identity branch: the branch's path).
        public var path: String
        /// The op's name in the layout ("conv", "maxpool", "copy", ...).
        public var kind: String
        /// A conv's algorithm; nil for other ops.
        public var algorithm: ConvMethod?
    }
}
