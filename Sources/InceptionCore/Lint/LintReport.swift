/// Lints as text for people (`inception-explorer lint`) and as JSON for scripts and the explorer.
public enum LintReport {
    /// A count line, a table of id / path, then each lint's principle, figures and move.
    public static func table(_ lints: [Lint], layoutName: String) -> String {
        var out: [String] = []
        guard !lints.isEmpty else { return "\(layoutName): no lints\n" }
        let counts = Dictionary(grouping: lints, by: \.id).sorted { $0.key < $1.key }
            .map { "\($0.value.count) \($0.key.rawValue)" }.joined(separator: ", ")
        out.append("\(layoutName): \(lints.count) lint\(lints.count == 1 ? "" : "s") (\(counts))")
        let idWidth = lints.map(\.id.rawValue.count).max() ?? 0
        out.append("")
        for (i, l) in lints.enumerated() {
            out.append("\(String(i + 1).leftPadded(to: 3)). \(l.id.rawValue.rightPadded(to: idWidth))  \(l.path)")
        }
        for (i, l) in lints.enumerated() {
            out.append("")
            out.append("\(i + 1). [\(l.id.rawValue)] \(l.path)")
            out.append("   principle: \(l.principle)")
            out.append("   measured:  \(l.measured)")
            out.append("   suggest:   \(l.suggestion)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `{ "name": ..., "count": N, "lints": [ { "id", "path", "principle", "measured", "suggestion" } ] }`.
    public static func json(_ lints: [Lint], layoutName: String) -> String {
        var out = "{\n  \"name\": \(JSONValue.quoted(layoutName)),\n  \"count\": \(lints.count),\n  \"lints\": ["
        out +=
            lints.isEmpty
            ? "]\n"
            : "\n"
                + lints.map { l in
                    "    { \"id\": \(JSONValue.quoted(l.id.rawValue)), \"path\": \(JSONValue.quoted(l.path)), "
                        + "\"principle\": \(JSONValue.quoted(l.principle)), \"measured\": \(JSONValue.quoted(l.measured)), "
                        + "\"suggestion\": \(JSONValue.quoted(l.suggestion)) }"
                }.joined(separator: ",\n") + "\n  ]\n"
        return out + "}\n"
    }

    /// What `lint --format json` answers when there is no layout to lint (a refused model, an
    /// invalid layout): an error object holding the one line stderr also gets, so a JSON reader
    /// never meets text.
    public static func errorJSON(_ message: String) -> String {
        "{\n  \"error\": \(JSONValue.quoted(message)),\n  \"count\": null,\n  \"lints\": null\n}\n"
    }
}
