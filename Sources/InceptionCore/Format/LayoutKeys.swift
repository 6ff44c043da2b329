/// The keys each object of `inception-layout/1` may hold, in the order the canonical encoder
/// writes them, and the did-you-mean hints for keys and ops that are not among them.
enum LayoutKeys {
    static let root = ["format", "name", "description", "input", "layers"]
    static let input = ["channels", "height", "width"]

    /// Keys of a layer object for `kind`, "op" and "name" first (the op's rules hold them).
    static func layer(_ kind: Op.Kind) -> [String] {
        if let format = kind.leafFormat { return format.keys }
        return kind == .aux ? aux : BlockRules.keys
    }

    private static let aux = ["op", "name", "layers"]

    /// The ops (other than `kind`) that take `key`, for "unknown key "count_pad" for maxpool
    /// (only avgpool takes it)".
    static func opsTaking(_ key: String, besides kind: Op.Kind) -> [Op.Kind] {
        Op.Kind.allCases.filter { $0 != kind && layer($0).contains(key) }
    }

    /// The candidate closest to `word` if it is a likely typo: edit distance at most 2 (at most 1
    /// for words of 3 characters or fewer, where 2 edits would match almost anything). Ties go to
    /// the earlier candidate, so the result is deterministic.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let limit = word.count <= 3 ? 1 : 2
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let d = editDistance(word, candidate, limit: limit)
            if d <= limit, d < best?.distance ?? Int.max { best = (candidate, d) }
        }
        return best?.candidate
    }

    /// " (did you mean "kernel"?)" or "".
    static func hint(for word: String, among candidates: [String]) -> String {
        guard let s = suggestion(for: word, among: candidates) else { return "" }
        return " (did you mean \(JSONValue.quoted(s))?)"
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "kenrel"
    /// is one edit from "kernel"), compared by Unicode scalar. Returns `limit + 1` early when the
    /// lengths alone rule out a match; keys are short, so the quadratic table is tiny.
    static func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return limit == .max ? limit : limit + 1 }
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        let width = y.count + 1
        var d = [Int](repeating: 0, count: (x.count + 1) * width)
        for j in 0...y.count { d[j] = j }
        for i in 1...x.count {
            d[i * width] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var v = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    v = min(v, d[(i - 2) * width + j - 2] + 1)
                }
                d[i * width + j] = v
            }
        }
        return d[x.count * width + y.count]
    }
}
