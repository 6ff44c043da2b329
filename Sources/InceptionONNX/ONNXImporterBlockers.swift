/// What stops an import, said in one line: the first blocker in graph order (ONNX lists nodes
/// topologically), what kind of structure it is, and the others counted by kind —
/// `m.onnx: node "/blocks.1/Add" (Add): <why>; first of 12 blockers in graph order (a residual Add),
/// the others: 10 residual Add, 1 unsupported Sigmoid`.
///
/// The blockers it knows: every node whose op does not map (all found before anything is walked;
/// a model with any is refused for them alone), else every join (Concat, residual Add, or any node
/// of two computed inputs) that does not map (`GraphWalker.findBlockRoots`) and the node the walk
/// stopped at. A walk stops at its first refusal, so refusals of single layers
/// (a Conv's asymmetric pads, say) past it are not counted. The walk goes back from the output, so
/// without this its node was often the last blocker (both timm Xceptions were once refused at their
/// last residual Add).
struct ImportBlockers {
    let graph: ONNXGraph
    /// Refusals that name a node, one per node, in graph order.
    let blockers: [ONNXImportError]

    /// What an op no rule maps says: the op is already in the message's `(Op)`; the long list of
    /// what does map is in README ("What maps"), not here (it held ops refused in context, as an
    /// Add that is not a residual join).
    static let unsupportedMessage = "unsupported op (no layer maps it)"

    init(graph: ONNXGraph, found: [ONNXImportError]) {
        self.graph = graph
        var seen = Set<Int>()
        blockers = found.filter { $0.nodeIndex.map { seen.insert($0).inserted } ?? false }
            .sorted { $0.nodeIndex! < $1.nodeIndex! }
    }

    /// A refusal per node whose op no rule maps (or that is in another domain), in graph order.
    static func unsupportedOps(_ graph: ONNXGraph) -> [ONNXImportError] {
        graph.nodes.indices.compactMap { i in
            let n = graph.nodes[i]
            let defaultDomain = n.domain.isEmpty || n.domain == "ai.onnx"
            guard !defaultDomain || !GraphWalker.supportedOps.contains(n.opType) else { return nil }
            return graph.error(i, (defaultDomain ? "" : "domain \(FileText.quoted(n.domain)): ") + unsupportedMessage)
        }
    }

    /// The kind of structure node `i` is, as the message counts it: a residual Add, a Concat, an
    /// unsupported op, or the layer's op (quoted as file text: op types come from the file).
    func kind(_ e: ONNXImportError) -> String {
        guard let i = e.nodeIndex else { return "other" }
        let n = graph.nodes[i]
        let op = FileText.word(n.opType)
        if e.description.hasSuffix(Self.unsupportedMessage) { return "unsupported " + op }
        let computed = graph.dataInputs(i).count
        if n.opType == "Concat" { return "Concat join" }
        if n.opType == "Add", computed == 2 { return "residual Add" }
        if computed > 1 { return op + " joining \(computed) tensors" }
        return op
    }

    /// The one line: the first blocker in graph order (when the walk's own error names no node,
    /// that error as it is), then the count of all and the others by kind, most frequent first.
    func error(first walkError: ONNXImportError) -> ONNXImportError {
        guard walkError.nodeIndex != nil, let first = blockers.first else { return walkError }
        guard blockers.count > 1 else { return first }
        var counts: [String: Int] = [:], order: [String] = []
        for b in blockers.dropFirst() {
            let k = kind(b)
            if counts[k] == nil { order.append(k) }
            counts[k, default: 0] += 1
        }
        let ranked = order.enumerated().sorted { (counts[$0.1]!, -$0.0) > (counts[$1.1]!, -$1.0) }.map(\.1)
        var others = ranked.prefix(Self.maxKindsShown).map { "\(counts[$0]!) \($0)" }
        if ranked.count > Self.maxKindsShown {
            others.append(
                "\(ranked.dropFirst(Self.maxKindsShown).reduce(0) { $0 + counts[$1]! }) of "
                    + "\(ranked.count - Self.maxKindsShown) more kinds")
        }
        var e = first
        e.description +=
            "; first of \(blockers.count) blockers in graph order (\(article(kind(first)))), the others: "
            + others.joined(separator: ", ")
        return e
    }

    /// The most kinds the line names (a hostile file may hold thousands of made-up op types).
    static let maxKindsShown = 5

    private func article(_ kind: String) -> String {
        (kind.first.map { "aeiouAEIOU".contains($0) } ?? false ? "an " : "a ") + kind
    }
}
