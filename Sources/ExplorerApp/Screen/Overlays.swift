import InceptionCore
import TerminalUI

/// The roofline (`o`) and problems (`p`) overlays' content, and the Forward pass panel's deltas:
/// pure functions of the state.
extension Screen {
    static func roofline(of result: TimingResult) -> Roofline? {
        guard let peak = result.peakGFLOPS, let bandwidth = result.bandwidthGBs else { return nil }
        return Roofline(peakGFLOPS: peak, bandwidthGBs: bandwidth)
    }

    /// A layer's path below the timed block, with index steps written "[0]" so "3x3[0]" cannot be
    /// read as a 3x3 conv of stride 0 ("3x3/0").
    static func displayPath(_ path: String, below prefix: String) -> String {
        let rest =
            prefix.isEmpty ? path : (path.hasPrefix(prefix + "/") ? String(path.dropFirst(prefix.count + 1)) : path)
        var out = ""
        for part in rest.split(separator: "/") {
            if Int(part) != nil { out += "[\(part)]" } else { out += (out.isEmpty ? "" : "/") + part }
        }
        return out
    }

    /// The roofline overlay's title and lines: the core's roofline text for the selection's last
    /// timing, `width` columns wide, then how the layers alone add up against the whole pass.
    static func rooflineOverlay(_ state: ExplorerState, width: Int, ascii: Bool) -> (title: String, lines: [String]) {
        let target = state.timingTarget
        let name = target.isEmpty ? "the network" : target
        guard let run = state.timings[target], let layers = run.result.layers, let model = roofline(of: run.result)
        else {
            return ("Roofline (q or Esc closes)", ["no per-layer timing of \(name): press r first"])
        }
        let stale = run.layout != state.layout
        let title = "Roofline of \(name)" + (stale ? ", stale: edited since" : "") + " (q or Esc closes)"
        let samples = layers.map {
            // At executed MACs, so a Winograd layer ([W]) cannot pass the FMA peak.
            RooflineSample(
                path: displayPath($0.path, below: target) + ($0.algorithm == .direct ? "" : " [W]"),
                macs: $0.executedMACs, bytes: $0.bytes, ms: $0.medianMs)
        }
        let chart = RooflineChart(model, samples: samples, width: width, ascii: ascii, prefix: "")
        var lines = chart.text(scatterRows: 8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let alone = layers.reduce(0) { $0 + $1.medianMs }
        lines.append("")
        lines.append(
            "conv and linear layers alone: \(NumberFormat.milliseconds(alone)) in sum; "
                + "the whole pass: \(NumberFormat.milliseconds(run.result.medianMs))")
        return (title, lines)
    }

    /// `line` as it is when it fits in `width` cells, else wrapped at spaces with its own leading
    /// indent kept and continuation lines indented four more (the compare overlay's change lines
    /// carry their params and MACs deltas at the end: cutting them lost the figures).
    static func wrapKeepingIndent(_ line: String, width: Int) -> [String] {
        guard TextWidth.of(line) > width else { return [line] }
        let indent = String(line.prefix { $0 == " " })
        let body = String(line.dropFirst(indent.count))
        let wrapped = TextWidth.wrap(body, width: max(10, width - indent.count - 4))
        return wrapped.enumerated().map { i, l in indent + (i == 0 ? "" : "    ") + l }
    }

    static let messagesTitle = "Messages, newest last (q or Esc closes)"

    /// The message log (`L`): every status message of the session, whole, wrapped to `width`,
    /// each in its role's color and numbered so a wrapped one reads as one entry.
    static func messageLogLines(_ state: ExplorerState, width: Int, ascii: Bool = false) -> [[Span]] {
        guard !state.messageLog.isEmpty else { return [[Span("no messages yet", .dim)]] }
        let log = state.messageLog
        let numberWidth = String(log.count).count
        let textWidth = max(20, width - 4 - numberWidth - 2)
        var lines: [[Span]] = []
        for (i, m) in log.enumerated() {
            let number = String(repeating: " ", count: numberWidth - String(i + 1).count) + String(i + 1) + "  "
            for (j, l) in TextWidth.wrap((ascii ? Glyphs.ascii : Glyphs.unicode).fold(m.text), width: textWidth)
                .enumerated()
            {
                lines.append([
                    Span(j == 0 ? number : String(repeating: " ", count: number.count), .dim), Span(l, m.role),
                ])
            }
        }
        return lines
    }

    /// The problems view: each problem as a heading (severity, path) and its full text wrapped to
    /// `width`; the selected one is marked. Errors come first, then lints, in network order.
    static func problemsOverlay(_ state: ExplorerState, width: Int) -> (title: String, lines: [[Span]], offset: Int) {
        let errors = state.problems.filter { $0.severity == .error }.count
        let title =
            "Problems: \(errors) error\(errors == 1 ? "" : "s"), \(state.problems.count - errors) lint"
            + "\(state.problems.count - errors == 1 ? "" : "s") (Enter goes to it, q closes)"
        guard case .problems(let selected) = state.mode else { return (title, [], 0) }
        var lines: [[Span]] = []
        var offset = 0
        let textWidth = max(20, width - 4)
        for (i, p) in state.problems.enumerated() {
            if i == selected { offset = lines.count }
            let mark = i == selected ? "> " : "  "
            let style: Style =
                p.severity == .error ? Style(.error, bold: i == selected) : Style(.warning, bold: i == selected)
            lines.append([
                Span(mark, style: style), Span(p.severity == .error ? "error " : "lint ", style: style),
                Span(p.path.isEmpty ? "network" : p.path, style: Style(.accent, bold: i == selected)),
            ])
            for l in TextWidth.wrap(p.text, width: textWidth) { lines.append([Span("    " + l)]) }
        }
        return (title, lines, offset)
    }

    /// The Forward pass panel's delta lines for `run` of `target`: against the previous run, and
    /// how much the node's MACs changed since the timing when the layout has been edited (from the
    /// analysis kept with the run: nothing is analysed per frame).
    func forwardDeltaLines(_ run: TimedRun, target: String) -> [[Span]] {
        var lines: [[Span]] = []
        if let previous = state.previousTimings[target] {
            let same = previous.layout == run.layout
            lines.append([
                Span("vs previous run: ", .dim),
                Span(Explorer.timeDelta(from: previous.result.medianMs, to: run.result.medianMs)),
                Span(same ? "  same layout" : "", .dim),
            ])
        }
        if run.layout != state.layout {
            let timed = run.analysis
            let change =
                target.isEmpty
                ? Delta(network: timed, state.analysis).macs : Delta(node: target, timed, state.analysis)?.macs
            if let change, change.difference != 0 {
                lines.append([
                    Span("MACs since: ", .dim),
                    Span(
                        signed(change.difference) + " ("
                            + NumberFormat.percentChange(from: change.before, to: change.after) + ")"),
                    Span("  r re-times", .dim),
                ])
            }
        }
        return lines
    }
}
