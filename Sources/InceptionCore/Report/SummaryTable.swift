/// The human summary table, in the spirit of torchinfo: tree-indented names, op, output shape,
/// params and MACs with thousands separators, totals and aux totals, and the convention stated.
extension Summary {
    public func table() -> String {
        let a = analysis
        let header = ["Layer", "Op", "Output", "Params", "MACs"]
        var cells: [[String]] = rows.map { row in
            let s = row.stats
            let indent = String(repeating: "  ", count: s.depth)
            let mark = s.error == nil ? "" : " !"
            return [indent + row.name + mark, row.opText, s.output?.description ?? "?",
                    Self.count(s.params, zeroDash: !s.isBranch && row.opTag != "inception" && row.opTag != "aux"),
                    Self.count(s.macs, zeroDash: !s.isBranch && row.opTag != "inception" && row.opTag != "aux")]
        }
        cells.insert(header, at: 0)
        var widths = [Int](repeating: 0, count: header.count)
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        let rightAligned: Set<Int> = [3, 4]
        func line(_ r: [String]) -> String {
            var parts: [String] = []
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                parts.append(rightAligned.contains(i) ? pad + c : c + pad)
            }
            return parts.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        var out: [String] = []
        out.append("\(layout.name): input \(layout.input), batch \(a.batch)")
        out.append(rule)
        out.append(line(cells[0]))
        out.append(rule.replacingAll("=", "-"))
        for r in cells.dropFirst() { out.append(line(r)) }
        out.append(rule)
        let t = a.totals
        out.append("Output: \(a.output?.description ?? "unknown")")
        out.append("Params (trainable): \(NumberFormat.grouped(t.params))  (\(NumberFormat.humanized(t.params)))")
        out.append("Batchnorm buffers: \(NumberFormat.grouped(t.buffers))")
        out.append("MACs: \(NumberFormat.grouped(t.macs))  (\(NumberFormat.humanized(t.macs)))")
        out.append("FLOPs (2 x MACs): \(NumberFormat.grouped(t.flops))  (\(NumberFormat.humanized(t.flops)))")
        out.append("Activation memory (outputs x 4 B x batch): \(NumberFormat.grouped(t.activationBytes)) B  (\(NumberFormat.bytes(t.activationBytes)))")
        if a.auxTotals != Totals() {
            let x = a.auxTotals
            out.append("Aux heads (training only, not in the totals above): params \(NumberFormat.grouped(x.params)), MACs \(NumberFormat.grouped(x.macs))")
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

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    func replacingAll(_ a: Character, _ b: Character) -> String { String(map { $0 == a ? b : $0 }) }
}
