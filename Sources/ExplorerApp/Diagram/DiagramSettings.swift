import InceptionCore

/// What the left pane shows: the tree, or the diagram of the block that holds the selection (`v`).
public enum LeftPane: Equatable, Sendable {
    case tree, diagram
}

/// How the diagram is drawn: its zoom (`z`) and the figure on each box's second line (`i`).
public struct DiagramSettings: Equatable, Sendable {
    /// Every layer; one box per branch; the whole network as a column of blocks.
    public var zoom: FigureDetail = .layers
    public var metric: FigureMetric = .params

    public init(zoom: FigureDetail = .layers, metric: FigureMetric = .params) {
        self.zoom = zoom
        self.metric = metric
    }
}

/// The keys of the diagram pane, checked before the normal table while the diagram shows: the
/// arrows move between boxes; every other key (edits, run, files) does what it does in the tree.
public enum DiagramAction: Equatable, Sendable {
    case up, down, left, right
    case pageUp, pageDown
    /// `v`: back to the tree, with the same selection.
    case close
    /// `z`: the next zoom level.
    case zoom
    /// `i`: the next figure on the boxes.
    case figure
    /// Enter: on a block's box (network column), open its diagram.
    case open
}
