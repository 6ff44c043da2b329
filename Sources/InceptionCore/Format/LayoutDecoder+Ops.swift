/// Decoding of one layer object, op by op. Defaults here are the format's defaults, which the
/// encoder leaves out when writing.
extension LayoutDecoder {
    mutating func layer(_ value: JSONValue) throws(LayoutError) -> Layer {
        guard case .object(let members) = value else {
            throw fail("expected a layer object { \"op\": …, … }, got \(value.brief)")
        }
        let object = JSONObject(members)
        let kind = try opKind(object)
        let keys = LayoutKeys.layer(kind)
        for member in members where !keys.contains(member.key) {
            throw fail(at: member.key, unknownKeyMessage(member.key, kind: kind, allowed: keys, present: object))
        }
        let name = try nodeName(object)
        let op: Op
        switch kind {
        case .conv: op = .conv(try conv(object))
        case .maxpool: op = .maxpool(try pool(object, average: false))
        case .avgpool: op = .avgpool(try pool(object, average: true))
        case .globalavgpool: op = .globalavgpool
        case .softmax: op = .softmax
        case .lrn: op = .lrn(try lrn(object))
        case .dropout: op = .dropout(rate: try dropoutRate(object))
        case .linear: op = .linear(try linear(object))
        case .inception: op = .inception(branches: try branchList(object))
        case .aux: op = .aux(layers: try layerList(object, "layers", minimum: 1, owner: "an aux head"))
        }
        return Layer(name: name, op)
    }

    private func opKind(_ object: JSONObject) throws(LayoutError) -> Op.Kind {
        guard let value = object["op"] else { throw fail("missing key \"op\"") }
        guard case .string(let text) = value else { throw fail(at: "op", "expected a string, got \(value.brief)") }
        if let kind = Op.Kind(rawValue: text) { return kind }
        let all = Op.Kind.allCases.map(\.rawValue)
        if let guess = LayoutKeys.suggestion(for: text, among: all) {
            throw fail(at: "op", "unknown op \(JSONValue.quoted(text)) (did you mean \(JSONValue.quoted(guess))?)")
        }
        throw fail(at: "op", "unknown op \(JSONValue.quoted(text)); the ops are \(all.joined(separator: ", "))")
    }

    /// Suggestions skip keys the object already has: "ot" next to "op" means "out".
    private func unknownKeyMessage(_ key: String, kind: Op.Kind, allowed: [String], present: JSONObject) -> String {
        let head = "unknown key \(JSONValue.quoted(key)) for \(kind.rawValue)"
        let hint = LayoutKeys.hint(for: key, among: allowed.filter { present[$0] == nil })
        if !hint.isEmpty { return head + hint }
        let others = LayoutKeys.opsTaking(key, besides: kind).map(\.rawValue)
        if !others.isEmpty {
            return head + " (only \(others.joined(separator: ", ")) \(others.count == 1 ? "takes" : "take") it)"
        }
        let fields = allowed.dropFirst(2)
        if fields.isEmpty { return head + " (\(kind.rawValue) takes only \"op\" and \"name\")" }
        return head + " (\(kind.rawValue) takes \(fields.map { JSONValue.quoted($0) }.joined(separator: ", ")))"
    }

    private func conv(_ object: JSONObject) throws(LayoutError) -> Conv {
        let out = try positiveInt(object, "out")
        let kernel = try pair(object, "kernel", minimum: 1, default: nil)
        let stride = try pair(object, "stride", minimum: 1, default: Pair(1, 1))
        let pad = try convPadding(object)
        if pad == .same, stride != Pair(1, 1) || kernel.h % 2 == 0 || kernel.w % 2 == 0 {
            throw fail(at: "pad", "\"same\" needs stride 1 and an odd kernel")
        }
        return Conv(out: out, kernel: kernel, stride: stride, pad: pad,
                    bias: try bool(object, "bias", default: true),
                    batchnorm: try bool(object, "batchnorm", default: false),
                    activation: try activation(object, default: .relu))
    }

    /// Pools follow Caffe: the stride defaults to the kernel, and a pad must be smaller than the
    /// kernel on each axis (else a window could cover only padding).
    private func pool(_ object: JSONObject, average: Bool) throws(LayoutError) -> Pool {
        let kernel = try pair(object, "kernel", minimum: 1, default: nil)
        let stride = try pair(object, "stride", minimum: 1, default: kernel)
        let pad = try pair(object, "pad", minimum: 0, default: Pair(0, 0))
        if pad.h >= kernel.h || pad.w >= kernel.w {
            throw fail(at: "pad", "pad \(LayoutEncoder.pairText(pad)) must be smaller than the kernel \(LayoutEncoder.pairText(kernel)) (else a window can see only padding)")
        }
        let ceil = try bool(object, "ceil", default: false)
        let countPad = average ? try bool(object, "count_pad", default: true) : true
        return Pool(kernel: kernel, stride: stride, pad: pad, ceil: ceil, countPad: countPad)
    }

    private func lrn(_ object: JSONObject) throws(LayoutError) -> LRN {
        let defaults = LRN()
        let lrn = LRN(size: object["size"] == nil ? defaults.size : try positiveInt(object, "size"),
                      alpha: try number(object, "alpha", default: defaults.alpha),
                      beta: try number(object, "beta", default: defaults.beta),
                      k: try number(object, "k", default: defaults.k))
        if let problem = lrn.problem { throw fail(at: problem.key, problem.message) }
        return lrn
    }

    private func dropoutRate(_ object: JSONObject) throws(LayoutError) -> Double {
        let rate = try number(object, "rate", default: nil)
        guard rate >= 0, rate < 1 else {
            throw fail(at: "rate", "expected a number in [0, 1), got \(object["rate"]?.brief ?? "")")
        }
        return rate
    }

    private func linear(_ object: JSONObject) throws(LayoutError) -> Linear {
        Linear(out: try positiveInt(object, "out"),
               bias: try bool(object, "bias", default: true),
               activation: try activation(object, default: .none))
    }
}
