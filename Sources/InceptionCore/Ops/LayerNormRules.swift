/// The rules of `layernorm`: y = (x − μ) / √(σ² + eps) · γ[c] + β[c], μ and σ² (biased) over the C
/// channels of each pixel — timm's `LayerNorm2d` on N×C×H×W, and `nn.LayerNorm(C)` on the C×1×1
/// vector after a linear (InceptionNeXt's head: fc1 → GELU → LayerNorm → fc2). Shape unchanged;
/// params 2·C (γ, β), no buffers (no running statistics), no MACs (fvcore's convention, as for
/// batchnorm).
struct LayerNormRules: EpsilonRules {
    var epsilon: Double

    static let kind = Op.Kind.layernorm
    /// PyTorch's `nn.LayerNorm` default, and what a file without `"eps"` means (timm's LayerNorm2d and
    /// InceptionNeXt's head use 1e-6, which files then say).
    static let defaultEpsilon = 1e-5

    static func op(epsilon: Double) -> Op { .layernorm(epsilon: epsilon) }

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
