import InceptionCore
import TerminalUI

/// `o`: the roofline of the selected block's last timing, and the time deltas the explorer can
/// know — a re-run against the run before it, an edit (or undo) between two timed layouts.
extension ExplorerState {
    /// The node `r` times for the selection ("" on the network row), whose timing `o` shows.
    var timingTarget: String { selectedTopLevel.flatMap { layout.path(of: $0) } ?? "" }
}

extension Explorer {
    var timingTarget: String { state.timingTarget }

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

    func roofline(of result: TimingResult) -> Roofline? { Screen.roofline(of: result) }

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
}
