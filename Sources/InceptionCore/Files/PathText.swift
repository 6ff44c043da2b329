/// How a file path appears in a message: as given when it is short and printable, else shortened
/// in the middle and with control characters escaped, so every message stays one short line (a
/// 20 KB path made a "one line" error of 20 KB), and whether a path can be used exactly at all.
public enum PathText {
    /// The longest path a message shows whole, in characters.
    public static let maxShown = 120

    /// `path` for a message: control and bidi characters escaped (`\n`, `\u{1b}`), and when it is
    /// longer than `maxShown`, its start and end with "…" between (both ends are what tell paths
    /// apart: the folder and the file name).
    public static func shown(_ path: String, max: Int = maxShown) -> String {
        var scalars = Array(path.unicodeScalars)
        if scalars.count > max {
            let head = max * 2 / 3, tail = max - head - 1
            scalars = Array(scalars[..<head]) + ["…"] + Array(scalars[(scalars.count - tail)...])
        }
        if !scalars.contains(where: NodeNameRule.isUnsafe) {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars)
            return String(s)
        }
        var out = ""
        for u in scalars {
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if NodeNameRule.isUnsafe(u) {
                    out += "\\u{" + String(u.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// Whether `path` names exactly the file the user meant. Swift strings cannot hold bytes that
    /// are not UTF-8: the command line and the terminal hand such a name over repaired, each bad
    /// byte replaced by U+FFFD, so writing "the same" name would create another file (issue 19:
    /// `-o $'caf\xe9.json'` wrote `caf\xef\xbf\xbd.json`). A name that really holds U+FFFD cannot be
    /// told from a repaired one and is refused too (rare, and the message says to rename).
    public static func isExact(_ path: String) -> Bool {
        !path.unicodeScalars.contains("\u{FFFD}")
    }

    /// The one line for a name `isExact` refuses.
    public static let notExactReason =
        "the name is not valid UTF-8 (or holds U+FFFD); this program cannot use it exactly: choose another name"
}
