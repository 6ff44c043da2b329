import Foundation

/// Machine-readable summaries: CSV, Markdown and JSON, for scripts and notes.
extension Summary {
    /// One row per shown node; shapes as C×H×W; counts as plain integers.
    public func csv() -> String {
        var out = "path,depth,op,input,output,params,buffers,macs,flops,activation_bytes,rf_h,rf_w,aux,error\n"
        for row in rows {
            let s = row.stats
            let fields: [String] = [
                s.path, String(s.depth), row.opTag, s.input?.description ?? "", s.output?.description ?? "",
                String(s.params), String(s.buffers), String(s.macs), String(s.flops), String(s.activationBytes),
                s.receptiveField.map { String($0.h) } ?? "", s.receptiveField.map { String($0.w) } ?? "",
                s.aux ? "true" : "false", s.error ?? "",
            ]
            out += fields.map(Self.csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A Markdown table with totals beneath, ready to paste into notes.
    public func markdown() -> String {
        var out = "## \(layout.name)\n\nInput \(layout.input), batch \(analysis.batch).\n\n"
        let kinds = hasKinds
        out +=
            kinds
            ? "| Layer | Kind | Op | Output | Params | MACs |\n|---|---|---|---|---:|---:|\n"
            : "| Layer | Op | Output | Params | MACs |\n|---|---|---|---:|---:|\n"
        for row in rows {
            let s = row.stats
            let indent = String(repeating: "&nbsp;&nbsp;", count: s.depth)
            let name = (indent + row.name).replacingOccurrences(of: "|", with: "\\|")
            out +=
                "| \(name)\(s.error == nil ? "" : " ⚠") | " + (kinds ? row.kind + " | " : "")
                + "\(row.opText) | \(s.output?.description ?? "?") | "
                + "\(NumberFormat.grouped(s.params)) | \(NumberFormat.grouped(s.macs)) |\n"
        }
        let t = analysis.totals
        out +=
            "\n- Params (trainable): **\(NumberFormat.grouped(t.params))**; batchnorm buffers: \(NumberFormat.grouped(t.buffers))\n"
        out += "- MACs: **\(NumberFormat.grouped(t.macs))**; FLOPs (2 x MACs): \(NumberFormat.grouped(t.flops))\n"
        out += "- Activation memory: \(NumberFormat.bytes(t.activationBytes))\n"
        if analysis.auxTotals != Totals() {
            out +=
                "- Aux heads (training only): params \(NumberFormat.grouped(analysis.auxTotals.params)), MACs \(NumberFormat.grouped(analysis.auxTotals.macs))\n"
        }
        for e in analysis.errors { out += "- Error: `\(e.description)`\n" }
        out += "\n_\(Self.convention)_\n"
        return out
    }

    /// One JSON object: name, batch, input, output, totals and every node in pre-order.
    public func json() -> String {
        func shape(_ s: Shape?) -> String { s.map { "[\($0.channels), \($0.height), \($0.width)]" } ?? "null" }
        let t = analysis.totals, x = analysis.auxTotals
        var out = "{\n"
        out += "  \"name\": \(JSONValue.quoted(layout.name)),\n"
        out += "  \"batch\": \(analysis.batch),\n"
        out += "  \"input\": \(shape(layout.input)),\n"
        out += "  \"output\": \(shape(analysis.output)),\n"
        out +=
            "  \"totals\": { \"params\": \(t.params), \"buffers\": \(t.buffers), \"macs\": \(t.macs), \"flops\": \(t.flops), "
            + "\"activation_bytes\": \(t.activationBytes), \"aux_params\": \(x.params), \"aux_macs\": \(x.macs) },\n"
        out += "  \"convention\": \(JSONValue.quoted(Self.convention)),\n"
        out +=
            "  \"errors\": [" + analysis.errors.map { JSONValue.quoted($0.description) }.joined(separator: ", ")
            + "],\n"
        // Runs of repeated blocks (`BlockRuns`): the first block's path, how many, their kind.
        out +=
            "  \"repeated\": ["
            + runs.runs.map { r in
                "{ \"path\": \(JSONValue.quoted(layout.path(of: NodeAddress([r.start])) ?? String(r.start))), \"count\": \(r.count), "
                    + "\"kind\": \(runs.kinds[r.start].map(JSONValue.quoted) ?? "null") }"
            }.joined(separator: ", ") + "],\n"
        out += "  \"nodes\": [\n"
        // Appended in place (one string, no per-row temporaries joined at the end).
        out.reserveCapacity(out.utf8.count + rows.count * 220)
        for (i, row) in rows.enumerated() {
            let s = row.stats
            if i > 0 { out += ",\n" }
            out += "    { \"path\": "
            out += JSONValue.quoted(s.path)
            out += ", \"op\": "
            out += JSONValue.quoted(row.opTag)
            out += ", \"input\": "
            out += shape(s.input)
            out += ", \"output\": "
            out += shape(s.output)
            out +=
                ", \"params\": \(s.params), \"buffers\": \(s.buffers), \"macs\": \(s.macs), \"activation_bytes\": \(s.activationBytes), \"receptive_field\": "
            out += s.receptiveField.map { "[\($0.h), \($0.w)]" } ?? "null"
            out += s.aux ? ", \"aux\": true" : ", \"aux\": false"
            if s.depth == 0, let kind = runs.kinds[s.address.steps[0]] {
                out += ", \"kind\": "
                out += JSONValue.quoted(kind)
                if let r = runs.run(containing: s.address.steps[0]) {
                    out += ", \"run\": [\(s.address.steps[0] - r.start + 1), \(r.count)]"
                }
            }
            if let e = s.error {
                out += ", \"error\": "
                out += JSONValue.quoted(e)
            }
            out += " }"
        }
        out += "\n  ]\n}\n"
        return out
    }
}
