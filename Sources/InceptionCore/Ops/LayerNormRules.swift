/// The rules of `layernorm`: y = (x − μ) / √(σ² + eps) · γ[c] + β[c], μ and σ² (biased) over the C
/// channels of each pixel — timm's `LayerNorm2d` on N×C×H×W, and `nn.LayerNorm(C)` on the C×1×1
/// vector after a linear (InceptionNeXt's head: fc1 → GELU → LayerNorm → fc2). Shape unchanged;
/// params 2·C (γ, β), no buffers (no running statistics), no MACs (fvcore's convention, as for
/// batchnorm).
struct LayerNormRules: LeafRules, LeafFormat {
    var epsilon: Double

    static let kind = Op.Kind.layernorm
    static let keys = ["op", "name", "eps"]
    /// PyTorch's `nn.LayerNorm` default, and what a file without `"eps"` means (timm's LayerNorm2d and
    /// InceptionNeXt's head use 1e-6, which files then say).
    static let defaultEpsilon = 1e-5

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        let eps = try d.number(object, "eps", default: defaultEpsilon)
        if let p = LayerNormRules(epsilon: eps).problem { throw d.fail(at: p.key, p.message) }
        return .layernorm(epsilon: eps)
    }

    func encodeFields(into out: inout String) {
        if epsilon != Self.defaultEpsilon { FieldText.add("eps", JSONValue.numberText(epsilon), into: &out) }
    }

    /// The same bound as batchnorm's: an eps of 1 or more swamps the variance of unit-scale values.
    var problem: (key: String, message: String)? {
        epsilon.isFinite && epsilon >= 0 && epsilon < 1
            ? nil : ("eps", "eps must be a number in [0, 1), got \(epsilon)")
    }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        let (twice, overflow) = input.channels.multipliedReportingOverflow(by: 2)
        if overflow { throw .overflow }
        return LayerFigures(output: input, params: twice, macs: 0, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "layernorm" }
    func shortLabel(ascii: Bool) -> String { "ln" }

    var figureLabel: String { "layer norm" }
    var figureShortLabel: String { "LN" }
    var figureCategory: FigureCategory { .norm }
}
