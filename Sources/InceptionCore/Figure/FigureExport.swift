/// The figure formats of `export -o FIG.svg|FIG.dot [--block PATH]` and the explorer's `e`: one
/// block, or the whole network when no block is named.
public enum FigureExport {
    public struct Options: Equatable, Sendable {
        /// The block's node path; nil draws the network (a column of blocks).
        public var block: String?
        public var theme: FigureSVG.Theme
        public var metric: FigureMetric

        public init(block: String? = nil, theme: FigureSVG.Theme = .light, metric: FigureMetric = .params) {
            self.block = block
            self.theme = theme
            self.metric = metric
        }
    }

    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The text of the figure; `svg` false gives Graphviz source.
    public static func render(
        _ layout: Layout, analysis: Analysis, svg: Bool, options: Options,
        times: [String: Double] = [:]
    ) throws(Failure) -> String {
        guard let path = options.block else {
            let network = FigureBuilder.network(layout: layout, analysis: analysis, times: times)
            return svg
                ? FigureSVG.render(network, metric: options.metric, theme: options.theme)
                : FigureDot.render(network, metric: options.metric)
        }
        guard let address = layout.address(ofPath: path) else {
            let near = layout.closestPaths(to: path).map { "\"\($0)\"" }.joined(separator: ", ")
            throw Failure(
                description: "--block: no node \"\(path)\" in \(layout.name)"
                    + (near.isEmpty ? "" : " (did you mean \(near)?)"))
        }
        guard let figure = FigureBuilder.block(at: address, layout: layout, analysis: analysis, times: times) else {
            throw Failure(
                description:
                    "--block: \"\(path)\" is not a block (name an inception block, e.g. inception_3a or Mixed_7b)")
        }
        return svg
            ? FigureSVG.render(figure, metric: options.metric, theme: options.theme)
            : FigureDot.render(figure, metric: options.metric)
    }
}
