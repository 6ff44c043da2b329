/// `bench --profile`: where a pass goes. The roofline times each conv alone with its weights warm;
/// this times every op (pools, copies and softmax too) inside whole passes run op by op, so each op
/// meets the caches the op before it left, as in a real pass. The graph pass overlaps independent
/// ops and skips the clock reads, so it can be a little shorter than the op-by-op sum.
extension BenchReport {
    /// The slowest ops shown one per line; the rest are summed in one line.
    static let profileRows = 25

    public static func profile(_ r: TimingResult, layoutName: String) -> String {
        let name = r.path.isEmpty ? layoutName : r.path
        guard let ops = r.ops, !ops.isEmpty else { return "\(name): no ops to profile\n" }
        let total = ops.reduce(0) { $0 + $1.medianMs }
        func percent(_ ms: Double) -> String { NumberFormat.fixed(total > 0 ? ms / total * 100 : 0, decimals: 1) }

        var out =
            "Where a pass of \(name) goes: \(ops.count) ops run one by one, median of \(r.iterations) passes each\n"
        var rows = [["op", "kind", "ms", "%"]]
        let slowest = ops.enumerated().sorted { ($0.element.medianMs, $1.offset) > ($1.element.medianMs, $0.offset) }
        for (_, op) in slowest.prefix(profileRows) {
            rows.append([op.path, label(op), NumberFormat.fixed(op.medianMs, decimals: 3), percent(op.medianMs)])
        }
        if slowest.count > profileRows {
            let rest = slowest.dropFirst(profileRows).reduce(0) { $0 + $1.element.medianMs }
            rows.append([
                "(\(slowest.count - profileRows) more ops)", "", NumberFormat.fixed(rest, decimals: 3), percent(rest),
            ])
        }
        out += aligned(rows, leftAligned: { $0 < 2 }, indent: "  ")

        // Per kind: a Winograd conv is its own kind, so the split between algorithms shows.
        var byKind: [String: (ms: Double, count: Int)] = [:]
        for op in ops {
            let kind = label(op)
            byKind[kind, default: (0, 0)].ms += op.medianMs
            byKind[kind, default: (0, 0)].count += 1
        }
        out +=
            "by kind: "
            + byKind.sorted { ($0.value.ms, $1.key) > ($1.value.ms, $0.key) }.map {
                "\($0.key) \(NumberFormat.fixed($0.value.ms, decimals: 3)) ms (\($0.value.count), \(percent($0.value.ms))%)"
            }.joined(separator: ", ") + "\n"
        out +=
            "sum of the ops: \(NumberFormat.milliseconds(total)); op-by-op pass: "
            + (r.opByOpMedianMs.map(NumberFormat.milliseconds) ?? "-")
            + "; the timed pass (ops overlapped where independent): \(NumberFormat.milliseconds(r.medianMs))\n"
        return out
    }

    /// An op's kind as the table shows it: a conv's with its algorithm ("conv F(4,3)", "conv direct",
    /// "maxpool+conv direct" for a pool computed inside its 1×1 conv), else the op's ("maxpool").
    static func label(_ op: TimingResult.OpTime) -> String {
        op.algorithm.map { op.kind + " " + $0.shortName } ?? op.kind
    }

    static func opJSON(_ o: TimingResult.OpTime) -> String {
        "{\"path\": \(JSONValue.quoted(o.path)), \"kind\": \(JSONValue.quoted(o.kind)), "
            + (o.algorithm.map { "\"algorithm\": \(JSONValue.quoted($0.description)), " } ?? "")
            + "\"median_ms\": \(number(o.medianMs))}"
    }
}
