/// The rules of `conv`: a 2-D convolution (grouped when `groups` > 1), then an optional batchnorm,
/// then an activation.
struct ConvRules: LeafRules, LeafFormat {
    var conv: Conv

    static let kind = Op.Kind.conv
    static let keys = ["op", "name", "out", "kernel", "stride", "pad", "groups", "bias", "batchnorm", "activation"]

    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        let out = try d.positiveInt(object, "out")
        let kernel = try d.pair(object, "kernel", minimum: 1, default: nil)
        let stride = try d.pair(object, "stride", minimum: 1, default: Pair(1, 1))
        let pad = try d.convPadding(object)
        if pad == .same, stride != Pair(1, 1) || kernel.h % 2 == 0 || kernel.w % 2 == 0 {
            throw d.fail(at: "pad", "\"same\" needs stride 1 and an odd kernel")
        }
        let groups = object["groups"] == nil ? 1 : try d.positiveInt(object, "groups")
        let conv = Conv(
            out: out, kernel: kernel, stride: stride, pad: pad,
            bias: try d.bool(object, "bias", default: true),
            batchnorm: try d.bool(object, "batchnorm", default: false),
            activation: try d.activation(object, default: .relu), groups: groups)
        if let p = ConvRules(conv: conv).problem { throw d.fail(at: p.key, p.message) }
        return .conv(conv)
    }

    func encodeFields(into out: inout String) {
        let c = conv
        FieldText.add("out", String(c.out), into: &out)
        FieldText.add("kernel", FieldText.pair(c.kernel), into: &out)
        if c.stride != Pair(1, 1) { FieldText.add("stride", FieldText.pair(c.stride), into: &out) }
        switch c.pad {
        case .same: FieldText.add("pad", "\"same\"", into: &out)
        case .explicit(let p): if p != Pair(0, 0) { FieldText.add("pad", FieldText.pair(p), into: &out) }
        }
        if c.groups != 1 { FieldText.add("groups", String(c.groups), into: &out) }
        if !c.bias { FieldText.add("bias", "false", into: &out) }
        if c.batchnorm { FieldText.add("batchnorm", "true", into: &out) }
        if c.activation != .relu { FieldText.add("activation", "\"\(c.activation.rawValue)\"", into: &out) }
    }

    var problem: (key: String, message: String)? {
        let c = conv
        if c.out < 1 { return ("out", "out must be at least 1, got \(c.out)") }
        if c.kernel.h < 1 || c.kernel.w < 1 { return ("kernel", "kernel must be positive, got \(c.kernel)") }
        if c.stride.h < 1 || c.stride.w < 1 { return ("stride", "stride must be positive, got \(c.stride)") }
        if case .explicit(let p) = c.pad, p.h < 0 || p.w < 0 { return ("pad", "pad must not be negative, got \(p)") }
        if c.groups < 1 { return ("groups", "groups must be at least 1, got \(c.groups)") }
        if c.out % c.groups != 0 { return ("groups", "out \(c.out) is not divisible by groups \(c.groups)") }
        return nil
    }

    /// Params `out·(in/groups)·kh·kw` (+ out biases, + 2·out batchnorm γ/β); buffers 2·out
    /// (running mean and variance); MACs `out·H'·W'·(in/groups)·kh·kw` (fvcore).
    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        let c = conv
        let (h, w) = (input.height, input.width)
        let pad = c.pad.resolved(kernel: c.kernel)
        guard let oh = ShapeRules.convOut(h, kernel: c.kernel.h, stride: c.stride.h, pad: pad.h),
            let ow = ShapeRules.convOut(w, kernel: c.kernel.w, stride: c.stride.w, pad: pad.w)
        else {
            throw RuleError.message(
                "kernel \(c.kernel) is larger than the padded input \(h + 2 * pad.h)x\(w + 2 * pad.w)")
        }
        guard c.groups >= 1, input.channels % c.groups == 0 else {
            throw RuleError.message("input channels \(input.channels) are not divisible by groups \(c.groups)")
        }
        var f = LayerFigures(output: Shape(c.out, oh, ow))
        do {
            let weights = try product(c.out, input.channels / c.groups, c.kernel.h, c.kernel.w)
            f.params = try add(weights, (c.bias ? c.out : 0) + (c.batchnorm ? 2 * c.out : 0))
            f.buffers = c.batchnorm ? 2 * c.out : 0
            f.macs = try mul(weights, try mul(oh, ow))
        } catch {
            throw .overflow
        }
        f.window = (c.kernel, c.stride)
        return f
    }

    var stride: Pair { conv.stride }

    func label(ascii: Bool) -> String {
        var s = "conv \(conv.kernel)/\(FieldText.stride(conv.stride)) \(ascii ? "->" : "→") \(conv.out)"
        if conv.groups != 1 { s += " g\(conv.groups)" }
        if conv.batchnorm { s += " bn" }
        if conv.activation == .none { s += " linear" }
        return s
    }

    func shortLabel(ascii: Bool) -> String {
        "\(conv.kernel)/\(FieldText.stride(conv.stride)) \(ascii ? "->" : "→") \(conv.out)"
            + (conv.groups == 1 ? "" : " g\(conv.groups)")
    }

    /// Depthwise (groups = out, Xception's separable convs) and grouped convs say so.
    var figureLabel: String {
        let kind = conv.groups == 1 ? "conv" : conv.groups == conv.out ? "dw conv" : "conv g\(conv.groups)"
        return "\(conv.kernel) \(kind) \(conv.out)" + FieldText.figureStride(conv.stride)
    }
    var figureShortLabel: String {
        "\(conv.kernel)\(conv.groups == 1 ? "" : conv.groups == conv.out ? " dw" : " g\(conv.groups)") \(conv.out)"
    }
    var figureCategory: FigureCategory { .conv }
}
