import InceptionCore
import TerminalUI

/// The diagram pane's keys: `v` in and out, `z` zoom, `i` the figure on the boxes, arrows between
/// boxes (the selection is the tree's: the panels follow, and every edit key acts on it), Enter on a
/// block of the network column opens its diagram, a click selects a box.
extension Explorer {
    /// `v` from the tree.
    func openDiagram() {
        state.pane = .diagram
        let diagram = currentDiagram()
        state.message = StatusMessage(
            "diagram of \(diagram.subject): arrows move between boxes, z zooms, i changes the figure, "
                + "v goes back to the tree", role: .dim)
    }

    func performDiagram(_ action: DiagramAction) {
        state.message = nil
        switch action {
        case .close:
            state.pane = .tree
            state.tree.reveal(state.selection)
        case .zoom:
            let all = FigureDetail.allCases
            state.diagram.zoom = all[((all.firstIndex(of: state.diagram.zoom) ?? 0) + 1) % all.count]
            let words: String =
                switch state.diagram.zoom {
                case .layers: "every layer"
                case .branches: "one box per branch"
                case .blocks: "the network as a column of blocks (Enter opens one)"
                }
            state.message = StatusMessage("zoom: " + words, role: .dim)
        case .figure:
            state.diagram.metric = state.diagram.metric.next(hasTime: Diagram.hasTimes(state))
            // The last figure before the cycle wraps says how to get the time into it.
            let hint =
                !Diagram.hasTimes(state) && state.diagram.metric == .share
                ? " (after r, i shows the measured time too)" : ""
            state.message = StatusMessage("boxes show \(state.diagram.metric.title)" + hint, role: .dim)
        case .up: moveInDiagram(dx: 0, dy: -1)
        case .down: moveInDiagram(dx: 0, dy: 1)
        case .left: moveInDiagram(dx: -1, dy: 0)
        case .right: moveInDiagram(dx: 1, dy: 0)
        case .pageUp: for _ in 0..<4 { moveInDiagram(dx: 0, dy: -1) }
        case .pageDown: for _ in 0..<4 { moveInDiagram(dx: 0, dy: 1) }
        case .open:
            guard state.diagram.zoom != .layers, FigureBuilder.isBlock(state.selection, in: state.layout) else {
                state.message = StatusMessage(
                    "Enter opens a block's diagram: select a block in the network column (z)", role: .dim)
                return
            }
            state.diagram.zoom = .layers
            state.message = StatusMessage("zoom: every layer of \(state.selectedPath)", role: .dim)
        }
    }

    /// The diagram as the screen draws it now (the same pure function of state and size).
    func currentDiagram() -> Diagram {
        Diagram(state: state, size: viewport.treeBox.inset(by: 1).size, ascii: state.options.ascii)
    }

    /// Moves to the nearest box in a direction: boxes overlapping the selection's span across the
    /// move first (the same column going up or down), then the nearest, then the most aligned.
    func moveInDiagram(dx: Int, dy: Int) {
        let diagram = currentDiagram()
        let boxes = diagram.layout.boxes
        let candidates = boxes.indices.filter { i in
            boxes[i].address != nil && boxes[i].mark != .removed && !diagram.selected.contains(i)
        }
        guard
            let from = diagram.selected.isEmpty
                ? nil : diagram.selected.map({ boxes[$0].rect }).reduce(nil, { union($0, $1) })
        else {
            if let first = candidates.first, let a = boxes[first].address { select(a) }
            return
        }
        typealias Score = (Int, Int, Int)
        var best: (Score, Int)?
        for i in candidates {
            let r = boxes[i].rect
            let gap: Int, overlap: Bool, off: Int
            if dy != 0 {
                gap = dy < 0 ? from.y - r.maxY : r.y - from.maxY
                overlap = r.x < from.maxX && from.x < r.maxX
                off = abs(r.midX - from.midX)
            } else {
                gap = dx < 0 ? from.x - r.maxX : r.x - from.maxX
                overlap = r.y < from.maxY && from.y < r.maxY
                off = abs((r.y + r.maxY) / 2 - (from.y + from.maxY) / 2)
            }
            guard gap >= 0 else { continue }
            let score: Score = (overlap ? 0 : 1, gap, off)
            if best.map({ score < $0.0 }) ?? true { best = (score, i) }
        }
        if let (_, i) = best, let address = boxes[i].address { select(address) }
    }

    private func select(_ address: NodeAddress) {
        state.selection = address
        state.tree.reveal(address)
    }

    private func union(_ a: FigureRect?, _ b: FigureRect) -> FigureRect {
        guard let a else { return b }
        let x = min(a.x, b.x), y = min(a.y, b.y)
        return FigureRect(x: x, y: y, width: max(a.maxX, b.maxX) - x, height: max(a.maxY, b.maxY) - y)
    }

    /// A click in the diagram selects the box under it.
    func clickDiagram(x: Int, y: Int) {
        let inner = viewport.treeBox.inset(by: 1)
        guard inner.contains(Point(x: x, y: y)) else { return }
        let diagram = currentDiagram()
        let fx = x - inner.x + diagram.origin.x, fy = y - inner.y + diagram.origin.y
        if let box = diagram.layout.boxes.first(where: { b in
            b.address != nil && b.mark != .removed && fx >= b.rect.x && fx < b.rect.maxX && fy >= b.rect.y
                && fy < b.rect.maxY
        }), let address = box.address {
            select(address)
        }
    }
}
