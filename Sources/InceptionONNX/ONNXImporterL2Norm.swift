import InceptionCore

/// The exporter's `F.normalize(x, p=2, dim=1, eps)` (facenet-pytorch's embedding) → an `l2norm` layer:
///
///     ReduceL2(x, axes [1], keepdims 1) → Clip(min eps) → [Expand(·, Shape(x))] → Div(x, ·)
///
/// (the classic exporter writes the Expand; our own export leaves it to Div's broadcast), and
/// `LpNormalization(p 2, axis 1)`, which has no floor (eps 0). Div is the one node with two computed
/// inputs that is no join: `match` recognises it whole, so the walk steps from the Div straight back
/// to x and converts the chain as one layer.
struct L2NormChain {
    /// Every node of the chain, the Div first (its scope names the layer).
    var nodes: [Int]
    /// The normalised tensor.
    var data: String
    var epsilon: Double

    /// The chain that ends at Div node `div`, nil when it is another Div (refused as today).
    static func match(_ div: Int, in graph: ONNXGraph) throws(ONNXImportError) -> L2NormChain? {
        let d = graph.nodes[div]
        guard d.opType == "Div", d.input.count == 2, graph.dataInputs(div).count == 2 else { return nil }
        let x = d.input[0]
        var nodes = [div]
        var t = d.input[1]
        guard var p = graph.producer[t] else { return nil }
        if graph.nodes[p].opType == "Expand" {
            // Expand(norm, Shape(x)): a broadcast Div does the same.
            let e = graph.nodes[p]
            guard e.input.count == 2, let s = graph.producer[e.input[1]], graph.nodes[s].opType == "Shape",
                graph.nodes[s].input.first == x
            else { return nil }
            nodes += [p, s]
            t = e.input[0]
            guard let q = graph.producer[t] else { return nil }
            p = q
        }
        var epsilon = 0.0
        if graph.nodes[p].opType == "Clip" {
            let c = graph.nodes[p]
            guard graph.dataInputs(p).count == 1, c.input.count >= 2 else { return nil }
            guard c.input.count < 3 || c.input[2].isEmpty else {
                throw graph.error(p, "clips the L2 norm from above; only a floor (F.normalize's eps) maps")
            }
            guard let floor = try graph.scalar(c.input[1], node: p, what: "min") else { return nil }
            guard floor.isFinite, floor >= 0, floor < 1 else {
                throw graph.error(p, "L2 norm floor \(floor) is not in [0, 1)")
            }
            epsilon = floor.shortestDouble
            nodes.append(p)
            t = c.input[0]
            guard let q = graph.producer[t] else { return nil }
            p = q
        }
        let r = graph.nodes[p]
        guard r.opType == "ReduceL2", r.input.first == x else { return nil }
        let axes =
            r.input.count > 1 && !r.input[1].isEmpty
            ? try graph.int64s(r.input[1], node: p, what: "axes") : try graph.ints(p, "axes") ?? []
        guard axes.count == 1, axes[0] == 1 || axes[0] == -1 || axes[0] == -3 else {
            throw graph.error(p, "an L2 norm over axes \(axes) does not map (only over the channels, axis 1)")
        }
        guard try graph.int(p, "keepdims", default: 1) == 1 else { return nil }
        nodes.append(p)
        return L2NormChain(nodes: nodes, data: x, epsilon: epsilon)
    }
}
