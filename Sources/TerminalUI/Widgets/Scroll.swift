/// Scroll offsets, the one pure function behind every list, table and tree.
public enum Scroll {
    /// The first visible row so that `selected` stays visible with `margin` rows of context above
    /// and below (where the list allows), moving as little as possible from `current`. Always in
    /// `0...max(0, count - visible)`.
    public static func offset(selected: Int?, current: Int, visible: Int, count: Int, margin: Int = 0) -> Int {
        guard visible > 0, count > 0 else { return 0 }
        let maxOffset = max(0, count - visible)
        var o = min(max(0, current), maxOffset)
        if let s = selected.map({ min(max(0, $0), count - 1) }) {
            let m = min(max(0, margin), (visible - 1) / 2)
            if s - m < o { o = s - m }
            if s + m > o + visible - 1 { o = s + m - visible + 1 }
        }
        return min(max(0, o), maxOffset)
    }
}
