/// The rules of `maxpool` and `avgpool` (one `Pool` value; `count_pad` is the average's only).
struct PoolRules: LeafRules {
    var pool: Pool
    var average: Bool

    /// Pools follow Caffe and PyTorch: the stride defaults to the kernel.
    static func decodePool(_ object: JSONObject, _ d: LayoutDecoder, average: Bool) throws(LayoutError) -> Pool {
        let kernel = try d.pair(object, "kernel", minimum: 1, default: nil)
        let stride = try d.pair(object, "stride", minimum: 1, default: kernel)
        let pad = try d.pair(object, "pad", minimum: 0, default: Pair(0, 0))
        let ceil = try d.bool(object, "ceil", default: false)
        let countPad = average ? try d.bool(object, "count_pad", default: true) : true
        let pool = Pool(kernel: kernel, stride: stride, pad: pad, ceil: ceil, countPad: countPad)
        if let p = PoolRules(pool: pool, average: average).problem { throw d.fail(at: p.key, p.message) }
        return pool
    }

    func encodeFields(into out: inout String) {
        let p = pool
        FieldText.add("kernel", FieldText.pair(p.kernel), into: &out)
        if p.stride != p.kernel { FieldText.add("stride", FieldText.pair(p.stride), into: &out) }
        if p.pad != Pair(0, 0) { FieldText.add("pad", FieldText.pair(p.pad), into: &out) }
        if p.ceil { FieldText.add("ceil", "true", into: &out) }
        if average, !p.countPad { FieldText.add("count_pad", "false", into: &out) }
    }

    /// One pad rule for the decoder and the analysis, PyTorch's (and what ONNX exporters emit): a
    /// pad is at most half the kernel, 2·pad ≤ kernel, so no window lies wholly in the padding.
    var problem: (key: String, message: String)? {
        let p = pool
        if p.kernel.h < 1 || p.kernel.w < 1 { return ("kernel", "kernel must be positive, got \(p.kernel)") }
        if p.stride.h < 1 || p.stride.w < 1 { return ("stride", "stride must be positive, got \(p.stride)") }
        if p.pad.h < 0 || p.pad.w < 0 { return ("pad", "pad must not be negative, got \(p.pad)") }
        if 2 * p.pad.h > p.kernel.h || 2 * p.pad.w > p.kernel.w {
            return (
                "pad",
                "pad \(FieldText.pair(p.pad)) is more than half the kernel \(FieldText.pair(p.kernel)) (else a window can see only padding)"
            )
        }
        return nil
    }

    /// No params, no MACs (fvcore); channels unchanged.
    func figures(input: Shape) throws(RuleError) -> LayerFigures {
        let p = pool
        let (h, w) = (input.height, input.width)
        guard let oh = ShapeRules.poolOut(h, kernel: p.kernel.h, stride: p.stride.h, pad: p.pad.h, ceil: p.ceil),
            let ow = ShapeRules.poolOut(w, kernel: p.kernel.w, stride: p.stride.w, pad: p.pad.w, ceil: p.ceil)
        else {
            throw RuleError.message(
                "kernel \(p.kernel) is larger than the padded input \(h + 2 * p.pad.h)x\(w + 2 * p.pad.w)")
        }
        var f = LayerFigures(output: Shape(input.channels, oh, ow))
        f.window = (p.kernel, p.stride)
        return f
    }

    var stride: Pair { pool.stride }

    func label(ascii: Bool) -> String {
        let p = pool
        var s = "\(average ? "avgpool" : "maxpool") \(p.kernel)/\(FieldText.stride(p.stride))"
        if p.pad != Pair(0, 0) { s += " pad \(p.pad.isSquare ? "\(p.pad.h)" : "\(p.pad)")" }
        if p.ceil { s += " ceil" }
        if average && !p.countPad { s += " excl-pad" }
        return s
    }

    func shortLabel(ascii: Bool) -> String {
        "\(average ? "avg" : "max") \(pool.kernel)/\(FieldText.stride(pool.stride))"
    }

    var figureLabel: String { "\(pool.kernel) \(average ? "avg" : "max") pool" + FieldText.figureStride(pool.stride) }
    var figureShortLabel: String { "\(average ? "avg" : "max") \(pool.kernel)" }
    var figureCategory: FigureCategory { .pool }
}

/// `maxpool`'s kind and keys (its rules are `PoolRules`).
enum MaxPoolRules: LeafFormat {
    static let kind = Op.Kind.maxpool
    static let keys = ["op", "name", "kernel", "stride", "pad", "ceil"]
    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        .maxpool(try PoolRules.decodePool(object, d, average: false))
    }
}

/// `avgpool`'s kind and keys (its rules are `PoolRules`).
enum AvgPoolRules: LeafFormat {
    static let kind = Op.Kind.avgpool
    static let keys = ["op", "name", "kernel", "stride", "pad", "ceil", "count_pad"]
    static func decode(_ object: JSONObject, _ d: LayoutDecoder) throws(LayoutError) -> Op {
        .avgpool(try PoolRules.decodePool(object, d, average: true))
    }
}
