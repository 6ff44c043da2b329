/// Decoding of one layer object: the op decides the keys, then the op's rules read its fields
/// (`Sources/InceptionCore/Ops`). Defaults there are the format's defaults, which the encoder
/// leaves out when writing.
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
        if let format = kind.leafFormat {
            op = try format.decode(object, self)
        } else if kind == .aux {
            op = .aux(layers: try layerList(object, "layers", minimum: 1, owner: "an aux head"))
        } else {
            op = .block(try block(object))
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
}
