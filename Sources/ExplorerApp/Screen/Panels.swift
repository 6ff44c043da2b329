import InceptionCore
import TerminalUI

/// The right-hand panels for the selected node: Parameters, Compute, Feature maps, Forward pass.
/// Exact numbers with thousands separators; units always labelled (MACs vs FLOPs = 2·MACs).
extension Screen {
    func renderPanels(in area: Rect, buffer: inout Buffer) {
        let context = PanelContext(state)
        let inner = viewport.panelTextWidth
        let panels: [(String, [[Span]])] = [
            ("Parameters", parameterLines(context)),
            ("Compute", computeLines(context, width: inner, glyphs: glyphs)),
            ("Feature maps", featureLines(context, width: inner, glyphs: glyphs)),
            ("Forward pass", forwardLines(context, width: inner, glyphs: glyphs)),
            (lintTitle(), lintLines(width: inner)),
        ]
        // The four panels of the selection come first, at the height they want when it fits;
        // Lints takes everything they leave (at least one line when there is room for one), so
        // its wrapped text gets the slack rather than an empty Forward pass box.
        let wants = panels.dropLast().map { $0.1.count + 2 }
        var heights =
            wants.reduce(0, +) <= area.height - 3 ? Array(wants) : Self.share(area.height - 3, among: Array(wants))
        let left = area.height - heights.reduce(0, +)
        heights.append(left >= 3 ? left : 0)
        if left < 3, !heights.isEmpty { heights[heights.count - 2] += left }
        var y = area.y
        for (i, (title, lines)) in panels.enumerated() where heights[i] > 0 {
            let rect = Rect(x: area.x, y: y, width: area.width, height: heights[i])
            let box = Box(title: title, glyphs: glyphs)
            buffer.render(box, in: rect)
            let inner = box.inner(rect)
            buffer.render(Paragraph(lines: lines), in: inner)
            // A panel cut short says so on its bottom border (Lints: p lists them all).
            if lines.count > inner.height, rect.width >= 12, rect.height >= 2 {
                let more = " " + glyphs.arrowDown + " more "
                buffer.put(
                    more, x: rect.maxX - 2 - TextWidth.of(more), y: rect.maxY - 1, style: Style(.accent), clip: rect)
            }
            y += heights[i]
        }
    }

    /// Splits `total` rows among boxes wanting `wants` rows: everyone gets what they want when it
    /// fits (the last box takes the slack); otherwise rows go round-robin, one at a time, to boxes
    /// still short, so each keeps its border and first lines.
    static func share(_ total: Int, among wants: [Int]) -> [Int] {
        guard !wants.isEmpty else { return [] }
        if wants.reduce(0, +) <= total {
            var h = wants
            h[h.count - 1] += total - wants.reduce(0, +)
            return h
        }
        var h = [Int](repeating: 0, count: wants.count)
        var left = total
        // Borders first (2 rows each, while they fit), then content one row per box per round.
        for i in wants.indices where left >= 3 { h[i] = 3; left -= 3 }
        var progress = true
        while left > 0 && progress {
            progress = false
            for i in wants.indices where left > 0 && h[i] > 0 && h[i] < wants[i] {
                h[i] += 1
                left -= 1
                progress = true
            }
        }
        return h
    }

    /// "label    value  extra": the exact value always; the extra (humanized figure, unit note)
    /// only when it fits whole, so a narrow panel never shows half a note.
    /// When even the exact value does not fit, `short` (its humanized form) takes its place, so a
    /// number is never cut ("14,512,31…").
    func row(
        _ label: String, _ value: String, _ extra: String = "", short: String? = nil, role: ColorRole = .normal
    ) -> [Span] {
        let padded = label + String(repeating: " ", count: max(1, 9 - label.count))
        let width = viewport.panelTextWidth
        if width > 0, padded.count + value.count > width, let short {
            return [Span(padded, .dim), Span(short, role)]
        }
        let fits = width == 0 || padded.count + value.count + 2 + extra.count <= width
        return [Span(padded, .dim), Span(value, role), Span(extra.isEmpty || !fits ? "" : "  " + extra, .dim)]
    }

    /// A count's row: exact, humanized beside it when it fits, humanized alone when the exact one does not.
    func countRow(_ label: String, _ n: Int, _ extra: String? = nil, role: ColorRole = .normal) -> [Span] {
        row(
            label, NumberFormat.grouped(n), extra ?? NumberFormat.humanized(n), short: NumberFormat.humanized(n),
            role: role)
    }

    func parameterLines(_ c: PanelContext) -> [[Span]] {
        var lines: [[Span]] = []
        let t = state.analysis.totals
        if let n = c.node {
            lines.append(countRow("node", n.params))
            if n.aux { lines.append([Span("aux head: training only, not in totals", .dim)]) }
        }
        if let b = c.branch, b.address != c.node?.address {
            lines.append(countRow("branch", b.params))
        }
        if let b = c.block, b.address != c.node?.address {
            lines.append(countRow("block", b.params))
        }
        lines.append(countRow("network", t.params, role: .accent))
        if let previous = state.vsPrevious, let loaded = state.vsLoaded {
            lines.append(
                row(
                    "vs prev", signed(previous.params.difference),
                    previous.params.percent.map { NumberFormat.fixed($0, decimals: 2) + "%" } ?? ""))
            lines.append(
                row(
                    "vs load", signed(loaded.params.difference),
                    loaded.params.percent.map { NumberFormat.fixed($0, decimals: 2) + "%" } ?? ""))
        }
        if let n = c.node, n.buffers > 0 || t.buffers > 0 {
            lines.append(row("bn buf", NumberFormat.grouped(n.buffers), "network \(NumberFormat.grouped(t.buffers))"))
        } else if c.node == nil, t.buffers > 0 {
            // The network row: its own buffers are the network's (not "0 · network N").
            lines.append(row("bn buf", NumberFormat.grouped(t.buffers), "running mean/var"))
        }
        return lines
    }

    func computeLines(_ c: PanelContext, width: Int, glyphs: Glyphs) -> [[Span]] {
        var lines: [[Span]] = []
        let t = state.analysis.totals
        if let n = c.node {
            lines.append(countRow("MACs", n.macs))
            lines.append(countRow("FLOPs", n.flops, "= 2 x MACs"))
        }
        if let b = c.block, b.address != c.node?.address {
            lines.append(countRow("block", b.macs, "MACs"))
        }
        lines.append(countRow("network", t.macs, "MACs", role: .accent))
        if let d = state.vsLoaded?.macs, state.history.index > 0 {
            lines.append(
                row("vs load", signed(d.difference), d.percent.map { NumberFormat.fixed($0, decimals: 2) + "%" } ?? ""))
        }
        if let block = c.block, block.macs > 0 {
            // Names get the width there is (the bar keeps 10 cells) and are trimmed in the middle,
            // so "branch3x3dbl_3a" and "branch3x3dbl_3b" never merge into one label.
            let nameWidth = Self.nameWidth(c.blockBranches.map { lastComponent($0.path) }, room: width - 8 - 10)
            let barWidth = max(4, width - nameWidth - 8)
            for b in c.blockBranches {
                let share = Double(b.macs) / Double(block.macs)
                let mine = c.branch?.address == b.address
                lines.append([
                    Span(padMiddle(lastComponent(b.path), nameWidth) + " ", mine ? .accent : .dim),
                    Span(
                        pad(ChartGlyphs.bar(fraction: share, cells: barWidth, ascii: !glyphs.isUnicode), barWidth), .bar
                    ),
                    Span(" " + leftPad(NumberFormat.percent(share), 6), .normal),
                ])
            }
        }
        return lines
    }

    func featureLines(_ c: PanelContext, width: Int, glyphs: Glyphs) -> [[Span]] {
        var lines: [[Span]] = []
        let a = state.analysis
        let node = c.node
        let input = node?.input ?? a.input
        let output = c.node == nil ? a.output : node?.output
        lines.append([
            Span(input.description), Span(glyphs.isUnicode ? " → " : " -> ", .dim),
            Span(output?.description ?? "?", output == nil ? .error : .accent),
        ])
        let bytes = node?.activationBytes ?? a.totals.activationBytes
        var facts = "act \(NumberFormat.bytes(bytes))"
        if let rf = node?.receptiveField {
            facts += Self.dot(glyphs) + "RF \(rf.isSquare ? String(rf.h) : rf.description)"
        }
        lines.append([Span(facts, .dim)])
        if let d = state.vsLoaded?.activationBytes, state.history.index > 0 {
            // The network's activation memory against the layout as loaded, like Parameters and Compute.
            lines.append(
                row(
                    "vs load", (d.difference > 0 ? "+" : "") + NumberFormat.bytes(d.difference),
                    d.percent.map { NumberFormat.fixed($0, decimals: 2) + "%" } ?? ""))
        }
        if let error = node?.error {
            // The whole reason, wrapped at word boundaries (never cut mid-word).
            for l in TextWidth.wrap(error, width: max(1, width)) { lines.append([Span(l, .error)]) }
        }
        let shapeWidth = c.branchLayers.map { TextWidth.of($0.output?.description ?? "?") }.max() ?? 1
        let layerNameWidth = Self.nameWidth(
            c.branchLayers.map { lastComponent($0.path) }, room: width - 3 - shapeWidth, least: 3)
        for layer in c.branchLayers {
            let name = lastComponent(layer.path)
            let here = layer.address == node?.address
            lines.append([
                Span((here ? "> " : "  ") + padMiddle(name, layerNameWidth) + " ", here ? .accent : .dim),
                Span(layer.output?.description ?? "?", layer.error == nil ? .normal : .error),
            ])
        }
        return lines
    }

    func forwardLines(_ c: PanelContext, width: Int, glyphs: Glyphs) -> [[Span]] {
        let target = state.timingTarget
        let label = target.isEmpty ? "the network" : target
        switch state.timing {
        case .running(let path, let progress):
            let barWidth = max(4, width - 8)
            return [
                [Span("timing \(path.isEmpty ? "the network" : path)…", .accent)],
                [
                    Span(
                        pad(ChartGlyphs.bar(fraction: progress, cells: barWidth, ascii: !glyphs.isUnicode), barWidth),
                        .bar),
                    Span(" " + NumberFormat.percent(progress)),
                ],
                [Span("Esc cancels", .dim)],
            ]
        case .failed(let why):
            return [[Span(why, .error)]]
        default:
            break
        }
        // On a block, the network's last run (R) shows above the block's own: R pressed here
        // answers here, not only in the status line.
        var lines: [[Span]] = []
        if !target.isEmpty, let network = state.timings[""] {
            lines.append([
                Span("network ", .dim), Span("median " + NumberFormat.milliseconds(network.result.medianMs), .accent),
                Span(
                    network.layout != state.layout ? "  (stale)" : "  R re-times",
                    network.layout != state.layout ? .warning : .dim),
            ])
        }
        guard let run = state.timings[target] else {
            // On the network row r and R do the same: one line says so.
            if target.isEmpty { return [[Span("r / R: time the network", .dim)]] }
            return lines + [[Span("r: time \(label)", .dim)]]
                + (lines.isEmpty ? [[Span("R: time the whole network", .dim)]] : [])
        }
        let result = run.result
        let stale = run.layout != state.layout
        lines.append([
            Span(result.path.isEmpty ? "network" : result.path, .accent),
            Span(
                stale ? "  (stale: edited since)" : "  \(result.threads) thr, batch \(result.batch)",
                stale ? .warning : .dim),
        ])
        lines.append([
            Span("median ", .dim), Span(NumberFormat.milliseconds(result.medianMs)),
            Span(
                Self.dot(glyphs) + "min \(NumberFormat.milliseconds(result.minMs))" + Self.dot(glyphs)
                    + "\(result.iterations) passes", .dim),
        ])
        if let p10 = result.p10Ms, let p90 = result.p90Ms {
            // The spread of the passes: how far to trust the median.
            lines.append([
                Span("p10-p90 ", .dim), Span(NumberFormat.milliseconds(p10) + " - " + NumberFormat.milliseconds(p90)),
                Span(
                    result.medianMs > 0
                        ? "  (\(NumberFormat.fixed((p90 - p10) / result.medianMs * 100, decimals: 0))% of median)" : "",
                    .dim),
            ])
        }
        // A Winograd plan's effective rate (direct MACs / time) can pass the FMA peak: it gets a line
        // of its own, and the executed rate (the same figure for a direct plan) goes with the % of peak.
        if result.ranFewerMACs {
            lines.append([
                Span("\(NumberFormat.fixed(result.gflops, decimals: 1)) GFLOP/s effective"),
                Span(" (direct MACs)", .dim),
            ])
            // Why an effective rate can pass the peak, in the panel where the two figures meet.
            for l in TextWidth.wrap("Winograd multiplies fewer MACs than the direct conv counts", width: max(1, width))
            {
                lines.append([Span(l, .dim)])
            }
        }
        var perf =
            "\(NumberFormat.fixed(result.executedGFLOPS, decimals: 1)) GFLOP/s"
            + (result.ranFewerMACs ? " executed" : "")
        if let p = result.percentOfPeak { perf += Self.dot(glyphs) + "\(NumberFormat.fixed(p, decimals: 0))% of peak" }
        lines.append([Span(perf)])
        if !result.algorithmSummary.isEmpty {
            // Wrapped, never cut: the last algorithms are as much the answer as the first.
            for l in TextWidth.wrap("convs: " + result.algorithmSummary, width: max(1, width)) {
                lines.append([Span(l, .dim)])
            }
        }
        if result.debugBuild { lines.append([Span("debug build: timings not representative", .warning)]) }
        if let load = run.busyLoad {
            lines.append([
                Span(
                    "machine busy (load \(NumberFormat.fixed(load, decimals: 1)) at start): times may be high", .warning
                )
            ])
        }
        lines += forwardDeltaLines(run, target: target)
        let slowest = result.branches.map(\.medianMs).max() ?? 0
        let nameWidth = Self.nameWidth(result.branches.map { lastComponent($0.path) }, room: width - 12 - 6)
        let barWidth = max(3, width - nameWidth - 12)
        for b in result.branches {
            let share = slowest > 0 ? b.medianMs / slowest : 0
            lines.append([
                Span(padMiddle(lastComponent(b.path), nameWidth) + " ", .dim),
                Span(pad(ChartGlyphs.bar(fraction: share, cells: barWidth, ascii: !glyphs.isUnicode), barWidth), .bar),
                Span(" " + leftPad(NumberFormat.milliseconds(b.medianMs), 9)),
            ])
        }
        return lines
    }

    func lintTitle() -> String { "Lints (\(state.lints.count))" }

    /// The lints on the selection and below it (all of them on the network row), each wrapped at
    /// word boundaries to the panel's width; the panel shows as many lines as it has room for and
    /// `p` shows them all.
    func lintLines(width: Int) -> [[Span]] {
        let path = state.selectedPath
        let mine = state.lints.filter { path.isEmpty || $0.path == path || $0.path.hasPrefix(path + "/") }
        if state.lints.isEmpty {
            return [[Span(state.analysis.isValid ? "none" : "fix the errors first (p lists them)", .dim)]]
        }
        if mine.isEmpty { return [[Span("none here (\(state.lints.count) elsewhere; p lists them)", .dim)]] }
        var lines: [[Span]] = []
        for lint in mine {
            // Named from the selection down ("inception_3a/5x5/1" on the network row, "5x5/1" on
            // the block), the last step alone on the node itself.
            let name =
                lint.path == path || path.isEmpty && lint.path.isEmpty
                ? lastComponent(lint.path)
                : path.isEmpty ? lint.path : String(lint.path.dropFirst(path.count + 1))
            let head = lint.id.rawValue + " " + name + ": "
            let wrapped = TextWidth.wrap(head + lint.measured, width: max(1, width))
            for (i, l) in wrapped.enumerated() {
                if i == 0, l.hasPrefix(head) {
                    lines.append([
                        Span(lint.id.rawValue + " ", .warning), Span(name + ": ", .dim),
                        Span(String(l.dropFirst(head.count))),
                    ])
                } else {
                    lines.append([Span(l)])
                }
            }
        }
        return lines
    }

    func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    func pad(_ s: String, _ width: Int) -> String {
        let w = TextWidth.of(s)
        if w >= width { return TextWidth.truncate(s, to: width, ellipsis: "") }
        return s + String(repeating: " ", count: width - w)
    }

    /// `s` trimmed in the middle ("branch…x3_3") to `width` columns, or padded to it: siblings that
    /// share a long prefix keep the ends that tell them apart.
    func padMiddle(_ s: String, _ width: Int) -> String {
        TextWidth.fit(s, width: width, ellipsis: glyphs.ellipsis, truncation: .middle)
    }

    /// The width of a name column: the longest name, at most `room` (at least `least`).
    static func nameWidth(_ names: [String], room: Int, least: Int = 4) -> Int {
        max(least, min(names.map { TextWidth.of($0) }.max() ?? least, room))
    }

    func leftPad(_ s: String, _ width: Int) -> String {
        let w = TextWidth.of(s)
        return w >= width ? s : String(repeating: " ", count: width - w) + s
    }
}
