/// The rules of `l2norm`: each pixel's channel vector divided by its Euclidean length,
/// y = x / max(‖x‖₂, eps) — PyTorch's `F.normalize(x, p=2, dim=1)`, which facenet-pytorch's
/// `InceptionResnetV1` ends with (a unit-length face embedding, compared by distance). On the
/// C×1×1 output of a linear layer it normalises the vector; on C×H×W, each pixel's C values.
/// Shape unchanged; no parameters, no MACs (fvcore counts none for a norm).
struct L2NormRules: LeafRules, LeafFormat {
    var epsilon: Double

    static let kind = Op.Kind.l2norm
    static let keys = ["op", "name", "eps"]
    /// `F.normalize`'s default, and what a file without `"eps"` means.
    static let defaultEpsilon = 1e-12

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        let eps = try d.number(object, "eps", default: defaultEpsilon)
        if let p = L2NormRules(epsilon: eps).problem { throw d.fail(at: p.key, p.message) }
        return .l2norm(epsilon: eps)
    }

    func encodeFields(into out: inout String) {
        if epsilon != Self.defaultEpsilon { FieldText.add("eps", JSONValue.numberText(epsilon), into: &out) }
    }

    /// eps is a floor on the length, so a zero vector gives zeros instead of 0/0; below float32's
    /// smallest normal it would round away, and 1 or more is no longer a floor.
    var problem: (key: String, message: String)? {
        epsilon.isFinite && epsilon >= 0 && epsilon < 1
            ? nil : ("eps", "eps must be a number in [0, 1), got \(epsilon)")
    }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "l2norm" }
    func shortLabel(ascii: Bool) -> String { "l2norm" }

    var figureLabel: String { "L2 normalize" }
    var figureShortLabel: String { "l2norm" }
    var figureCategory: FigureCategory { .norm }
}
