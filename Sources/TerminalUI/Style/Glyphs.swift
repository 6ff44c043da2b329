/// Every non-letter character the widgets draw, in a UTF-8 set and an ASCII set (htop's tree
/// glyph sets). ASCII is used when the locale is not UTF-8 or the user passes `--ascii`.
public struct Glyphs: Hashable, Sendable {
    public var isUnicode: Bool

    // Box drawing.
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public var horizontal: Character, vertical: Character
    /// Tees where a horizontal rule meets a vertical border: ├ and ┤.
    public var teeLeft: Character, teeRight: Character

    // Tree guides, all of one width within a set (two columns in UTF-8, three in ASCII), and the
    // expand markers, all of one width (one column, three in ASCII).
    public var treeBranch: String, treeLast: String, treeVertical: String, treeBlank: String
    public var expanded: String, collapsed: String, leaf: String

    public var ellipsis: String
    public var errorMark: Character, okMark: Character
    public var arrowUp: String, arrowDown: String, arrowLeft: String, arrowRight: String

    public static let unicode = Glyphs(
        isUnicode: true,
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        horizontal: "─", vertical: "│", teeLeft: "├", teeRight: "┤",
        treeBranch: "├─", treeLast: "└─", treeVertical: "│ ", treeBlank: "  ",
        expanded: "▾", collapsed: "▸", leaf: " ",
        ellipsis: "…", errorMark: "✗", okMark: "✓",
        arrowUp: "↑", arrowDown: "↓", arrowLeft: "←", arrowRight: "→"
    )

    public static let ascii = Glyphs(
        isUnicode: false,
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        horizontal: "-", vertical: "|", teeLeft: "+", teeRight: "+",
        // "|-+ name" and "||-- name" beside the box's "|" ran together (issue 24): the guides end
        // in a space and the markers are bracketed, "|+- [+] inception_3b", "|`-     conv".
        treeBranch: "+- ", treeLast: "`- ", treeVertical: "|  ", treeBlank: "   ",
        expanded: "[-]", collapsed: "[+]", leaf: "   ",
        ellipsis: "...", errorMark: "!", okMark: "*",
        arrowUp: "Up", arrowDown: "Dn", arrowLeft: "Lt", arrowRight: "Rt"
    )

    /// `text` as this set can draw it. Messages come from the core with its typography ("1x1 → 64",
    /// "×0.17", "…"); with the ASCII set (`--ascii`, or a locale that is not UTF-8) each of those
    /// characters becomes its ASCII spelling, so a status line never shows an arrow as mojibake.
    /// Characters without a spelling here pass through (names from a file are already quoted).
    public func fold(_ text: String) -> String {
        guard !isUnicode, !text.allSatisfy(\.isASCII) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text { out += Self.asciiSpelling[ch] ?? String(ch) }
        return out
    }

    static let asciiSpelling: [Character: String] = [
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "×": "x", "…": "...", "—": "-", "–": "-", "−": "-",
        "≤": "<=", "≥": ">=", "≈": "~", "·": "*", "⊕": "+", "✗": "!", "✓": "*", "γ": "gamma", "β": "beta",
    ]

    /// Every glyph in the set, for checks such as "the ASCII set is ASCII".
    public var allGlyphs: String {
        var s = String([topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical, teeLeft, teeRight])
        s += treeBranch + treeLast + treeVertical + treeBlank
        s += expanded + collapsed + leaf + String([errorMark, okMark])
        s += ellipsis
        s += arrowUp + arrowDown + arrowLeft + arrowRight
        return s
    }

    /// UTF-8 glyphs when the locale's character set is UTF-8, judged from the environment the way
    /// setlocale(LC_ALL, "") would: LC_ALL, then LC_CTYPE, then LANG, first non-empty wins.
    public static func forEnvironment(_ env: [String: String], forceASCII: Bool = false) -> Glyphs {
        if forceASCII { return .ascii }
        return localeIsUTF8(env) ? .unicode : .ascii
    }

    public static func localeIsUTF8(_ env: [String: String]) -> Bool {
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = env[key], !v.isEmpty {
                let lower = v.lowercased()
                return lower.contains("utf-8") || lower.contains("utf8")
            }
        }
        return false
    }
}
