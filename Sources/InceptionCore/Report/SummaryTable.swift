/// The human summary table, in the spirit of torchinfo: tree-indented names, op, output shape,
/// params and MACs with thousands separators, totals and aux totals, and the convention stated.
extension Summary {
    public func table() -> String {
        let a = analysis
        // A Kind column (after Layer) when the layout has blocks: their PyTorch-export class and
        // "×N" on the first of a run of repeated blocks.
        let kinds = hasKinds
        let header = ["Layer"] + (kinds ? ["Kind"] : []) + ["Op", "Output", "Params", "MACs"]
        var cells: [[String]] = rows.map { row in
            let s = row.stats
            let indent = String(repeating: "  ", count: s.depth)
            let mark = s.error == nil ? "" : " !"
            return [indent + row.name + mark] + (kinds ? [row.kind] : []) + [
                row.opText, s.output?.description ?? "?",
                Self.count(s.params, zeroDash: !s.isBranch && !(s.op?.isComposite ?? false)),
                Self.count(s.macs, zeroDash: !s.isBranch && !(s.op?.isComposite ?? false)),
            ]
        }
        cells.insert(header, at: 0)
        var widths = [Int](repeating: 0, count: header.count)
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        let rightAligned = [false] + (kinds ? [false] : []) + [false, false, true, true]
        // One output string appended in place, padding from a table of space runs: building each
        // line from parts, joining and trimming them was most of `summary` on a 100,000-branch block.
        let pads = (0...(widths.max() ?? 0)).map { String(repeating: " ", count: $0) }
        var text = ""
        text.reserveCapacity(cells.count * (widths.reduce(0, +) + 12))
        func line(_ r: [String]) {
            for (i, c) in r.enumerated() {
                if i > 0 { text += "  " }
                let pad = pads[widths[i] - c.count]
                if rightAligned[i] { text += pad; text += c } else { text += c; text += pad }
            }
            while text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
            text += "\n"
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        var out: [String] = []
        out.append("\(layout.name): input \(layout.input), batch \(a.batch)")
        out.append(rule)
        line(cells[0])
        out.append(String(text.dropLast()))
        out.append(rule.replacingAll("=", "-"))
        text = ""
        for r in cells.dropFirst() { line(r) }
        if !text.isEmpty { out.append(String(text.dropLast())) }
        out.append(rule)
        let t = a.totals
        out.append("Output: \(a.output?.description ?? "unknown")")
        out.append("Params (trainable): \(NumberFormat.grouped(t.params))  (\(NumberFormat.humanized(t.params)))")
        out.append("Batchnorm buffers: \(NumberFormat.grouped(t.buffers))")
        out.append("MACs: \(NumberFormat.grouped(t.macs))  (\(NumberFormat.humanized(t.macs)))")
        out.append("FLOPs (2 x MACs): \(NumberFormat.grouped(t.flops))  (\(NumberFormat.humanized(t.flops)))")
        out.append(
            "Activation memory (outputs x 4 B x batch): \(NumberFormat.grouped(t.activationBytes)) B  (\(NumberFormat.bytes(t.activationBytes)))"
        )
        if a.auxTotals != Totals() {
            let x = a.auxTotals
            out.append(
                "Aux heads (training only, not in the totals above): params \(NumberFormat.grouped(x.params)), MACs \(NumberFormat.grouped(x.macs))"
            )
        }
        for e in a.errors { out.append("error: \(e.description)") }
        out.append(rule)
        out.append(Self.convention)
        return out.joined(separator: "\n") + "\n"
    }

    static func count(_ n: Int, zeroDash: Bool) -> String {
        n == 0 && zeroDash ? "-" : NumberFormat.grouped(n)
    }
}
