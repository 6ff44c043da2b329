/// The rules of `gelu`: x · Φ(x) = x · ½ · (1 + erf(x / √2)) on its own, the exact form of torch's
/// default `nn.GELU()` (InceptionNeXt's MLP between its two 1x1 convs, and its head after fc1).
/// Shape unchanged; no params, no MACs (fvcore counts only convs and linears).
struct GeluRules: LeafRules, LeafFormat {
    static let kind = Op.Kind.gelu
    static let keys = ["op", "name"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op { .gelu }
    func encodeFields(into out: inout String) {}
    var problem: (key: String, message: String)? { nil }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "gelu" }
    func shortLabel(ascii: Bool) -> String { "gelu" }

    var figureLabel: String { "GELU" }
    var figureShortLabel: String { "gelu" }
    var figureCategory: FigureCategory { .other }
}
