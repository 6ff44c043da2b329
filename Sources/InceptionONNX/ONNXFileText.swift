import InceptionCore

/// Text taken from a model file — node names, op types, tensor names, domains, dim params,
/// external-data locations, the producer — as messages and layouts may show it.
///
/// Everything in a model file is untrusted: a node named `gap\n\e[2J` or an op type
/// `Evil\e]0;PWNED\a` printed raw would clear the screen, retitle the terminal and break the
/// "one line" every error promises (issue 19). Every message the importer builds routes file text
/// through here, so each error is one line without control characters (C0, DEL, C1) or bidi
/// overrides, and no name can make it unboundedly long.
enum FileText {
    /// The most characters of one text a message shows; a longer one ends in "…".
    static let maxShown = 120

    /// `text` in double quotes, escaped as `JSONValue.quoted` escapes (`\n`, `\u001B`, `\u202E`,
    /// `\"`; every unsafe scalar by code), at most `maxShown` scalars of it.
    static func quoted(_ text: String) -> String {
        var cut = String.UnicodeScalarView(text.unicodeScalars.prefix(maxShown))
        if !text.unicodeScalars.dropFirst(maxShown).isEmpty { cut.append("…") }
        return JSONValue.quoted(String(cut))
    }

    /// An op type or other token: bare when it is a plain word (ASCII letters, digits, `_`, `.`,
    /// `-`, at most `maxShown` long) as every real op type is, else `quoted`.
    static func word(_ text: String) -> String {
        let plain =
            !text.isEmpty && text.utf8.count <= maxShown
            && text.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: ".")
                    || $0 == UInt8(ascii: "-")
            }
        return plain ? text : quoted(text)
    }

    /// Names as a list for a message: each quoted, the first `limit` shown and the rest counted
    /// (a graph may declare thousands of outputs).
    static func list(_ names: [String], limit: Int = 5) -> String {
        let shown = names.prefix(limit).map(quoted).joined(separator: ", ")
        return names.count > limit ? shown + ", … (\(names.count) in all)" : shown
    }

    /// Text kept in the layout (the producer in its description): unsafe scalars dropped, at most
    /// `limit` characters. A layout's description is shown in the explorer and goes into files,
    /// so a huge or hostile producer name from the model must neither carry escapes nor grow the
    /// layout past what `validate` reads. Only the first 16·`limit` scalars are looked at, so a
    /// gigabyte of NULs costs no more than a short name.
    static func stripped(_ text: String, limit: Int) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for u in text.unicodeScalars.prefix(16 * limit) where !NodeNameRule.isUnsafe(u) {
            guard count < limit else {
                out.append("…")
                break
            }
            out.append(u)
            count += 1
        }
        return String(out)
    }
}
