/// A figure as Graphviz source: the same structure as the SVG, laid out by `dot` instead
/// (bottom to top, one cluster per block, nested blocks nested clusters, a node for each join).
public enum FigureDot {
    /// One block, its input below it.
    public static func render(_ figure: BlockFigure, metric: FigureMetric = .params) -> String {
        var w = Writer(metric: metric)
        let input = w.node("Previous layer\n\(figure.input?.description ?? "?")", shape: "box", fill: "#f4f4f4")
        _ = w.block(figure.block, from: [input], indent: "  ")
        return w.document(title: "\(figure.network) · \(figure.block.path)")
    }

    /// The whole network: every layer, each block a cluster.
    public static func render(_ figure: NetworkFigure, metric: FigureMetric = .params) -> String {
        var w = Writer(metric: metric)
        var tails = [w.node("input\n\(figure.input)", shape: "box", fill: "#f4f4f4")]
        for item in figure.items { tails = w.item(item, from: tails, indent: "  ") }
        return w.document(title: figure.network)
    }

    struct Writer {
        let metric: FigureMetric
        var body = ""
        var count = 0

        init(metric: FigureMetric) { self.metric = metric }

        static func quote(_ s: String) -> String {
            var out = "\""
            for c in s {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: out.append(c)
                }
            }
            return out + "\""
        }

        mutating func node(_ label: String, shape: String, fill: String, indent: String = "  ") -> String {
            count += 1
            let id = "n\(count)"
            body +=
                "\(indent)\(id) [label=\(Self.quote(label)), shape=\(shape), style=\"filled\", fillcolor=\"\(fill)\"];\n"
            return id
        }

        mutating func edges(_ from: [String], to id: String, indent: String) {
            for f in from { body += "\(indent)\(f) -> \(id);\n" }
        }

        /// Draws an item fed by `from`; returns the ids its successor is fed by.
        mutating func item(_ node: FigureNode, from: [String], indent: String) -> [String] {
            switch node {
            case .box(let b):
                let fill =
                    switch b.category {
                    case .conv: "#b9d3ee"
                    case .reduction: "#ffffff"
                    case .pool: "#c6e5bd"
                    case .norm: "#e4d5ef"
                    case .linear: "#f5d5ad"
                    case .other: "#ececec"
                    }
                let id = self.node("\(b.label)\n\(metric.text(b.stats))", shape: "box", fill: fill, indent: indent)
                edges(from, to: id, indent: indent)
                return [id]
            case .block(let b):
                return [block(b, from: from, indent: indent)]
            }
        }

        mutating func block(_ b: FigureBlock, from: [String], indent: String) -> String {
            count += 1
            body += "\(indent)subgraph cluster_\(count) {\n\(indent)  label=\(Self.quote(b.path));\n"
            var ends: [String] = []
            for branch in b.branches {
                var tails = from
                for item in branch.items { tails = self.item(item, from: tails, indent: indent + "  ") }
                ends += tails
            }
            let join = node(
                "\(b.join.label(short: false, ascii: false))\n\(b.stats.output?.description ?? "?")", shape: "box",
                fill: "#fbefcc", indent: indent + "  ")
            body += "\(indent)}\n"
            edges(ends, to: join, indent: indent)
            return join
        }

        func document(title: String) -> String {
            "digraph figure {\n  label=\(Self.quote(title));\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=11];\n"
                + body + "}\n"
        }
    }
}
