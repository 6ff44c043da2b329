/// The rules of `batchnorm`: an inference batchnorm on its own, not folded into a conv (Xception's BN
/// after a separable conv's depthwise half when the exporter keeps it, BN after a concat).
/// y = γ·(x − mean)/√(var + eps) + β per channel. Shape unchanged; params 2·C (γ, β), buffers 2·C
/// (running mean and variance), no MACs (fvcore's convention, as for the conv's batchnorm).
struct BatchNormRules: EpsilonRules {
    var epsilon: Double

    static let kind = Op.Kind.batchnorm
    /// PyTorch's `nn.BatchNorm2d` default, and what a file without `"eps"` means.
    static let defaultEpsilon = 1e-5

    static func op(epsilon: Double) -> Op { .batchnorm(epsilon: epsilon) }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        let (twice, overflow) = input.channels.multipliedReportingOverflow(by: 2)
        if overflow { throw .overflow }
        return LayerFigures(output: input, params: twice, buffers: twice, macs: 0, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "batchnorm" }
    func shortLabel(ascii: Bool) -> String { "bn" }

    var figureLabel: String { "batchnorm" }
    var figureShortLabel: String { "BN" }
    var figureCategory: FigureCategory { .norm }
}
