/// The text-column helpers every plain-text report and chart uses (summary, lint, diff, charts,
/// roofline): pad to a column width by characters, drop trailing spaces, swap one character.
/// Widths count `Character`s: the reports' text is ASCII or one-cell symbols.
extension String {
    /// Spaces before the text up to `n` characters (numbers in a right-aligned column).
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }

    /// Spaces after the text up to `n` characters (labels in a left-aligned column).
    func rightPadded(to n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }

    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    func replacingAll(_ a: Character, _ b: Character) -> String { String(map { $0 == a ? b : $0 }) }
}
