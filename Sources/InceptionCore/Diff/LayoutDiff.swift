/// What changed between two layouts, node by node: nodes are matched by path (the names people see,
/// stable across edits that do not rename), so a renamed node shows as removed + added.
///
/// - added / removed: a node on one side only. A whole added subtree is reported once, at its root
///   (an added block, not its branches and layers too).
/// - changed: a node on both sides whose op text, output shape, params or MACs differ. Only layers
///   that compute something are listed (convs, pools, linear, ...): a block's, branch's or aux head's
///   own figures are the sums of its children, which the per-top-level rows already show. A block
///   whose join changed (a split's sizes, say) is listed by its op alone.
public struct LayoutDiff: Sendable {
    public enum Kind: String, Sendable { case added, removed, changed }

    /// One side of a node: what a report shows about it.
    public struct Side: Equatable, Sendable {
        public var op: String
        public var output: Shape?
        public var params: Int
        public var macs: Int
        public var activationBytes: Int
    }

    public struct Entry: Equatable, Sendable {
        public var kind: Kind
        public var path: String
        public var before: Side?
        public var after: Side?
        /// For changed nodes, which of "op", "output", "params", "macs" differ.
        public var fields: [String]
    }

    /// A top-level layer or block whose figures differ, or that is on one side only.
    public struct TopRow: Equatable, Sendable {
        public var path: String
        /// Nil when the node is on both sides.
        public var kind: Kind?
        public var aux: Bool
        public var delta: Delta
    }

    public let before: Layout
    public let after: Layout
    public let beforeAnalysis: Analysis
    public let afterAnalysis: Analysis
    /// Removed, then added, then changed; each in its side's pre-order.
    public let entries: [Entry]
    /// Top-level rows that differ, in the order of `after` with removed ones where they were.
    public let topLevel: [TopRow]
    /// The inference path's totals (aux heads excluded).
    public let total: Delta

    public var added: [Entry] { entries.filter { $0.kind == .added } }
    public var removed: [Entry] { entries.filter { $0.kind == .removed } }
    public var changed: [Entry] { entries.filter { $0.kind == .changed } }

    public init(before: Layout, after: Layout) {
        self.init(before: before, after: after, beforeAnalysis: Analysis(before), afterAnalysis: Analysis(after))
    }

    /// The diff from analyses the caller already has (the explorer keeps both, per edit).
    /// - Precondition: `beforeAnalysis` is `Analysis(before)` and `afterAnalysis` is `Analysis(after)`.
    public init(before: Layout, after: Layout, beforeAnalysis a: Analysis, afterAnalysis b: Analysis) {
        self.before = before
        self.after = after
        beforeAnalysis = a
        afterAnalysis = b
        let sideA = Self.sides(before, a), sideB = Self.sides(after, b)
        var removed: [Entry] = [], added: [Entry] = [], changed: [Entry] = []
        for n in a.nodes {
            guard let old = sideA[n.path] else { continue }
            if let new = sideB[n.path] {
                if old.composite && new.composite {
                    // A block's own figures are its children's sums, but its join is its own: a
                    // changed join (kind, a sum's activation, a split's sizes) is listed by its op.
                    if let j = before.layer(at: n.address)?.op.block?.join, let there = after.address(ofPath: n.path),
                        let k = after.layer(at: there)?.op.block?.join, j != k
                    {
                        changed.append(
                            Entry(kind: .changed, path: n.path, before: old.side, after: new.side, fields: ["op"]))
                    }
                    continue
                }
                var fields: [String] = []
                if old.side.op != new.side.op { fields.append("op") }
                if old.side.output != new.side.output { fields.append("output") }
                if old.side.params != new.side.params { fields.append("params") }
                if old.side.macs != new.side.macs { fields.append("macs") }
                if !fields.isEmpty {
                    changed.append(
                        Entry(kind: .changed, path: n.path, before: old.side, after: new.side, fields: fields))
                }
            } else if Self.parentPath(n.path).map({ sideB[$0] != nil }) ?? true {
                removed.append(Entry(kind: .removed, path: n.path, before: old.side, after: nil, fields: []))
            }
        }
        for n in b.nodes where sideA[n.path] == nil {
            guard let new = sideB[n.path], Self.parentPath(n.path).map({ sideA[$0] != nil }) ?? true else { continue }
            added.append(Entry(kind: .added, path: n.path, before: nil, after: new.side, fields: []))
        }
        entries = removed + added + changed
        total = Delta(network: a, b)
        topLevel = Self.topRows(a, b)
    }

    static func parentPath(_ path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// Every node's side by path, and whether it is composite (block, branch, aux head).
    static func sides(_ layout: Layout, _ analysis: Analysis) -> [String: (side: Side, composite: Bool)] {
        var out: [String: (Side, Bool)] = [:]
        out.reserveCapacity(analysis.nodes.count)
        for s in analysis.nodes {
            let op: String, composite: Bool
            if s.isBranch {
                op = "branch"
                composite = true
            } else if let layer = layout.layer(at: s.address) {
                op = OpLabel.text(layer.op, ascii: true)
                composite = layer.op.isComposite
            } else {
                continue
            }
            out[s.path] = (
                Side(op: op, output: s.output, params: s.params, macs: s.macs, activationBytes: s.activationBytes),
                composite
            )
        }
        return out.mapValues { (side: $0.0, composite: $0.1) }
    }

    static func topRows(_ a: Analysis, _ b: Analysis) -> [TopRow] {
        let topA = a.nodes.filter { $0.depth == 0 }, topB = b.nodes.filter { $0.depth == 0 }
        let byPathA = Dictionary(topA.map { ($0.path, $0) }, uniquingKeysWith: { x, _ in x })
        let pathsB = Set(topB.map(\.path))
        // Merge: walk `b`, and before each node emit the removed nodes of `a` that preceded its match.
        var rows: [TopRow] = []
        var nextA = 0
        func emitRemoved(upTo end: Int) {
            while nextA < end {
                let s = topA[nextA]
                if !pathsB.contains(s.path) {
                    rows.append(TopRow(path: s.path, kind: .removed, aux: s.aux, delta: Self.delta(s, nil)))
                }
                nextA += 1
            }
        }
        let indexA = Dictionary(topA.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { x, _ in x })
        for (j, s) in topB.enumerated() {
            if byPathA[s.path] == nil {
                // Removed nodes that come before the next common node go first.
                let anchor = topB[j...].lazy.compactMap { indexA[$0.path] }.first ?? topA.count
                emitRemoved(upTo: anchor)
            }
            if let old = byPathA[s.path] {
                if let i = indexA[s.path], i >= nextA { emitRemoved(upTo: i); nextA = i + 1 }
                let d = Self.delta(old, s)
                if !d.isZero { rows.append(TopRow(path: s.path, kind: nil, aux: s.aux, delta: d)) }
            } else {
                rows.append(TopRow(path: s.path, kind: .added, aux: s.aux, delta: Self.delta(nil, s)))
            }
        }
        emitRemoved(upTo: topA.count)
        return rows
    }

    static func delta(_ a: NodeStats?, _ b: NodeStats?) -> Delta { Delta(before: Totals(a), after: Totals(b)) }
}
