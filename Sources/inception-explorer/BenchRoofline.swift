import InceptionCore
import InceptionRuntime

/// `bench --roofline`: the per-layer timings of a result as a roofline table and scatter, and as
/// JSON fields.
extension BenchReport {
    /// The roofline of one timed node, or a line saying why there is none.
    static func roofline(_ r: TimingResult, layoutName: String, ascii: Bool) -> String {
        let name = r.path.isEmpty ? layoutName : r.path
        guard let layers = r.layers else { return "\(name): no per-layer timings\n" }
        guard let peak = r.peakGFLOPS, let bandwidth = r.bandwidthGBs,
              let model = Roofline(peakGFLOPS: peak, bandwidthGBs: bandwidth) else {
            return "\(name): no roofline without the measured peak and bandwidth (see `inception-explorer peak`)\n"
        }
        let samples = layers.map { RooflineSample(path: $0.path, macs: $0.macs, bytes: $0.bytes, ms: $0.medianMs) }
        let chart = RooflineChart(model, samples: samples, width: 80, ascii: ascii,
                                  prefix: r.path.isEmpty ? "" : r.path + "/")
        let alone = layers.reduce(0) { $0 + $1.medianMs }
        return "Roofline of \(name): each conv and linear layer timed alone (median of its passes)\n"
            + chart.text()
            + "conv and linear layers alone: \(NumberFormat.milliseconds(alone)) in sum; the whole pass: "
            + NumberFormat.milliseconds(r.medianMs) + (alone < r.medianMs ? " (the rest: pools, LRN, copies)" : "") + "\n"
    }

    static func layerJSON(_ l: TimingResult.LayerTime) -> String {
        "{\"path\": \(quoted(l.path)), \"op\": \(quoted(l.op.rawValue)), \"median_ms\": \(number(l.medianMs)), "
            + "\"macs\": \(l.macs), \"bytes\": \(l.bytes), \"gflops\": \(number(l.gflops))}"
    }
}
