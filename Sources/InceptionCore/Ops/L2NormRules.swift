/// The rules of `l2norm`: each pixel's channel vector divided by its Euclidean length,
/// y = x / max(‖x‖₂, eps) — PyTorch's `F.normalize(x, p=2, dim=1)`, which facenet-pytorch's
/// `InceptionResnetV1` ends with (a unit-length face embedding, compared by distance). On the
/// C×1×1 output of a linear layer it normalises the vector; on C×H×W, each pixel's C values.
/// Shape unchanged; no parameters, no MACs (fvcore counts none for a norm).
struct L2NormRules: EpsilonRules {
    var epsilon: Double

    static let kind = Op.Kind.l2norm
    /// `F.normalize`'s default, and what a file without `"eps"` means.
    static let defaultEpsilon = 1e-12

    static func op(epsilon: Double) -> Op { .l2norm(epsilon: epsilon) }

    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
    }

    func label(ascii: Bool) -> String { "l2norm" }
    func shortLabel(ascii: Bool) -> String { "l2norm" }

    var figureLabel: String { "L2 normalize" }
    var figureShortLabel: String { "l2norm" }
    var figureCategory: FigureCategory { .norm }
}
