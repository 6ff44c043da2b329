import InceptionCore
import TerminalUI

/// Width edits and undo/redo. Every edit re-analyses the whole layout (microseconds), and the
/// status line states what changed with its exact delta.
extension Explorer {
    func changeWidth(by delta: Int) {
        guard let target = widthTarget(), let old = state.layout.width(at: target),
            let new = state.layout.adjustedWidth(at: target, by: delta)
        else { return }
        // The core's rule (`Layout.adjustedWidth`): one limit for `+`, the prompt and the decoder,
        // so an edited layout always loads again.
        if new == old && delta > 0 && old >= LayoutLimits.maxChannels {
            state.message = StatusMessage(
                "\(state.layout.path(of: target) ?? "?") is at the largest width a layout holds "
                    + "(\(NumberFormat.grouped(LayoutLimits.maxChannels)))", role: .warning)
            return
        }
        setWidth(target, to: new)
    }

    func promptWidth() {
        guard let target = widthTarget() else { return }
        let old = state.layout.width(at: target) ?? 1
        state.mode = .prompt(.width(target: target), PromptState(text: String(old)))
    }

    func applyWidth(_ text: String, target: NodeAddress) {
        guard let n = Int(text), n >= 1 else {
            state.message = .error("width must be a positive integer, got \"\(text)\"; nothing changed")
            return
        }
        guard n <= LayoutLimits.maxChannels else {
            state.message = .error(
                "width \(n) is too large (at most \(NumberFormat.grouped(LayoutLimits.maxChannels)), "
                    + "what a layout file holds); nothing changed")
            return
        }
        setWidth(target, to: n)
    }

    /// The conv or linear layer a width edit of the selection changes, or nil with a message.
    func widthTarget() -> NodeAddress? {
        if let t = state.layout.widthTarget(of: state.selection) { return t }
        state.message = .error("nothing with a width here: select a conv, a linear layer or a branch")
        return nil
    }

    func setWidth(_ target: NodeAddress, to width: Int) {
        let path = state.layout.path(of: target) ?? "?"
        let old = state.layout.width(at: target) ?? 0
        guard width != old else {
            state.message = StatusMessage("\(path) is already \(width) wide", role: .dim)
            return
        }
        let before = state.analysis, beforeLayout = state.layout
        // "to", not "->": in this explorer "->" is a conv's output width ("3x3/1 -> 128").
        state.history.apply("width of \(path): \(old) to \(width)") { $0.setWidth(at: target, to: width) }
        state.refresh(previous: before)
        describeChange("\(path): width \(old) to \(width)", before: before, beforeLayout: beforeLayout)
    }

    /// "inception_3a/1x1/0: width 64 to 72 | params +1,544 (+0.0%) | MACs +1.2M" — or the first
    /// error the edit caused, in red. When the selection's block was timed, the time change (both
    /// layouts timed) or "stale" comes right after what changed, so a narrow status line cuts the
    /// counts rather than the time (see `timingNote`). One order for every edit (what, time, params,
    /// MACs), and no counts at all when the edit changed none (a rename).
    /// The whole message stays in the log (`L`) when the status line cuts it.
    func describeChange(_ what: String, before: Analysis, beforeLayout: InceptionCore.Layout) {
        let after = state.analysis
        if let error = after.errors.first {
            state.message = .error("\(what): invalid: \(error.description)")
            return
        }
        let dp = after.totals.params - before.totals.params
        let dm = after.totals.macs - before.totals.macs
        let params =
            "params \(signed(dp)) (\(NumberFormat.percentChange(from: before.totals.params, to: after.totals.params)))"
        let macs = "MACs \(signed(dm)) (\(NumberFormat.percentChange(from: before.totals.macs, to: after.totals.macs)))"
        let facts = (timingNote(before: beforeLayout).map { [$0] } ?? []) + (dp == 0 && dm == 0 ? [] : [params, macs])
        state.message = StatusMessage(([what] + facts).joined(separator: " | "), role: .ok)
    }

    func undo() { step("undo") { $0.undo() } }

    func redo() { step("redo") { $0.redo() } }

    /// Moves through the history and reports what was undone or redone, with its delta.
    private func step(_ verb: String, _ move: (inout EditHistory) -> String?) {
        let before = state.analysis, beforeLayout = state.layout
        guard let label = move(&state.history) else {
            state.message = StatusMessage("nothing to \(verb)", role: .dim)
            return
        }
        state.refresh()
        describeChange(
            verb == "undo" ? Self.undoText(label) : "redo \(label)",
            before: before, beforeLayout: beforeLayout)
    }

    /// What an undo went back to, not the edit it undid read forwards: "undo: inception_3a/1x1/0
    /// back to width 64"; other edits "undo: <label> undone".
    static func undoText(_ label: String) -> String {
        var text = "undo: \(label) undone"
        if label.hasPrefix("width of "), let colon = label.range(of: ": ", options: .backwards) {
            let path = label[label.index(label.startIndex, offsetBy: 9)..<colon.lowerBound]
            let widths = label[colon.upperBound...].components(separatedBy: " to ")
            if widths.count == 2 { text = "undo: \(path) back to width \(widths[0])" }
        }
        return text
    }
}

/// "+1,544", "-8", "0": a count change with its sign.
func signed(_ n: Int) -> String { (n > 0 ? "+" : "") + NumberFormat.grouped(n) }
