/// The rules of `batchnorm`: an inference batchnorm on its own, not folded into a conv (Xception's BN
/// after a separable conv's depthwise half when the exporter keeps it, BN after a concat).
/// y = γ·(x − mean)/√(var + eps) + β per channel. Shape unchanged; params 2·C (γ, β), buffers 2·C
/// (running mean and variance), no MACs (fvcore's convention, as for the conv's batchnorm).
struct BatchNormRules: LeafRules, LeafFormat {
    var epsilon: Double

    static let kind = Op.Kind.batchnorm
    static let keys = ["op", "name", "eps"]
    /// PyTorch's `nn.BatchNorm2d` default, and what a file without `"eps"` means.
    static let defaultEpsilon = 1e-5

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        let eps = try d.number(object, "eps", default: defaultEpsilon)
        if let p = BatchNormRules(epsilon: eps).problem { throw d.fail(at: p.key, p.message) }
        return .batchnorm(epsilon: eps)
    }

    func encodeFields(into out: inout String) {
        if epsilon != Self.defaultEpsilon { FieldText.add("eps", JSONValue.numberText(epsilon), into: &out) }
    }

    var problem: (key: String, message: String)? {
        epsilon.isFinite && epsilon >= 0 && epsilon < 1
            ? nil : ("eps", "eps must be a number in [0, 1), got \(epsilon)")
    }

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
