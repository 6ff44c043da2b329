/// The rules of `globalavgpool`: the average over the whole map, C×H×W → C×1×1.
struct GlobalAvgPoolRules: LeafRules, LeafFormat {
    static let kind = Op.Kind.globalavgpool
    static let keys = ["op", "name"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op { .globalavgpool }
    func encodeFields(into out: inout String) {}
    var problem: (key: String, message: String)? { nil }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: Shape(input.channels, 1, 1), window: nil)
    }

    func label(ascii: Bool) -> String { "globalavgpool" }
    func shortLabel(ascii: Bool) -> String { "global avg" }

    var figureLabel: String { "global avg pool" }
    var figureShortLabel: String { "gap" }
    var figureCategory: FigureCategory { .pool }
}
