import InceptionCore
import TerminalUI

/// `m`: a Markdown report of the current layout — the summary table, lints, the change against
/// the layout as loaded, and the last timings — written next to the layout file. Like `e` it checks
/// the target first and asks before overwriting a file; it never writes over the open layout.
extension Explorer {
    func promptReport() {
        state.mode = .prompt(.reportPath, PromptState(text: defaultReportPath()))
    }

    /// `<layout>.report.md` beside the loaded file, or in the current directory for a built-in.
    func defaultReportPath() -> String {
        var base = state.origin.path ?? state.origin.exportDefault
        if base.hasSuffix(".json") { base.removeLast(5) }
        return base + ".report.md"
    }

    func writeReport(to path: String) {
        guard !path.isEmpty else {
            state.message = .error("no path given; nothing written")
            return
        }
        if let open = state.origin.path, Self.sameFile(open, path) {
            state.message = .error("not written: the report would replace the open layout \(path)")
            return
        }
        guard let target = checkTarget(path) else { return }
        if target == .regularFile {
            state.mode = .confirm(.overwriteReport(path: path))
        } else {
            requestReportWrite(to: path)
        }
    }

    func requestReportWrite(to path: String) {
        effects.append(.write(path: path, contents: Array(reportMarkdown().utf8), kind: .report))
    }

    /// True when two paths name one file: the same text, or the same device and inode (a
    /// symlink, "./x.json", another spelling).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = FileStamp.of(a), let y = FileStamp.of(b) else { return false }
        return x.sameFile(as: y)
    }

    func reportMarkdown() -> String {
        var out = Summary(state.layout, analysis: state.analysis, depth: 1).markdown()
        out += "\n### Against the layout as loaded\n\n"
        let delta = Delta(network: state.originalAnalysis, state.analysis)
        if delta.isZero && state.history.index == 0 {
            out += "No edits.\n"
        } else {
            for line in delta.lines { out += "- \(line)\n" }
            out += "\nEdits, in order:\n\n"
            // Numbered in the text too: a Markdown viewer renumbers, a plain reader does not.
            for (i, label) in state.history.labels.dropFirst().prefix(state.history.index).enumerated() {
                out += "\(i + 1). \(label)\n"
            }
        }
        out += "\n### Lints\n\n"
        if state.lints.isEmpty { out += "None.\n" }
        for lint in state.lints {
            out += "- **\(lint.id.rawValue)** `\(lint.path)`: \(lint.measured). Suggested: \(lint.suggestion)\n"
        }
        if !state.timings.isEmpty {
            // GFLOP/s credit the direct conv's MACs (effective); executed counts the MACs multiplied.
            out +=
                "\n### Forward-pass timings (this machine, engine median)\n\n"
                + "| node | median ms | min ms | GFLOP/s | executed GFLOP/s | threads | batch | stale |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---|\n"
            for (path, run) in state.timings.sorted(by: { $0.key < $1.key }) {
                let r = run.result
                out +=
                    "| \(path.isEmpty ? "network" : path) | \(NumberFormat.fixed(r.medianMs, decimals: 3)) | "
                    + "\(NumberFormat.fixed(r.minMs, decimals: 3)) | \(NumberFormat.fixed(r.gflops, decimals: 1)) | "
                    + "\(NumberFormat.fixed(r.executedGFLOPS, decimals: 1)) | \(r.threads) | "
                    + "\(r.batch) | \(run.layout == state.layout ? "no" : "yes") |\n"
            }
            // The panel's warnings travel with the figures they qualify.
            for (path, run) in state.timings.sorted(by: { $0.key < $1.key }) {
                let name = path.isEmpty ? "network" : path
                if let load = run.busyLoad {
                    out +=
                        "\n> \(name): the machine was busy (load \(NumberFormat.fixed(load, decimals: 1)) at start): times may be high."
                }
                if run.result.debugBuild { out += "\n> \(name): debug build: timings not representative." }
            }
            if state.timings.values.contains(where: { $0.busyLoad != nil || $0.result.debugBuild }) { out += "\n" }
        }
        return out
    }
}

extension FileStamp {
    /// Same device and inode: one file, whatever its contents.
    func sameFile(as other: FileStamp) -> Bool { device == other.device && inode == other.inode }
}
