import Foundation

/// A mistyped subcommand (`inception-explorer sumary x.json`) would otherwise reach the default
/// command, `explore`, as a file name, and the user would read "Unexpected argument 'x.json'".
/// Before parsing, a first argument that is no subcommand, no option, no `builtin:` name and no
/// existing file is taken for a command name: the answer names the closest command.
enum UnknownCommand {
    /// The one-line usage error for `arguments` (without the program name), or nil when they parse
    /// as usual. A lone missing file (`inception-explorer missing.json`) is left to `explore`,
    /// which says "no such file", unless the word is close to a command.
    static func message(
        arguments: [String], commands: [String],
        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first),
            !first.hasPrefix("builtin:"), !exists(first)
        else { return nil }
        let shown =
            "'" + first.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
            + "'"
        if let guess = closest(to: first, among: commands) {
            return "unknown command \(shown); did you mean \(guess)?"
        }
        // A word that looks like no file (no dot, no slash) followed by more arguments.
        if arguments.count > 1, !first.contains("."), !first.contains("/") {
            return "unknown command \(shown); commands: \(commands.joined(separator: ", "))"
        }
        return nil
    }

    /// The command within two edits of `word` (or that it starts), nearest first; nil when none.
    static func closest(to word: String, among commands: [String]) -> String? {
        let lower = word.lowercased()
        let scored = commands.map { ($0, distance(lower, $0)) }.filter {
            $0.1 <= 2 || ($0.0.hasPrefix(lower) && lower.count >= 3)
        }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance over characters, stopping early past a small bound (words are short).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
