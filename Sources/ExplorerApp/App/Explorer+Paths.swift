import Foundation
import InceptionCore
import TerminalUI

/// Path prompts (`e`, `m`): `~` expands to the home directory, Tab completes the last path
/// component (to the longest common prefix of the matches; a directory gets its "/"), and the
/// status line lists the candidates when there are several.
extension Explorer {
    /// "~" or "~/x" → the home directory ($HOME); anything else unchanged.
    func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty
        else {
            return path
        }
        return home + path.dropFirst()
    }

    /// - Parameter builtins: `O`'s prompt also completes `builtin:` names.
    func completePath(_ prompt: inout PromptState, builtins: Bool = false) {
        let typed = prompt.text
        let builtinPrefix = "builtin:"
        if builtins, !typed.isEmpty, builtinPrefix.hasPrefix(typed) || typed.hasPrefix(builtinPrefix) {
            let names = BuiltInLayout.allCases.map { builtinPrefix + $0.rawValue }.filter { $0.hasPrefix(typed) }
                .sorted()
            guard !names.isEmpty else {
                state.message = StatusMessage(
                    "no built-in layout starts with \"\(typed.dropFirst(min(typed.count, builtinPrefix.count)))\"",
                    role: .warning)
                return
            }
            var common = names[0]
            for m in names.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
            prompt.replace(with: common)
            state.completions = names.count > 1 ? names : []
            return
        }
        let expanded = expandingTilde(typed)
        let slash = expanded.lastIndex(of: "/")
        let dir = slash.map { String(expanded[...$0]) } ?? ""
        let stem = slash.map { String(expanded[expanded.index(after: $0)...]) } ?? expanded
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        let matches = listed.filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
        guard !matches.isEmpty else {
            state.message = StatusMessage("no file starts with \"\(typed)\"", role: .warning)
            return
        }
        var common = matches[0]
        for m in matches.dropFirst() {
            while !m.hasPrefix(common) { common.removeLast() }
        }
        var completed = dir + common
        var isDir: ObjCBool = false
        if matches.count == 1, FileManager.default.fileExists(atPath: completed, isDirectory: &isDir), isDir.boolValue {
            completed += "/"
        }
        // Keep the "~" the user typed.
        if typed.hasPrefix("~"), let home = ProcessInfo.processInfo.environment["HOME"], completed.hasPrefix(home) {
            completed = "~" + completed.dropFirst(home.count)
        }
        prompt.replace(with: completed)
        // Shown beside the prompt (the prompt covers the status line, where a message would hide).
        state.completions = matches.count > 1 ? matches : []
    }
}
