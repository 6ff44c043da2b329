/// One-line descriptions of ops, as the summary table and the tree pane show them:
/// `conv 3x3/1 → 128`, `maxpool 3x3/2 ceil`, `inception (4 branches)`.
public enum OpLabel {
    public static func text(_ op: Op, ascii: Bool = false) -> String {
        let arrow = ascii ? "->" : "→"
        switch op {
        case .conv(let c):
            var s = "conv \(c.kernel)/\(stride(c.stride)) \(arrow) \(c.out)"
            if c.batchnorm { s += " bn" }
            if c.activation == .none { s += " linear" }
            return s
        case .maxpool(let p): return pool("maxpool", p, avg: false)
        case .avgpool(let p): return pool("avgpool", p, avg: true)
        case .globalavgpool: return "globalavgpool"
        case .lrn(let l): return "lrn \(l.size)"
        case .dropout(let rate): return "dropout \(NumberFormat.fixed(rate, decimals: 2))"
        case .softmax: return "softmax"
        case .linear(let l): return "linear \(arrow) \(l.out)" + (l.activation == .relu ? " relu" : "")
        case .inception(let b): return "inception (\(b.count) branch\(b.count == 1 ? "" : "es"))"
        case .aux(let l): return "aux head (\(l.count) layer\(l.count == 1 ? "" : "s"))"
        }
    }

    /// At most ~12 columns, for narrow tree panes: `3x3/1 → 128`, `max 3x3/2`, `4 branches`
    /// (not "block ×4", which reads as a block repeated 4 times). ASCII keeps "->" whole.
    public static func short(_ op: Op, ascii: Bool = false) -> String {
        let arrow = ascii ? "->" : "→"
        switch op {
        case .conv(let c): return "\(c.kernel)/\(stride(c.stride)) \(arrow) \(c.out)"
        case .maxpool(let p): return "max \(p.kernel)/\(stride(p.stride))"
        case .avgpool(let p): return "avg \(p.kernel)/\(stride(p.stride))"
        case .globalavgpool: return "global avg"
        case .lrn: return "lrn"
        case .dropout(let rate): return "drop \(NumberFormat.fixed(rate, decimals: 2))"
        case .softmax: return "softmax"
        case .linear(let l): return "fc \(arrow) \(l.out)"
        case .inception(let b): return "\(b.count) branch\(b.count == 1 ? "" : "es")"
        case .aux: return "aux head"
        }
    }

    static func stride(_ s: Pair) -> String { s.isSquare ? "\(s.h)" : "\(s.h)x\(s.w)" }

    static func pool(_ name: String, _ p: Pool, avg: Bool) -> String {
        var s = "\(name) \(p.kernel)/\(stride(p.stride))"
        if p.pad != Pair(0, 0) { s += " pad \(p.pad.isSquare ? "\(p.pad.h)" : "\(p.pad)")" }
        if p.ceil { s += " ceil" }
        if avg && !p.countPad { s += " excl-pad" }
        return s
    }
}
