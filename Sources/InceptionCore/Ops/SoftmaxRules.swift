/// The rules of `softmax`: over the channels, shape unchanged.
struct SoftmaxRules: LeafRules, LeafFormat {
    static let kind = Op.Kind.softmax
    static let keys = ["op", "name"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op { .softmax }
    func encodeFields(into out: inout String) {}
    var problem: (key: String, message: String)? { nil }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "softmax" }
    func shortLabel(ascii: Bool) -> String { "softmax" }

    var figureLabel: String { "softmax" }
    var figureShortLabel: String { "softmax" }
    var figureCategory: FigureCategory { .other }
}
