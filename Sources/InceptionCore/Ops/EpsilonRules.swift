/// The rules of a norm whose one field is `"eps"` (batchnorm, layer norm, L2 norm): how the field is
/// read, written and bounded, in one place. Each norm says its own default and which `Op` it makes.
protocol EpsilonRules: LeafRules, LeafFormat {
    var epsilon: Double { get }
    init(epsilon: Double)
    /// PyTorch's default for the layer, and what a file without `"eps"` means.
    static var defaultEpsilon: Double { get }
    static func op(epsilon: Double) -> Op
}

extension EpsilonRules {
    static var keys: [String] { ["op", "name", "eps"] }

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        let eps = try d.number(object, "eps", default: defaultEpsilon)
        if let p = Self(epsilon: eps).problem { throw d.fail(at: p.key, p.message) }
        return op(epsilon: eps)
    }

    func encodeFields(into out: inout String) {
        if epsilon != Self.defaultEpsilon { FieldText.add("eps", JSONValue.numberText(epsilon), into: &out) }
    }

    /// eps in [0, 1): it stabilises a division (batchnorm's and layer norm's √(σ² + eps), the L2
    /// norm's floor max(‖x‖, eps) that keeps a zero vector from 0/0); 1 or more swamps the statistics
    /// of unit-scale values instead.
    var problem: (key: String, message: String)? {
        epsilon.isFinite && epsilon >= 0 && epsilon < 1
            ? nil : ("eps", "eps must be a number in [0, 1), got \(epsilon)")
    }
}
