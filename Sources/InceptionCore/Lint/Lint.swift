/// Design lints: the notes' principles checked against a layout, each finding located by node
/// path with the measured figures and a move that addresses it. See docs/lints.md for each rule,
/// its defaults, and every lint the shipped layouts produce and why.
public enum LintID: String, CaseIterable, Sendable, Comparable {
    case bottleneck
    case factorizationGrid = "factorization-grid"
    case largeKernel = "large-kernel"
    case missingReduction = "missing-reduction"
    case widthDepthBalance = "width-depth-balance"
    case residualScaling = "residual-scaling"

    public static func < (a: LintID, b: LintID) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }

    /// The principle, quoted in short from the notes (and the papers they follow).
    public var principle: String {
        switch self {
        case .bottleneck:
            "avoid representational bottlenecks, especially early: the representation should shrink gradually, "
                + "no sudden squeeze such as a 7x7 stride 5 at the start (Rethinking, principle 1)"
        case .factorizationGrid:
            "factorizing n x n into 1 x n then n x 1 works poorly early; it works well on medium grids, "
                + "m x m with m between 12 and 20 (Rethinking, figure 6)"
        case .largeKernel:
            "a 5x5 conv costs 25/9 = 2.78x a 3x3 with the same channels; two stacked 3x3 convs cover the same "
                + "receptive field with fewer parameters (Rethinking, figure 5)"
        case .missingReduction:
            "spatial aggregation can be done on a lower-dimensional embedding: a 1x1 conv reduces channels "
                + "before the 3x3 and 5x5 convs (GoogLeNet; Rethinking, principle 3)"
        case .widthDepthBalance:
            "features grow more abstract with depth, so the share of 3x3 and 5x5 convs should grow with depth "
                + "(GoogLeNet, section 3); balance width and depth (Rethinking, principle 4)"
        case .residualScaling:
            "with more than about 1,000 filters, residual variants became unstable unless the residuals were "
                + "scaled down by about 0.1-0.3 before the sum (Inception-v4 / Inception-ResNet, section 3.3)"
        }
    }
}

/// One finding.
public struct Lint: Equatable, Sendable {
    public var id: LintID
    /// The node it is about (for the balance lint: the first block of the stage that falls).
    public var path: String
    public var address: NodeAddress
    /// The figures that made it fire, with the arithmetic.
    public var measured: String
    /// A move that addresses it (often an explorer key).
    public var suggestion: String

    public var principle: String { id.principle }
}

/// Which share of an inception block the width/depth balance lint follows.
public enum BalanceMeasure: String, Sendable, CaseIterable {
    /// Output channels of branches that hold a spatial conv: the "ratio of 3x3 and 5x5 convolutions".
    case channels
    /// MACs of spatial convs (kernel larger than 1x1) in the block.
    case macs
}

/// Thresholds of every lint, with the documented defaults (docs/lints.md).
public struct LintOptions: Equatable, Sendable {
    /// bottleneck: fires when a main-path layer's or block's C·H·W, measured on the stride grid,
    /// falls below this fraction of its input's (a stride-2 pool keeping channels is exactly 1/4).
    public var bottleneckFraction = 0.25
    /// bottleneck: fires for a main-path conv or pool with a stride this large or larger.
    public var maxStride = 4
    /// factorization-grid: the medium grids where 1 x n / n x 1 stacks work well.
    public var gridMin = 12
    public var gridMax = 20
    /// large-kernel: fires when factorizing saves at least this fraction of the conv's params.
    public var minFactorizeSaving = 0.2
    /// missing-reduction: fires when a 1x1 reduction to a quarter of the input channels would cut
    /// the weights at least this many times...
    public var minReductionSaving = 2.0
    /// ...and, for top-level convs, the input has at least this many channels (the RGB stem is not a case).
    public var reductionMinChannels = 64
    /// width-depth-balance: fires when a grid stage's share is this much (absolute) below the stage before.
    public var balanceDrop = 0.10
    public var balanceMeasure = BalanceMeasure.channels
    /// residual-scaling: fires on a sum of more than this many channels whose residual (non-identity)
    /// branch is scaled by more than `maxResidualScale` (Inception-v4, section 3.3: ~1,000 filters, 0.1-0.3).
    public var residualChannels = 1000
    public var maxResidualScale = 0.3
    /// The lints to run.
    public var enabled = Set(LintID.allCases)

    public init() {}

    /// A one-line problem with the options, or nil when they are usable.
    public func problem() -> String? {
        if !(bottleneckFraction > 0 && bottleneckFraction <= 1) {
            return "bottleneck fraction must be in (0, 1], got \(bottleneckFraction)"
        }
        if maxStride < 2 { return "max stride must be at least 2, got \(maxStride)" }
        if gridMin < 1 || gridMax < gridMin {
            return "grid range must satisfy 1 <= min <= max, got \(gridMin)...\(gridMax)"
        }
        if !(minFactorizeSaving >= 0 && minFactorizeSaving < 1) {
            return "factorize saving must be in [0, 1), got \(minFactorizeSaving)"
        }
        if !(minReductionSaving >= 1) || !minReductionSaving.isFinite {
            return "reduction saving must be at least 1, got \(minReductionSaving)"
        }
        if reductionMinChannels < 1 { return "reduction min channels must be at least 1, got \(reductionMinChannels)" }
        if !(balanceDrop >= 0 && balanceDrop <= 1) { return "balance drop must be in [0, 1], got \(balanceDrop)" }
        if residualChannels < 0 { return "residual channels must be at least 0, got \(residualChannels)" }
        if !(maxResidualScale >= 0) || !maxResidualScale.isFinite {
            return "max residual scale must be a number >= 0, got \(maxResidualScale)"
        }
        return nil
    }
}
