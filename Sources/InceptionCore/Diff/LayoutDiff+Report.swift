/// The diff as a table for people and as JSON for scripts (`inception-explorer diff`).
extension LayoutDiff {
    /// Plain ASCII text: removed / added / changed nodes, the top-level rows that differ, totals.
    public func table(beforeName: String, afterName: String) -> String {
        var out: [String] = []
        out.append("diff \(beforeName) (\(before.name)) -> \(afterName) (\(after.name))")
        func side(_ s: Side) -> String {
            "\(s.op), \(s.output?.description ?? "?"), params \(NumberFormat.grouped(s.params)), MACs \(NumberFormat.grouped(s.macs))"
        }
        let sections: [(String, String, [Entry])] = [
            ("Removed", "-", removed), ("Added", "+", added), ("Changed", "~", changed),
        ]
        for (title, mark, list) in sections {
            out.append("")
            out.append("\(title) (\(list.count))" + (list.isEmpty ? ": none" : ":"))
            for e in list {
                switch e.kind {
                case .removed: out.append("  \(mark) \(e.path): \(e.before.map(side) ?? "")")
                case .added: out.append("  \(mark) \(e.path): \(e.after.map(side) ?? "")")
                case .changed:
                    guard let a = e.before, let b = e.after else { continue }
                    var parts: [String] = []
                    if e.fields.contains("op") { parts.append("op \(a.op) -> \(b.op)") }
                    if e.fields.contains("output") {
                        parts.append("output \(a.output?.description ?? "?") -> \(b.output?.description ?? "?")")
                    }
                    if e.fields.contains("params") {
                        parts.append("params \(Self.short(Change(before: a.params, after: b.params)))")
                    }
                    if e.fields.contains("macs") {
                        parts.append("MACs \(Self.short(Change(before: a.macs, after: b.macs)))")
                    }
                    out.append("  \(mark) \(e.path): " + parts.joined(separator: "; "))
                }
            }
        }
        out.append("")
        out.append("Top-level layers and blocks that differ (\(topLevel.count)):")
        if !topLevel.isEmpty {
            let rows = topLevel.map { r -> [String] in
                let name = r.path + (r.kind.map { " (\($0.rawValue))" } ?? "") + (r.aux ? " [aux]" : "")
                return [
                    name, Self.signed(r.delta.params), Self.pct(r.delta.params), Self.signed(r.delta.macs),
                    Self.pct(r.delta.macs),
                    Self.signed(r.delta.activationBytes), Self.pct(r.delta.activationBytes),
                ]
            }
            out += Self.grid([["node", "params", "%", "MACs", "%", "act bytes", "%"]] + rows)
        }
        out.append("")
        out.append("Total (inference path, aux heads excluded):")
        out.append("  params            \(Self.short(total.params))")
        out.append("  MACs              \(Self.short(total.macs))")
        out.append("  activation bytes  \(Self.short(total.activationBytes))")
        return out.joined(separator: "\n") + "\n"
    }

    /// One JSON object: names, added / removed / changed nodes, top-level rows and totals.
    public func json() -> String {
        func shape(_ s: Shape?) -> String { s.map { "[\($0.channels), \($0.height), \($0.width)]" } ?? "null" }
        func side(_ s: Side?) -> String {
            guard let s else { return "null" }
            return
                "{ \"op\": \(JSONValue.quoted(s.op)), \"output\": \(shape(s.output)), \"params\": \(s.params), \"macs\": \(s.macs), "
                + "\"activation_bytes\": \(s.activationBytes) }"
        }
        func change(_ c: Change) -> String {
            "{ \"before\": \(c.before), \"after\": \(c.after), \"difference\": \(c.difference), \"percent\": "
                + (c.percent.map { NumberFormat.fixed($0, decimals: 2) } ?? "null") + " }"
        }
        func delta(_ d: Delta) -> String {
            "\"params\": \(change(d.params)), \"macs\": \(change(d.macs)), \"activation_bytes\": \(change(d.activationBytes))"
        }
        func list(_ entries: [Entry]) -> String {
            guard !entries.isEmpty else { return "[]" }
            return "[\n"
                + entries.map { e in
                    "    { \"path\": \(JSONValue.quoted(e.path)), "
                        + (e.kind == .changed
                            ? "\"fields\": [" + e.fields.map(JSONValue.quoted).joined(separator: ", ") + "], " : "")
                        + "\"before\": \(side(e.before)), \"after\": \(side(e.after)) }"
                }.joined(separator: ",\n") + "\n  ]"
        }
        var out = "{\n"
        out += "  \"before\": \(JSONValue.quoted(before.name)),\n"
        out += "  \"after\": \(JSONValue.quoted(after.name)),\n"
        out += "  \"removed\": \(list(removed)),\n"
        out += "  \"added\": \(list(added)),\n"
        out += "  \"changed\": \(list(changed)),\n"
        out +=
            "  \"top_level\": "
            + (topLevel.isEmpty
                ? "[]"
                : "[\n"
                    + topLevel.map { r in
                        "    { \"path\": \(JSONValue.quoted(r.path)), \"status\": \(JSONValue.quoted(r.kind?.rawValue ?? "changed")), \"aux\": \(r.aux), \(delta(r.delta)) }"
                    }.joined(separator: ",\n") + "\n  ]") + ",\n"
        out += "  \"total\": { \(delta(total)) }\n"
        out += "}\n"
        return out
    }

    /// "+1,544" / "-3,088" / "0".
    static func signed(_ c: Change) -> String {
        (c.difference > 0 ? "+" : "") + NumberFormat.grouped(c.difference)
    }

    static func pct(_ c: Change) -> String { NumberFormat.percentChange(from: c.before, to: c.after) }

    /// "12,352 -> 13,896 (+1,544, +12.5%)".
    static func short(_ c: Change) -> String { c.text(arrow: "->") }

    /// Left-aligned first column, the rest right-aligned, two spaces apart.
    static func grid(_ rows: [[String]]) -> [String] {
        guard let n = rows.first?.count else { return [] }
        var widths = [Int](repeating: 0, count: n)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            "  "
                + r.enumerated().map { i, c in
                    let pad = String(repeating: " ", count: widths[i] - c.count)
                    return i == 0 ? c + pad : pad + c
                }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}
