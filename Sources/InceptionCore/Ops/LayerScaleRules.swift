/// The rules of `layerscale`: y = x · γ[c], a learned per-channel scale (InceptionNeXt's `gamma`
/// before the residual add, CaiT's LayerScale). Shape unchanged; params C (γ), no MACs (fvcore counts
/// only convs and linears). Not a sum branch's `scale`, which is one constant and no parameter.
struct LayerScaleRules: LeafRules, LeafFormat {
    static let kind = Op.Kind.layerscale
    static let keys = ["op", "name"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op { .layerscale }
    func encodeFields(into out: inout String) {}
    var problem: (key: String, message: String)? { nil }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, params: input.channels, macs: 0, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { ascii ? "layerscale gamma" : "layerscale γ" }
    func shortLabel(ascii: Bool) -> String { "lscale" }

    var figureLabel: String { "layer scale" }
    var figureShortLabel: String { "scale" }
    var figureCategory: FigureCategory { .other }
}
