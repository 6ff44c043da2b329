import Foundation

/// `bench`'s report of its timings: the table, one JSON object per node, and (in extensions) the
/// per-op profile and the roofline. Pure text from `TimingResult`s, as the core's other reports
/// (summary, lint, diff) are; the CLI's `bench` prints it.
public enum BenchReport {
    /// The line shown with timings from a debug build (`TimingResult.debugBuild`); the runtime
    /// sets the flag, the reports say it.
    public static let debugBuildWarning =
        "debug build: timings are not representative (build with `swift build -c release` or run `swift run -c release inception-explorer`)"

    public static func jsonLine(_ r: TimingResult) -> String {
        var fields = [
            "\"path\": \(JSONValue.quoted(r.path))",
            "\"input\": [\(r.input.array.map(String.init).joined(separator: ", "))]",
            "\"output\": [\(r.output.array.map(String.init).joined(separator: ", "))]",
            "\"batch\": \(r.batch)", "\"threads\": \(r.threads)", "\"iterations\": \(r.iterations)",
            "\"median_ms\": \(number(r.medianMs))", "\"min_ms\": \(number(r.minMs))",
            "\"mean_ms\": \(number(r.meanMs))",
            "\"macs\": \(r.macs)", "\"gflops\": \(number(r.gflops))",
            "\"executed_macs\": \(r.executedMACs)", "\"executed_gflops\": \(number(r.executedGFLOPS))",
            "\"branches\": ["
                + r.branches.map { "{\"path\": \(JSONValue.quoted($0.path)), \"median_ms\": \(number($0.medianMs))}" }
                .joined(separator: ", ") + "]",
        ]
        if let p = r.percentOfPeak { fields.append("\"percent_of_peak\": \(number(p))") }
        if let b = r.bandwidthGBs { fields.append("\"bandwidth_gbs\": \(number(b))") }
        if let layers = r.layers {
            fields.append("\"layers\": [" + layers.map(layerJSON).joined(separator: ", ") + "]")
        }
        if let ops = r.ops {
            fields.append("\"ops\": [" + ops.map(opJSON).joined(separator: ", ") + "]")
            if let ms = r.opByOpMedianMs { fields.append("\"op_by_op_median_ms\": \(number(ms))") }
        }
        fields.append("\"algorithms\": [" + r.algorithms.map(algorithmJSON).joined(separator: ", ") + "]")
        fields.append("\"debug_build\": \(r.debugBuild)")
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func number(_ x: Double) -> String { x.isFinite ? NumberFormat.fixed(x, decimals: 4) : "null" }

    public static func table(_ results: [TimingResult], layoutName: String) -> String {
        // An "executed" column only where some conv ran Winograd: elsewhere it would repeat GFLOP/s.
        let executed = results.contains(where: \.ranFewerMACs)
        let header =
            ["node", "input", "output", "median", "min", "mean", "GFLOP/s"] + (executed ? ["executed"] : [])
            + ["% peak", "branches (median ms)"]
        var rows = [header]
        for r in results {
            let prefix = r.path.isEmpty ? "" : r.path + "/"
            let branches = r.branches.map { b in
                (b.path.hasPrefix(prefix) ? String(b.path.dropFirst(prefix.count)) : b.path) + " "
                    + NumberFormat.fixed(b.medianMs, decimals: 3)
            }.joined(separator: ", ")
            rows.append(
                [
                    r.path.isEmpty ? "(\(layoutName))" : r.path, r.input.description, r.output.description,
                    NumberFormat.milliseconds(r.medianMs), NumberFormat.milliseconds(r.minMs),
                    NumberFormat.milliseconds(r.meanMs), NumberFormat.fixed(r.gflops, decimals: 1),
                ]
                    + (executed ? [NumberFormat.fixed(r.executedGFLOPS, decimals: 1)] : [])
                    + [r.percentOfPeak.map { NumberFormat.fixed($0, decimals: 1) } ?? "-", branches])
        }
        var out = aligned(rows, leftAligned: { $0 == 0 || $0 == header.count - 1 })
        if let r = results.first {
            out +=
                "batch \(r.batch), \(r.threads) thread\(r.threads == 1 ? "" : "s"); GFLOP/s = 2 x MACs / median"
                + (r.peakGFLOPS.map { "; peak \(NumberFormat.fixed($0, decimals: 1)) GFLOP/s" } ?? "") + "\n"
        }
        for r in results where !r.algorithms.isEmpty {
            out +=
                "convs of \(r.path.isEmpty ? layoutName : r.path): \(r.algorithmSummary)"
                + (r.ranFewerMACs
                    ? " (GFLOP/s counts direct MACs: effective; executed and % peak count the MACs multiplied)" : "")
                + "\n"
        }
        if results.contains(where: \.debugBuild) { out += debugBuildWarning + "\n" }
        return out
    }

    /// Columns padded to their widest cell, two spaces apart, a rule under the header row; the
    /// `leftAligned` columns (names) are padded on the right, the others (numbers) on the left.
    static func aligned(_ rows: [[String]], leftAligned: (Int) -> Bool, indent: String = "") -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for (i, row) in rows.enumerated() {
            let cells = row.enumerated().map { c, cell in
                leftAligned(c)
                    ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }
            out += indent + cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            if i == 0 {
                out += indent + String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
            }
        }
        return out
    }

    /// One conv's algorithm and, when it was chosen among candidates, their errors and times.
    static func algorithmJSON(_ a: TimingResult.LayerAlgorithm) -> String {
        var fields = [
            "\"path\": \(JSONValue.quoted(a.path))", "\"algorithm\": \(JSONValue.quoted(a.algorithm.description))",
        ]
        if let c = a.choice, !c.candidates.isEmpty {
            fields.append("\"cached\": \(c.cached)")
            fields.append("\"decided_in_pass\": \(c.decidedInPass)")
            fields.append(
                "\"candidates\": ["
                    + c.candidates.map { k in
                        "{\"algorithm\": \(JSONValue.quoted(k.algorithm.description)), \"error\": \(k.error), \"keeps_bound\": \(k.keepsBound)"
                            + (k.ms.map { ", \"ms\": \(number($0))" } ?? "")
                            + (k.passMs.map { ", \"pass_ms\": \(number($0))" } ?? "") + "}"
                    }.joined(separator: ", ") + "]")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
