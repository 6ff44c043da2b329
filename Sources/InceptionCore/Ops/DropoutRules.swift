/// The rules of `dropout`: the identity at inference; `rate` in [0, 1).
struct DropoutRules: LeafRules, LeafFormat {
    var rate: Double

    static let kind = Op.Kind.dropout
    static let keys = ["op", "name", "rate"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        let rate = try d.number(object, "rate", default: nil)
        guard DropoutRules(rate: rate).problem == nil else {
            throw d.fail(at: "rate", "expected a number in [0, 1), got \(object["rate"]?.brief ?? "")")
        }
        return .dropout(rate: rate)
    }

    func encodeFields(into out: inout String) {
        FieldText.add("rate", JSONValue.numberText(rate), into: &out)
    }

    var problem: (key: String, message: String)? {
        rate >= 0 && rate < 1 ? nil : ("rate", "rate must be in [0, 1), got \(rate)")
    }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "dropout \(NumberFormat.fixed(rate, decimals: 2))" }
    func shortLabel(ascii: Bool) -> String { "drop \(NumberFormat.fixed(rate, decimals: 2))" }

    var figureLabel: String { "dropout \(NumberFormat.fixed(rate, decimals: 2))" }
    var figureShortLabel: String { "drop" }
    var figureCategory: FigureCategory { .other }
}
