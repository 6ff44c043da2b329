import InceptionCore
import InceptionRuntime
import TerminalUI

/// `o`: the roofline of the selected block's last timing, and the time deltas the explorer can
/// know — a re-run against the run before it, an edit (or undo) between two timed layouts.
extension Explorer {
    /// The node `r` times for the selection ("" on the network row), whose timing `o` shows.
    var timingTarget: String { state.selectedTopLevel.flatMap { state.layout.path(of: $0) } ?? "" }

    /// Opens the roofline overlay, or says on the status line why there is nothing to draw.
    func openRoofline() {
        let target = timingTarget
        let name = target.isEmpty ? "the network" : target
        guard let run = state.timings[target] else {
            state.message = StatusMessage("no timing of \(name) yet: press r first (R for the network)", role: .warning)
            return
        }
        guard run.result.layers != nil else {
            state.message = StatusMessage("the timing of \(name) has no per-layer times: press r again", role: .warning)
            return
        }
        guard roofline(of: run.result) != nil else {
            state.message = .error("no measured peak and bandwidth for the roofline (run `inception-explorer peak`)")
            return
        }
        state.mode = .roofline(offset: 0)
    }

    func roofline(of result: TimingResult) -> Roofline? {
        guard let peak = result.peakGFLOPS, let bandwidth = result.bandwidthGBs else { return nil }
        return Roofline(peakGFLOPS: peak, bandwidthGBs: bandwidth)
    }

    /// The overlay's title and lines: the core's roofline text for the selection's last timing,
    /// `width` columns wide, then how the layers alone add up against the whole pass.
    func rooflineOverlay(width: Int, ascii: Bool) -> (title: String, lines: [String]) {
        let target = timingTarget
        let name = target.isEmpty ? "the network" : target
        guard let run = state.timings[target], let layers = run.result.layers, let model = roofline(of: run.result) else {
            return ("Roofline (Esc closes)", ["no per-layer timing of \(name): press r first"])
        }
        let stale = run.layout != state.layout
        let title = "Roofline of \(name)" + (stale ? ", stale: edited since" : "") + " (Esc closes)"
        let samples = layers.map { RooflineSample(path: $0.path, macs: $0.macs, bytes: $0.bytes, ms: $0.medianMs) }
        let chart = RooflineChart(model, samples: samples, width: width, ascii: ascii,
                                  prefix: target.isEmpty ? "" : target + "/")
        var lines = chart.text(scatterRows: 8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let alone = layers.reduce(0) { $0 + $1.medianMs }
        lines.append("")
        lines.append("conv and linear layers alone: \(NumberFormat.milliseconds(alone)) in sum; "
                     + "the whole pass: \(NumberFormat.milliseconds(run.result.medianMs))")
        return (title, lines)
    }

    /// "+0.108 ms (+4.2%)": the change from one median to another, signed, with its share.
    static func timeDelta(from old: Double, to new: Double) -> String {
        let d = new - old
        let sign = d > 0 ? "+" : d < 0 ? "-" : "±"
        let percent = old > 0 ? (d > 0 ? "+" : "") + NumberFormat.fixed(d / old * 100, decimals: 1) + "%" : "n/a"
        return sign + NumberFormat.milliseconds(abs(d)) + " (" + percent + ")"
    }

    /// After an edit from `before` to the current layout: the time change of the selection's timed
    /// node when both layouts were timed (an undo back to a timed layout), else a reminder that the
    /// timing went stale; nil when the node was never timed.
    func timingNote(before: InceptionCore.Layout) -> String? {
        let target = timingTarget
        let runs = [state.timings[target], state.previousTimings[target]].compactMap { $0 }
        guard !runs.isEmpty else { return nil }
        let was = runs.first { $0.layout == before }, now = runs.first { $0.layout == state.layout }
        if let was, let now {
            return "time " + Self.timeDelta(from: was.result.medianMs, to: now.result.medianMs)
        }
        return was == nil ? nil : "time: stale, r re-times"
    }

    /// The Forward pass panel's delta lines for `run` of `target`: against the previous run, and
    /// how much the node's MACs changed since the timing when the layout has been edited.
    func forwardDeltaLines(_ run: TimedRun, target: String) -> [[Span]] {
        var lines: [[Span]] = []
        if let previous = state.previousTimings[target] {
            let same = previous.layout == run.layout
            lines.append([Span("vs previous run: ", .dim),
                          Span(Self.timeDelta(from: previous.result.medianMs, to: run.result.medianMs)),
                          Span(same ? "  same layout" : "", .dim)])
        }
        if run.layout != state.layout {
            let timed = Analysis(run.layout)
            let change = target.isEmpty ? Delta(network: timed, state.analysis).macs : Delta(node: target, timed, state.analysis)?.macs
            if let change, change.difference != 0 {
                lines.append([Span("MACs since: ", .dim),
                              Span(signed(change.difference) + " (" + NumberFormat.percentChange(from: change.before, to: change.after) + ")"),
                              Span("  r re-times", .dim)])
            }
        }
        return lines
    }
}
