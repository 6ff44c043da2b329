/// Where every box, link and bus of a figure goes, in integer units: terminal cells for the
/// explorer, points for SVG (the metrics say which). A series-parallel block needs no general graph
/// layout: columns side by side, stacks of boxes, one bus out of the input, one box for the join
/// (Diagon's merge: one wide box spanning its input columns).
///
/// Coordinates grow right and down, so the input (drawn first in a sequence) ends at the bottom and
/// the join on top, as in the papers. Boxes in one column share its width; shorter columns reach
/// the fan-out bus through a longer link (the paper's figure: every branch ends under the join).
public struct FigureLayout: Sendable {
    public let width: Int
    public let height: Int
    public let boxes: [PlacedBox]
    /// Vertical links, from an upper element's bottom edge down to a lower element's top edge.
    public let links: [FigureLink]
    /// Horizontal fan-out buses.
    public let buses: [FigureBus]

    /// Lays out a sequence drawn bottom to top: `items[0]` at the bottom (the input).
    public init(sequence items: [FigureLayoutItem], detail: FigureDetail, metrics: FigureMetrics, text: FigureText) {
        var engine = Engine(detail: detail, m: metrics, text: text)
        let size = engine.measure(column: items)
        engine.place(column: items, x: 0, y: 0, width: size.w)
        width = size.w
        height = size.h
        boxes = engine.boxes
        links = engine.links
        buses = engine.buses
    }

    /// The figure of one block: "Previous layer" (its shape) at the bottom, the block above it.
    public init(block figure: BlockFigure, detail: FigureDetail, metrics: FigureMetrics, text: FigureText) {
        self.init(
            sequence: [.input(title: text.inputTitle, shape: figure.input), .node(.block(figure.block))],
            detail: detail, metrics: metrics, text: text)
    }

    /// The whole network, or a run of its items (`range`), as one column: the input at the bottom
    /// when the run starts at the first item.
    public init(
        network figure: NetworkFigure, range: Range<Int>? = nil, detail: FigureDetail = .blocks, metrics: FigureMetrics,
        text: FigureText
    ) {
        let r = range ?? figure.items.indices
        var items = r.map { FigureLayoutItem.node(figure.items[$0]) }
        if r.lowerBound == 0 { items.insert(.input(title: "input", shape: figure.input), at: 0) }
        self.init(sequence: items, detail: detail, metrics: metrics, text: text)
    }

    /// The box drawn for `address`, if any.
    public func box(for address: NodeAddress) -> PlacedBox? { boxes.first { $0.address == address } }
}

/// What a column holds: a node of the figure, or the input it starts from.
public enum FigureLayoutItem: Sendable {
    case node(FigureNode)
    case input(title: String, shape: Shape?)
}

/// How much to draw: every layer; one box per branch of the outermost block; blocks as single boxes.
public enum FigureDetail: String, Equatable, Sendable, CaseIterable {
    case layers, branches, blocks
}

/// The sizes of a figure's parts in the renderer's units.
public struct FigureMetrics: Equatable, Sendable {
    /// A layer's box (with its text lines) and the join's box.
    public var boxHeight: Int
    public var joinHeight: Int
    public var columnGap: Int
    /// Between stacked items of a column.
    public var linkGap: Int
    /// Below the columns: holds the fan-out bus, which is `busThickness` thick and ends the block.
    public var busGap: Int
    public var busThickness: Int
    /// Between the join's bottom and the tops of the columns.
    public var joinGap: Int
    /// Added to the widest text line of a box (borders and margins).
    public var padding: Int
    public var minBoxWidth: Int

    public init(
        boxHeight: Int, joinHeight: Int, columnGap: Int, linkGap: Int, busGap: Int, busThickness: Int, joinGap: Int,
        padding: Int, minBoxWidth: Int
    ) {
        self.boxHeight = boxHeight
        self.joinHeight = joinHeight
        self.columnGap = columnGap
        self.linkGap = linkGap
        self.busGap = busGap
        self.busThickness = busThickness
        self.joinGap = joinGap
        self.padding = padding
        self.minBoxWidth = minBoxWidth
    }

    /// Terminal cells: boxes of two text lines inside a border, stacked border to border; the bus
    /// one row under the columns.
    public static let terminal = FigureMetrics(
        boxHeight: 4, joinHeight: 3, columnGap: 1, linkGap: 0, busGap: 1,
        busThickness: 1, joinGap: 0, padding: 4, minBoxWidth: 5)
    /// Terminal cells, one text line per box (when the two-line figure is too tall).
    public static let terminalCompact = FigureMetrics(
        boxHeight: 3, joinHeight: 3, columnGap: 1, linkGap: 0, busGap: 1,
        busThickness: 1, joinGap: 0, padding: 4, minBoxWidth: 5)
}

/// The text of every kind of box, and how wide a line is, in the renderer's units.
public struct FigureText: Sendable {
    public var box: @Sendable (FigureBox) -> [String]
    public var branch: @Sendable (FigureBranch) -> [String]
    /// A block drawn as one box (network column, or nested at `blocks` detail).
    public var block: @Sendable (FigureBlock) -> [String]
    /// The join of a block; `nested` when the block sits inside another block's branch.
    public var join: @Sendable (FigureBlock, _ nested: Bool) -> [String]
    public var input: @Sendable (_ title: String, Shape?) -> [String]
    public var inputTitle: String
    public var measure: @Sendable (String) -> Int

    public init(
        box: @escaping @Sendable (FigureBox) -> [String], branch: @escaping @Sendable (FigureBranch) -> [String],
        block: @escaping @Sendable (FigureBlock) -> [String], join: @escaping @Sendable (FigureBlock, Bool) -> [String],
        input: @escaping @Sendable (String, Shape?) -> [String], inputTitle: String = "Previous layer",
        measure: @escaping @Sendable (String) -> Int
    ) {
        self.box = box
        self.branch = branch
        self.block = block
        self.join = join
        self.input = input
        self.inputTitle = inputTitle
        self.measure = measure
    }
}

public struct FigureRect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var midX: Int { x + width / 2 }
}

/// One drawn box: where, what it is, its lines, and the node it stands for.
public struct PlacedBox: Equatable, Sendable {
    public enum Role: Equatable, Sendable {
        case layer(FigureCategory)
        /// One box for a whole branch (`branches` detail).
        case branch
        /// One box for a whole block (`blocks` detail, the network column).
        case block
        case join(FigureJoin)
        case input
    }

    public var rect: FigureRect
    public var role: Role
    public var lines: [String]
    /// The node the box stands for (a join stands for its block); nil for the input.
    public var address: NodeAddress?
    public var path: String
    public var mark: FigureMark
    public var stats: FigureStats?
}

/// A vertical line at `x` from `top` down to `bottom` (both edges; equal when the two touch).
public struct FigureLink: Equatable, Sendable {
    public var x: Int, top: Int, bottom: Int
}

/// A horizontal fan-out bus at `y` from `x0` to `x1`, and its text (a split's sizes).
public struct FigureBus: Equatable, Sendable {
    public var y: Int, x0: Int, x1: Int
    public var label: String?
}

private struct Engine {
    let detail: FigureDetail
    let m: FigureMetrics
    let text: FigureText
    var boxes: [PlacedBox] = []
    var links: [FigureLink] = []
    var buses: [FigureBus] = []
    /// How deep inside blocks the engine is (0: not in a block).
    var depth = 0

    init(detail: FigureDetail, m: FigureMetrics, text: FigureText) {
        self.detail = detail
        self.m = m
        self.text = text
    }

    func boxWidth(_ lines: [String]) -> Int {
        max(m.minBoxWidth, (lines.map(text.measure).max() ?? 0) + m.padding)
    }

    /// Whether a block is drawn open (columns) at this depth.
    func isOpen(_ block: FigureBlock, depth: Int) -> Bool { detail == .layers || (detail == .branches && depth == 0) }

    // MARK: measuring

    func measure(column items: [FigureLayoutItem]) -> (w: Int, h: Int) {
        measure(column: items, depth: depth)
    }

    func measure(column items: [FigureLayoutItem], depth: Int) -> (w: Int, h: Int) {
        var w = m.minBoxWidth, h = 0
        for item in items {
            let s = measure(item, depth: depth)
            w = max(w, s.w)
            h += s.h
        }
        h += m.linkGap * max(0, items.count - 1)
        return (w, h)
    }

    func measure(_ item: FigureLayoutItem, depth: Int) -> (w: Int, h: Int) {
        switch item {
        case .input(let title, let shape):
            return (boxWidth(text.input(title, shape)), m.joinHeight)
        case .node(.box(let b)):
            return (boxWidth(text.box(b)), m.boxHeight)
        case .node(.block(let b)):
            guard isOpen(b, depth: depth) else { return (boxWidth(text.block(b)), m.boxHeight) }
            let columns = self.columns(b, depth: depth)
            let joinW = boxWidth(text.join(b, depth > 0))
            let colsW = columns.map(\.w).reduce(0, +) + m.columnGap * max(0, columns.count - 1)
            let colsH = columns.map(\.h).max() ?? 0
            return (max(joinW, colsW), m.joinHeight + m.joinGap + colsH + m.busGap)
        }
    }

    /// Each column's size: a branch's items, or its one summary box.
    func columns(_ b: FigureBlock, depth: Int) -> [(w: Int, h: Int)] {
        b.branches.map { branch in
            if detail == .branches && depth == 0 { return (boxWidth(text.branch(branch)), m.boxHeight) }
            if branch.isIdentity { return (m.minBoxWidth, 0) }
            return measure(column: branch.items.map(FigureLayoutItem.node), depth: depth + 1)
        }
    }

    // MARK: placing

    /// Places a column bottom to top inside `width` starting at `x`, its top at `y`; returns the
    /// (top item, bottom item) edges for links from outside.
    mutating func place(column items: [FigureLayoutItem], x: Int, y: Int, width: Int) {
        let d = depth
        let sizes = items.map { measure($0, depth: d) }
        var top = y
        var previousBottom: Int?
        let cx = x + width / 2
        // Top item first: the last of the sequence.
        for (item, size) in zip(items, sizes).reversed() {
            if let pb = previousBottom {
                links.append(FigureLink(x: cx, top: pb, bottom: top))
            }
            place(item, x: x, y: top, width: width, size: size)
            previousBottom = top + size.h
            top += size.h + m.linkGap
        }
    }

    mutating func addBox(
        _ rect: FigureRect, _ role: PlacedBox.Role, _ lines: [String], _ address: NodeAddress?, _ path: String,
        _ mark: FigureMark, _ stats: FigureStats?
    ) {
        boxes.append(
            PlacedBox(rect: rect, role: role, lines: lines, address: address, path: path, mark: mark, stats: stats))
    }

    mutating func place(_ item: FigureLayoutItem, x: Int, y: Int, width: Int, size: (w: Int, h: Int)) {
        switch item {
        case .input(let title, let shape):
            addBox(
                FigureRect(x: x, y: y, width: width, height: size.h), .input, text.input(title, shape), nil, "", .same,
                nil)
        case .node(.box(let b)):
            addBox(
                FigureRect(x: x, y: y, width: width, height: size.h), .layer(b.category), text.box(b), b.address,
                b.path,
                b.mark, b.stats)
        case .node(.block(let b)):
            if isOpen(b, depth: depth) {
                placeOpen(b, x: x, y: y, width: width, height: size.h)
            } else {
                addBox(
                    FigureRect(x: x, y: y, width: width, height: size.h), .block, text.block(b), b.address, b.path,
                    b.mark, b.stats)
            }
        }
    }

    mutating func placeOpen(_ b: FigureBlock, x: Int, y: Int, width: Int, height: Int) {
        let nested = depth > 0
        addBox(
            FigureRect(x: x, y: y, width: width, height: m.joinHeight), .join(b.join), text.join(b, nested), b.address,
            b.path,
            b.mark, b.stats)
        let columns = self.columns(b, depth: depth)
        let colsTop = y + m.joinHeight + m.joinGap
        let busY = y + height - m.busThickness
        // Spread the slack over the columns (the join, or the enclosing column, may be wider).
        let natural = columns.map(\.w).reduce(0, +) + m.columnGap * max(0, columns.count - 1)
        let slack = max(0, width - natural)
        var cx = x
        var centers: [Int] = []
        for (i, (branch, size)) in zip(b.branches, columns).enumerated() {
            let extra = slack / max(1, columns.count) + (i < slack % max(1, columns.count) ? 1 : 0)
            let w = size.w + extra
            let mid = cx + w / 2
            centers.append(mid)
            links.append(FigureLink(x: mid, top: y + m.joinHeight, bottom: colsTop))
            if detail == .branches && depth == 0 {
                addBox(
                    FigureRect(x: cx, y: colsTop, width: w, height: m.boxHeight), .branch, text.branch(branch),
                    branch.address,
                    branch.path, branch.mark, branch.stats)
                links.append(FigureLink(x: mid, top: colsTop + m.boxHeight, bottom: busY))
            } else if branch.isIdentity {
                links.append(FigureLink(x: mid, top: colsTop, bottom: busY))
            } else {
                depth += 1
                place(column: branch.items.map(FigureLayoutItem.node), x: cx, y: colsTop, width: w)
                depth -= 1
                links.append(FigureLink(x: mid, top: colsTop + size.h, bottom: busY))
            }
            cx += w + m.columnGap
        }
        let feed = x + width / 2
        let lo = min(feed, centers.min() ?? feed), hi = max(feed, centers.max() ?? feed)
        buses.append(FigureBus(y: busY, x0: lo, x1: hi, label: b.fanOut.label(ascii: false)))
    }
}
