/// The rules of `linear`: a fully connected layer over the flattened C·H·W input.
struct LinearRules: LeafRules, LeafFormat {
    var linear: Linear

    static let kind = Op.Kind.linear
    static let keys = ["op", "name", "out", "bias", "activation"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        .linear(
            Linear(
                out: try d.positiveInt(object, "out"),
                bias: try d.bool(object, "bias", default: true),
                activation: try d.activation(object, default: .none)))
    }

    func encodeFields(into out: inout String) {
        FieldText.add("out", String(linear.out), into: &out)
        if !linear.bias { FieldText.add("bias", "false", into: &out) }
        if linear.activation != .none { FieldText.add("activation", "\"\(linear.activation.rawValue)\"", into: &out) }
    }

    var problem: (key: String, message: String)? {
        linear.out < 1 ? ("out", "out must be at least 1, got \(linear.out)") : nil
    }

    /// Params `in·out` (+ out biases); MACs `in·out`; output out×1×1; it sees the whole input.
    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        var f = LayerFigures(output: Shape(linear.out, 1, 1), window: nil)
        do {
            let inputs = try product(input.channels, input.height, input.width)
            f.macs = try mul(inputs, linear.out)
            f.params = try add(f.macs, linear.bias ? linear.out : 0)
        } catch {
            throw .overflow
        }
        return f
    }

    func label(ascii: Bool) -> String {
        "linear \(ascii ? "->" : "→") \(linear.out)" + (linear.activation == .relu ? " relu" : "")
    }

    func shortLabel(ascii: Bool) -> String { "fc \(ascii ? "->" : "→") \(linear.out)" }

    var figureLabel: String { "linear \(linear.out)" }
    var figureShortLabel: String { "fc \(linear.out)" }
    var figureCategory: FigureCategory { .linear }
}
