/// The rules of `relu`: max(0, x) on its own (Xception's pre-activation before a separable conv,
/// where the shortcut must see the input before it). Shape unchanged; no params, no MACs (fvcore).
struct ReluRules: LeafRules, LeafFormat {
    static let kind = Op.Kind.relu
    static let keys = ["op", "name"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op { .relu }
    func encodeFields(into out: inout String) {}
    var problem: (key: String, message: String)? { nil }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "relu" }
    func shortLabel(ascii: Bool) -> String { "relu" }

    var figureLabel: String { "ReLU" }
    var figureShortLabel: String { "relu" }
    var figureCategory: FigureCategory { .other }
}
