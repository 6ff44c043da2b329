/// `bench --roofline`: the per-layer timings of a result as a roofline table and scatter, and as
/// JSON fields.
extension BenchReport {
    /// The roofline of one timed node, or a line saying why there is none.
    public static func roofline(_ r: TimingResult, layoutName: String, ascii: Bool) -> String {
        let name = r.path.isEmpty ? layoutName : r.path
        guard let layers = r.layers else { return "\(name): no per-layer timings\n" }
        guard let peak = r.peakGFLOPS, let bandwidth = r.bandwidthGBs,
            let model = Roofline(peakGFLOPS: peak, bandwidthGBs: bandwidth)
        else {
            return "\(name): no roofline without the measured peak and bandwidth (see `inception-explorer peak`)\n"
        }
        // Each layer sits at the work it executed, so no point passes the FMA peak: a Winograd
        // layer's effective rate (direct MACs / time) can, and is listed below the chart instead.
        let samples = layers.map {
            RooflineSample(
                path: $0.path + ($0.algorithm == .direct ? "" : " [W]") + ($0.isDepthwise ? " [DW]" : ""),
                macs: $0.executedMACs, bytes: $0.bytes, ms: $0.medianMs)
        }
        let chart = RooflineChart(
            model, samples: samples, width: 80, ascii: ascii,
            prefix: r.path.isEmpty ? "" : r.path + "/")
        let alone = layers.reduce(0) { $0 + $1.medianMs }
        return "Roofline of \(name): each conv and linear layer timed alone (median of its passes)\n"
            + chart.text()
            + "conv and linear layers alone: \(NumberFormat.milliseconds(alone)) in sum; the whole pass: "
            + NumberFormat.milliseconds(r.medianMs) + (alone < r.medianMs ? " (the rest: pools, LRN, copies)" : "")
            + "\n"
            + winogradNote(layers)
            + depthwiseNote(layers, bandwidthGBs: bandwidth)
    }

    /// The depthwise layers ([DW]): memory-bound (kh·kw MACs per 128 bytes in and out), so judged on
    /// the bandwidth they reach against the measured STREAM triad, not on the FMA peak.
    static func depthwiseNote(_ layers: [TimingResult.LayerTime], bandwidthGBs: Double) -> String {
        let dw = layers.filter(\.isDepthwise)
        guard !dw.isEmpty, bandwidthGBs > 0 else { return "" }
        func pct(_ gbs: Double) -> String { NumberFormat.fixed(gbs / bandwidthGBs * 100, decimals: 0) + "%" }
        let ms = dw.reduce(0) { $0 + $1.medianMs }, bytes = dw.reduce(0) { $0 + $1.bytes }
        let all = ms > 0 ? Double(bytes) / (ms * 1e6) : 0
        var out =
            "[DW] depthwise layers, bytes moved / time against the measured bandwidth "
            + "(\(NumberFormat.fixed(bandwidthGBs, decimals: 1)) GB/s STREAM triad): \(dw.count == 1 ? "1 layer" : "\(dw.count) layers"), "
            + "\(NumberFormat.milliseconds(ms)), \(NumberFormat.fixed(all, decimals: 1)) GB/s = \(pct(all)) of it\n"
        for l in dw.sorted(by: { $0.medianMs > $1.medianMs }).prefix(8) {
            out +=
                "  \(l.path): \(NumberFormat.fixed(l.gbPerSecond, decimals: 1)) GB/s (\(pct(l.gbPerSecond))), "
                + "\(NumberFormat.milliseconds(l.medianMs))\n"
        }
        if dw.count > 8 { out += "  (\(dw.count - 8) more)\n" }
        return out
    }

    /// The Winograd layers ([W] in the chart, plotted at their executed MACs): effective and executed rates.
    static func winogradNote(_ layers: [TimingResult.LayerTime]) -> String {
        let w = layers.filter { $0.algorithm != .direct }
        guard !w.isEmpty else { return "" }
        return
            "[W] Winograd layers, plotted at the MACs they executed; effective GFLOP/s counts the direct conv's MACs:\n"
            + w.map { l in
                "  \(l.path) \(l.algorithm): effective \(NumberFormat.fixed(l.gflops, decimals: 1)) GFLOP/s, "
                    + "executed \(NumberFormat.fixed(l.executedGFLOPS, decimals: 1)) GFLOP/s\n"
            }.joined()
    }

    static func layerJSON(_ l: TimingResult.LayerTime) -> String {
        "{\"path\": \(JSONValue.quoted(l.path)), \"op\": \(JSONValue.quoted(l.op.rawValue)), \"median_ms\": \(number(l.medianMs)), "
            + "\"macs\": \(l.macs), \"bytes\": \(l.bytes), \"gflops\": \(number(l.gflops)), "
            + "\"algorithm\": \(JSONValue.quoted(l.algorithm.description)), \"executed_macs\": \(l.executedMACs), "
            + "\"executed_gflops\": \(number(l.executedGFLOPS)), \"kind\": \(JSONValue.quoted(l.name)), "
            + "\"gb_per_s\": \(number(l.gbPerSecond))}"
    }
}
