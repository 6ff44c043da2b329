/// Readers for the scalar fields of layout objects. Each reads `object[key]`, applies the default
/// when the key is absent (or reports it missing when there is none), and reports a wrong type or
/// range at the key's path with the value it got.
extension LayoutDecoder {
    func string(_ object: JSONObject, _ key: String) throws(LayoutError) -> String {
        guard let value = object[key] else { throw fail("missing key \(JSONValue.quoted(key))") }
        guard case .string(let s) = value else { throw fail(at: key, "expected a string, got \(value.brief)") }
        return s
    }

    /// A count or size: an integer in 1...sizeLimit.
    func positiveInt(_ object: JSONObject, _ key: String) throws(LayoutError) -> Int {
        guard let value = object[key] else { throw fail("missing key \(JSONValue.quoted(key))") }
        guard case .int(let n) = value, n >= 1 else {
            throw fail(at: key, "expected a positive integer, got \(value.brief)")
        }
        try checkLimit(n, key)
        return n
    }

    /// A kernel, stride or pad: one integer for both axes or `[h, w]`, each ≥ `minimum`.
    func pair(_ object: JSONObject, _ key: String, minimum: Int, default fallback: Pair?) throws(LayoutError) -> Pair {
        guard let value = object[key] else {
            if let fallback { return fallback }
            throw fail("missing key \(JSONValue.quoted(key))")
        }
        guard let pair = try pairValue(value, key, minimum: minimum) else {
            throw fail(
                at: key,
                "expected \(minimum > 0 ? "a positive" : "a non-negative") integer or [h, w], got \(value.brief)")
        }
        return pair
    }

    /// The pair in `value`, nil when it has the wrong shape or a side below `minimum`; throws
    /// "too large" for a side beyond `sizeLimit`.
    private func pairValue(_ value: JSONValue, _ key: String, minimum: Int) throws(LayoutError) -> Pair? {
        switch value {
        case .int(let n) where n >= minimum:
            try checkLimit(n, key)
            return Pair(n, n)
        case .array(let items) where items.count == 2:
            guard case .int(let h) = items[0], case .int(let w) = items[1], h >= minimum, w >= minimum else {
                return nil
            }
            try checkLimit(h, key)
            try checkLimit(w, key)
            return Pair(h, w)
        default:
            return nil
        }
    }

    /// A conv's "pad": like `pair` with minimum 0, or the string "same". Default 0.
    func convPadding(_ object: JSONObject) throws(LayoutError) -> Padding {
        guard let value = object["pad"] else { return .explicit(Pair(0, 0)) }
        if case .string("same") = value { return .same }
        guard let pair = try pairValue(value, "pad", minimum: 0) else {
            throw fail(at: "pad", "expected a non-negative integer, [h, w] or \"same\", got \(value.brief)")
        }
        return .explicit(pair)
    }

    func bool(_ object: JSONObject, _ key: String, default fallback: Bool) throws(LayoutError) -> Bool {
        guard let value = object[key] else { return fallback }
        guard case .bool(let b) = value else { throw fail(at: key, "expected true or false, got \(value.brief)") }
        return b
    }

    func activation(_ object: JSONObject, default fallback: Activation) throws(LayoutError) -> Activation {
        guard let value = object["activation"] else { return fallback }
        guard case .string(let s) = value, let activation = Activation(rawValue: s) else {
            throw fail(at: "activation", "expected \"relu\" or \"none\", got \(value.brief)")
        }
        return activation
    }

    /// A real number; integers are accepted ("k": 2). The parser has ensured it is finite.
    func number(_ object: JSONObject, _ key: String, default fallback: Double?) throws(LayoutError) -> Double {
        guard let value = object[key] else {
            if let fallback { return fallback }
            throw fail("missing key \(JSONValue.quoted(key))")
        }
        switch value {
        case .int(let n): return Double(n)
        case .double(let d): return d
        default: throw fail(at: key, "expected a number, got \(value.brief)")
        }
    }

    private func checkLimit(_ n: Int, _ key: String) throws(LayoutError) {
        if n > LayoutDecoder.sizeLimit {
            throw fail(at: key, "\(n) is too large (at most \(LayoutDecoder.sizeLimit))")
        }
    }
}
