/// A parsed JSON value that keeps object keys in document order.
///
/// Objects are ordered lists of members, not dictionaries: the layout format gives key order no
/// meaning, but error messages, did-you-mean hints and round-trip tests read better when the
/// document's order survives. The parser has already rejected duplicate keys, so a key occurs at
/// most once in `object`.
///
/// Numbers written without `.`, `e` or `E` are `int` (they must fit in 64 bits); all others are
/// `double` (always finite).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// Structural equality; objects compare member by member, so key order matters.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            for (m, n) in zip(x, y) where m.key != n.key || m.value != n.value { return false }
            return true
        default: return false
        }
    }

    /// The value of `key` in an object (nil for a missing key or a non-object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// The value as compact JSON text: `{"a":[1,2.5,"x"]}`. Not the layout format's canonical
    /// form (that is `LayoutCodec.encode`); meant for messages, tests and ad-hoc output.
    public var compactText: String {
        var out = ""
        writeCompact(into: &out)
        return out
    }

    private func writeCompact(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSONValue.numberText(d)
        case .string(let s): out += JSONValue.quoted(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeCompact(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                out += JSONValue.quoted(member.key)
                out += ":"
                member.value.writeCompact(into: &out)
            }
            out += "}"
        }
    }

    /// A short rendering for "got …" in error messages: scalars and short containers verbatim
    /// (`-3`, `"3"`, `[3, 0]`), longer containers by size ("an array of 12 values").
    var brief: String {
        switch self {
        case .double(let d): return d.description  // "1.0", so an int field given 1.0 reads clearly
        case .string(let s):
            let limit = 40
            return s.count > limit ? JSONValue.quoted(String(s.prefix(limit))) + "…" : JSONValue.quoted(s)
        case .array(let items):
            let text = briefContainer()
            if text.count <= 40 { return text }
            return items.count == 1 ? "an array of 1 value" : "an array of \(items.count) values"
        case .object(let members):
            let text = briefContainer()
            if text.count <= 40 { return text }
            return members.count == 1 ? "an object with 1 key" : "an object with \(members.count) keys"
        default: return compactText
        }
    }

    /// Containers in message style, with ", " and ": " as people write them.
    private func briefContainer() -> String {
        switch self {
        case .array(let items): return "[" + items.map(\.brief).joined(separator: ", ") + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{ "
                + members.map { JSONValue.quoted($0.key) + ": " + $0.value.brief }
                .joined(separator: ", ") + " }"
        default: return brief
        }
    }

    /// `s` as a JSON string literal: escapes `"`, `\` and control characters below U+0020
    /// (`\n`, `\t`, `\r`, `\b`, `\f`, else `\u00XX`); every other character stays raw UTF-8.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        var needsEscape = false
        // DEL and non-ASCII bytes may be controls (DEL, C1) or bidi overrides, escaped below so no message or file
        // can carry one raw into a terminal.
        for byte in s.utf8 where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
        {
            needsEscape = true
            break
        }
        if !needsEscape {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if NodeNameRule.isUnsafe(scalar) {
                        let hex = String(scalar.value, radix: 16, uppercase: true)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
        return out
    }

    /// A double as the layout format writes it: integral values below 1e15 in magnitude as integers
    /// ("2"), others as Swift's shortest round-trip text ("0.0001", "1e-05"). JSON has no NaN or
    /// infinity, so a non-finite value (only possible in a layout built in code) is written `null`,
    /// which the decoder then rejects with a clear message instead of the file being silently wrong.
    public static func numberText(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return d.description
    }
}
