import InceptionCore
import TerminalUI

/// The diagram the left pane shows for a state in a pane of a given size: which figure (the block
/// holding the selection, or the network column), at which detail, scrolled where. A pure function
/// of the state and the size, so the screen draws it and the key handler moves on it without either
/// reading what the other left behind.
///
/// When the block is wider than the pane it falls back, step by step, to shorter labels, tighter
/// boxes, one text line per box, and one box per branch, and says so; it never clips silently.
struct Diagram {
    let layout: FigureLayout
    /// What was drawn (coarser than asked when the block did not fit).
    let detail: FigureDetail
    /// Why less is shown than asked ("one box per branch: the block is wider than the pane"), or nil.
    let note: String?
    /// "inception_3a", or the network's name for the column.
    let subject: String
    /// The boxes that show the selection.
    let selected: [Int]
    /// The figure's cell drawn at the view's top-left corner (scrolled to keep the selection in view).
    let origin: Point
    /// The largest value of the metric over the layer boxes, for the heat colours.
    let heatMax: Double
    let metric: FigureMetric

    /// Rows under the figure for the note and the legend.
    static let footerRows = 2

    init(state: ExplorerState, size: Size, ascii: Bool) {
        let metric = state.diagram.metric
        self.metric = metric
        let times = Self.times(state)
        let layout = state.layout
        let block = state.diagram.zoom == .blocks ? nil : FigureBuilder.enclosingBlock(of: state.selection, in: layout)
        let view = Size(width: size.width, height: max(1, size.height - Self.footerRows))
        var note: String?
        let chosen: (FigureLayout, FigureDetail, Bool)
        if let block,
            let figure = FigureBuilder.block(at: block, layout: layout, analysis: state.analysis, times: times)
        {
            subject = figure.block.path
            let marked = figure.marked(against: Self.loadedFigure(of: figure.block.path, state: state))
            chosen = Self.fit(size: view, from: state.diagram.zoom, ascii: ascii, metric: metric) {
                detail, metrics, text in
                FigureLayout(
                    block: detail == .branches ? marked.withShortBranchNames() : marked, detail: detail,
                    metrics: metrics, text: text)
            }
        } else {
            let network = FigureBuilder.network(layout: layout, analysis: state.analysis, times: times)
            subject = network.network
            if state.diagram.zoom != .blocks {
                note = "\(state.selection.isRoot ? "the network row" : state.selectedPath) is in no block: the network"
            }
            let loaded =
                state.history.isModified
                ? FigureBuilder.network(layout: state.history.original, analysis: state.originalAnalysis) : nil
            let marked = network.marked(against: loaded)
            chosen = Self.fit(size: view, from: .blocks, ascii: ascii, metric: metric) { detail, metrics, text in
                FigureLayout(network: marked, detail: detail, metrics: metrics, text: text)
            }
        }
        self.layout = chosen.0
        detail = chosen.1
        if note == nil, detail != state.diagram.zoom {
            note = "one box per branch: too wide for every layer"
        } else if note == nil, !chosen.2 {
            note = "wider than the pane: scrolled to the selection"
        }
        self.note = note
        selected = Self.selection(state.selection, in: chosen.0)
        heatMax =
            chosen.0.boxes.compactMap { box -> Double? in
                switch box.role {
                case .layer, .branch, .block: break
                case .join, .input: return nil
                }
                guard let s = box.stats, box.mark != .removed else { return nil }
                return metric.value(s)
            }.max() ?? 0
        origin = Self.scroll(chosen.0, selected: selected, view: view)
    }

    /// Tries the candidates from the most detailed down and returns the first that fits the view
    /// (width and height), else the first whose width fits (it scrolls vertically), else the last;
    /// the flag says whether the width fits.
    static func fit(
        size: Size, from zoom: FigureDetail, ascii: Bool, metric: FigureMetric,
        _ make: (FigureDetail, FigureMetrics, FigureText) -> FigureLayout
    ) -> (FigureLayout, FigureDetail, Bool) {
        let details: [FigureDetail] =
            switch zoom {
            case .layers: [.layers, .branches]
            case .branches: [.branches]
            case .blocks: [.blocks]
            }
        var firstWide: (FigureLayout, FigureDetail)?
        var last: (FigureLayout, FigureDetail)?
        for detail in details {
            for (metrics, short, lines) in [
                (FigureMetrics.terminal, false, 2), (tight, false, 2), (.terminal, true, 2),
                (tight, true, 2), (.terminalCompact, true, 1), (tightCompact, true, 1),
            ] {
                let text = FigureText.standard(metric: metric, short: short, ascii: ascii, lines: lines) {
                    TextWidth.of($0)
                }
                let l = make(detail, metrics, text)
                last = (l, detail)
                if l.width <= size.width {
                    if l.height <= size.height { return (l, detail, true) }
                    if firstWide == nil { firstWide = (l, detail) }
                }
            }
        }
        if let firstWide { return (firstWide.0, firstWide.1, true) }
        return (last!.0, last!.1, false)
    }

    /// Boxes without the inner margin: a border and the text.
    static let tight = FigureMetrics(
        boxHeight: 4, joinHeight: 3, columnGap: 1, linkGap: 0, busGap: 1, busThickness: 1,
        joinGap: 0, padding: 2, minBoxWidth: 3)
    static let tightCompact = FigureMetrics(
        boxHeight: 3, joinHeight: 3, columnGap: 1, linkGap: 0, busGap: 1, busThickness: 1,
        joinGap: 0, padding: 2, minBoxWidth: 3)

    /// The boxes showing `selection`: its own box; else the boxes inside it (a branch at every-layer
    /// detail); else the nearest box that holds it (a layer inside a block drawn as one box).
    static func selection(_ selection: NodeAddress, in layout: FigureLayout) -> [Int] {
        let exact = layout.boxes.indices.filter { layout.boxes[$0].address == selection }
        if !exact.isEmpty { return exact }
        let inside = layout.boxes.indices.filter { i in
            guard let a = layout.boxes[i].address, a.steps.count > selection.steps.count else { return false }
            return Array(a.steps.prefix(selection.steps.count)) == selection.steps
        }
        if !inside.isEmpty { return inside }
        var best: Int?
        for i in layout.boxes.indices {
            guard let a = layout.boxes[i].address, a.steps.count < selection.steps.count,
                Array(selection.steps.prefix(a.steps.count)) == a.steps
            else { continue }
            if best.map({ layout.boxes[$0].address!.steps.count < a.steps.count }) ?? true { best = i }
        }
        return best.map { [$0] } ?? []
    }

    /// Centred when it fits; otherwise scrolled so the selection's boxes are in view (the middle of
    /// the view where the figure allows).
    static func scroll(_ layout: FigureLayout, selected: [Int], view: Size) -> Point {
        func axis(_ content: Int, _ room: Int, _ lo: Int?, _ hi: Int?) -> Int {
            guard content > room else { return -((room - content) / 2) }
            guard let lo, let hi else { return 0 }
            let mid = (lo + hi) / 2
            return min(max(0, mid - room / 2), content - room)
        }
        let rects = selected.map { layout.boxes[$0].rect }
        return Point(
            x: axis(layout.width, view.width, rects.map(\.x).min(), rects.map(\.maxX).max()),
            y: axis(layout.height, view.height, rects.map(\.y).min(), rects.map(\.maxY).max()))
    }

    /// Measured medians by path: the network's last run, then the block's (which is newer per
    /// block), each only while the layout it measured is the current one.
    static func times(_ state: ExplorerState) -> [String: Double] {
        var out: [String: Double] = [:]
        let keys = [""] + (state.selectedTopLevel.flatMap { state.layout.path(of: $0) }.map { [$0] } ?? [])
        for key in keys {
            guard let run = state.timings[key], run.layout == state.layout else { continue }
            for layer in run.result.layers ?? [] { out[layer.path] = layer.medianMs }
            for branch in run.result.branches { out[branch.path] = branch.medianMs }
            out[run.result.path] = run.result.medianMs
        }
        return out
    }

    /// Whether a timing of the current layout is there to show (`i` offers the time then).
    static func hasTimes(_ state: ExplorerState) -> Bool { !times(state).isEmpty }

    /// The same block in the layout as loaded, when the layout was edited since (for the marks).
    static func loadedFigure(of path: String, state: ExplorerState) -> BlockFigure? {
        guard state.history.isModified, let address = state.history.original.address(ofPath: path) else { return nil }
        return FigureBuilder.block(at: address, layout: state.history.original, analysis: state.originalAnalysis)
    }
}
