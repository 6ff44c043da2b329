/// One-line descriptions of ops, as the summary table and the tree pane show them:
/// `conv 3x3/1 → 128`, `maxpool 3x3/2 ceil`, `inception (4 branches)`, `residual ×0.17 → relu`.
/// Each leaf op's label lives with its rules (`LeafRules.label`), a block's with its join's
/// (`BlockRules`).
public enum OpLabel {
    public static func text(_ op: Op, ascii: Bool = false) -> String {
        if let leaf = op.leaf { return leaf.label(ascii: ascii) }
        if let block = op.block { return BlockRules.label(block, ascii: ascii) }
        let n = op.auxLayers?.count ?? 0
        return "aux head (\(n) layer\(n == 1 ? "" : "s"))"
    }

    /// At most ~12 columns, for narrow tree panes: `3x3/1 → 128`, `max 3x3/2`, `block ×4`.
    public static func short(_ op: Op, ascii: Bool = false) -> String {
        if let leaf = op.leaf { return leaf.shortLabel(ascii: ascii) }
        if let block = op.block { return BlockRules.shortLabel(block, ascii: ascii) }
        return "aux head"
    }

    /// A branch row: `branch`, `identity` (a sum's empty shortcut), `branch ×0.17` (scaled).
    public static func branch(_ b: Branch, ascii: Bool = false) -> String {
        let base = b.layers.isEmpty ? "identity" : "branch"
        return b.scale == 1 ? base : "\(base) \(ascii ? "x" : "×")\(JSONValue.numberText(b.scale))"
    }

    static func stride(_ s: Pair) -> String { FieldText.stride(s) }
}
