/// The rules of `lrn`: local response normalisation across channels (Caffe, ONNX). The value rule
/// itself is `LRN.problem`, which the engine's limits match.
struct LRNRules: LeafRules, LeafFormat {
    var lrn: LRN

    static let kind = Op.Kind.lrn
    static let keys = ["op", "name", "size", "alpha", "beta", "k"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        let defaults = LRN()
        let lrn = LRN(
            size: object["size"] == nil ? defaults.size : try d.positiveInt(object, "size"),
            alpha: try d.number(object, "alpha", default: defaults.alpha),
            beta: try d.number(object, "beta", default: defaults.beta),
            k: try d.number(object, "k", default: defaults.k))
        if let problem = lrn.problem { throw d.fail(at: problem.key, problem.message) }
        return .lrn(lrn)
    }

    func encodeFields(into out: inout String) {
        let defaults = LRN()
        if lrn.size != defaults.size { FieldText.add("size", String(lrn.size), into: &out) }
        if lrn.alpha != defaults.alpha { FieldText.add("alpha", JSONValue.numberText(lrn.alpha), into: &out) }
        if lrn.beta != defaults.beta { FieldText.add("beta", JSONValue.numberText(lrn.beta), into: &out) }
        if lrn.k != defaults.k { FieldText.add("k", JSONValue.numberText(lrn.k), into: &out) }
    }

    var problem: (key: String, message: String)? { lrn.problem }

    /// Shape unchanged; no params, no MACs.
    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "lrn \(lrn.size)" }
    func shortLabel(ascii: Bool) -> String { "lrn" }

    var figureLabel: String { "LRN \(lrn.size)" }
    var figureShortLabel: String { "LRN" }
    var figureCategory: FigureCategory { .norm }
}
