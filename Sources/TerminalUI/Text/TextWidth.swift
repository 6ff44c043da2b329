/// Display widths, kept simple but safe: every `Character` is one column except the common
/// East-Asian wide and emoji ranges (two columns). Control characters are never written to a
/// buffer (`displayable` turns them into "?"), so they need no width.
public enum TextWidth {
    /// Columns the character occupies: 1 or 2.
    public static func of(_ c: Character) -> Int {
        guard let v = c.unicodeScalars.first?.value else { return 1 }
        return isWide(v) ? 2 : 1
    }

    /// Columns the string occupies.
    public static func of(_ s: some StringProtocol) -> Int {
        s.reduce(0) { $0 + of($1) }
    }

    /// The character to store for `c`: controls (C0, DEL, C1) become "?", tab becomes a space, so
    /// nothing written into a buffer can move the terminal's cursor.
    public static func displayable(_ c: Character) -> Character {
        if c == "\t" { return " " }
        guard let v = c.unicodeScalars.first?.value else { return "?" }
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return "?" }
        return c
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The longest prefix of `s` that fits in `width` columns.
    public static func prefix(_ s: String, fitting width: Int) -> String {
        var used = 0
        var out = ""
        for c in s {
            let w = of(c)
            if used + w > width { break }
            used += w
            out.append(c)
        }
        return out
    }

    /// The longest suffix of `s` that fits in `width` columns.
    public static func suffix(_ s: String, fitting width: Int) -> String {
        var used = 0
        var out: [Character] = []
        for c in s.reversed() {
            let w = of(c)
            if used + w > width { break }
            used += w
            out.append(c)
        }
        return String(out.reversed())
    }
}

/// Where text is cut when it does not fit.
public enum Truncation: Hashable, Sendable {
    /// "Inception 3…" — keep the start (names, messages).
    case tail
    /// "…ception 3b" — keep the end (paths).
    case head
    /// "Incep…on 3b" — keep both ends.
    case middle
}

/// Horizontal placement inside a width.
public enum Alignment: Hashable, Sendable {
    case left, center, right
}

extension TextWidth {
    /// `s` cut to at most `width` columns, with `ellipsis` marking the cut. When even the ellipsis
    /// does not fit, the plain prefix is returned (a width of 0 gives "").
    public static func truncate(_ s: String, to width: Int, ellipsis: String, mode: Truncation = .tail) -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        let ew = of(ellipsis)
        guard ew < width else { return prefix(s, fitting: width) }
        let room = width - ew
        switch mode {
        case .tail: return prefix(s, fitting: room) + ellipsis
        case .head: return ellipsis + suffix(s, fitting: room)
        case .middle:
            let left = prefix(s, fitting: (room + 1) / 2)
            return left + ellipsis + suffix(s, fitting: room - of(left))
        }
    }

    /// `s` truncated and padded with spaces to exactly `width` columns, placed by `alignment`.
    public static func fit(
        _ s: String, width: Int, alignment: Alignment = .left, ellipsis: String,
        truncation: Truncation = .tail
    ) -> String {
        guard width > 0 else { return "" }
        let t = truncate(s, to: width, ellipsis: ellipsis, mode: truncation)
        let pad = max(0, width - of(t))
        switch alignment {
        case .left: return t + String(repeating: " ", count: pad)
        case .right: return String(repeating: " ", count: pad) + t
        case .center:
            let l = pad / 2
            return String(repeating: " ", count: l) + t + String(repeating: " ", count: pad - l)
        }
    }

    /// Greedy word wrap to `width` columns; words longer than a line are broken. Newlines in `s`
    /// start new lines. Always returns at least one line.
    public static func wrap(_ s: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        var lines: [String] = []
        for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = String(word)
                let sep = line.isEmpty ? 0 : 1
                if of(line) + sep + of(word) <= width {
                    line += (line.isEmpty ? "" : " ") + word
                    continue
                }
                if !line.isEmpty { lines.append(line); line = "" }
                while of(word) > width {
                    let head = prefix(word, fitting: width)
                    let cut = head.isEmpty ? String(word.prefix(1)) : head
                    lines.append(cut)
                    word.removeFirst(cut.count)
                }
                line = word
            }
            lines.append(line)
        }
        return lines
    }
}
