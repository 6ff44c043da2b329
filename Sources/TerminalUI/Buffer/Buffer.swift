import Foundation

/// A W×H grid of cells that widgets draw into and backends flush: the whole screen as a value.
///
/// Every write clips — to the buffer and to an optional clip rectangle — so no coordinate, size or
/// string can trap, down to 1x1 and 0x0 buffers and rectangles partly or wholly off screen.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the backend should show the hardware cursor (a prompt sets it); nil hides it.
    public var cursor: Point?

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public init(size: Size) {
        self.init(width: size.width, height: size.height)
    }

    public var size: Size { Size(width: width, height: height) }
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y), or nil outside the buffer.
    public func cell(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// The style at (x, y), or nil outside the buffer.
    public func style(x: Int, y: Int) -> Style? { cell(x: x, y: y)?.style }

    /// Writes one cell; ignored outside the buffer. Overwriting either half of a wide character
    /// blanks the other half so no orphan half is ever flushed.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = y * width + x
        if cells[i].isContinuation, x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// Writes `text` starting at (x, y) in one row, clipped to `clip` (default: the whole buffer).
    /// Control characters are shown as "?". Returns the column after the last character (whether
    /// or not it was visible), so callers can continue a line.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        var cx = x
        guard y >= bounds.minY, y < bounds.maxY else { return x + TextWidth.of(text) }
        for raw in text {
            let c = TextWidth.displayable(raw)
            let w = TextWidth.of(c)
            if cx >= bounds.maxX { cx += w; continue }
            if w == 2 {
                // Both halves must be inside the clip; otherwise show a blank for the visible half.
                if cx >= bounds.minX && cx + 1 < bounds.maxX {
                    set(x: cx, y: y, Cell(c, style: style))
                    set(x: cx + 1, y: y, Cell(" ", style: style, isContinuation: true))
                } else {
                    if cx >= bounds.minX { set(x: cx, y: y, Cell(" ", style: style)) }
                    if cx + 1 >= bounds.minX && cx + 1 < bounds.maxX { set(x: cx + 1, y: y, Cell(" ", style: style)) }
                }
            } else if cx >= bounds.minX {
                set(x: cx, y: y, Cell(c, style: style))
            }
            cx += w
        }
        return cx
    }

    /// Fills a rectangle (clipped) with one character.
    public mutating func fill(_ rect: Rect, with symbol: Character = " ", style: Style = .normal) {
        let r = rect.intersection(area)
        let c = TextWidth.displayable(symbol)
        for y in r.minY..<r.maxY {
            for x in r.minX..<r.maxX { set(x: x, y: y, Cell(c, style: style)) }
        }
    }

    /// Blanks a rectangle (default: everything).
    public mutating func clear(_ rect: Rect? = nil) {
        fill(rect ?? area)
    }

    /// Changes the style of every cell in the rectangle (clipped), keeping the characters:
    /// how selection highlights and focus marks are laid over already-drawn rows.
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        let r = rect.intersection(area)
        for y in r.minY..<r.maxY {
            for x in r.minX..<r.maxX { change(&cells[y * width + x].style) }
        }
    }

    /// Copies `other` into this buffer with its top-left corner at `origin` (clipped).
    public mutating func blit(_ other: Buffer, at origin: Point) {
        for y in 0..<other.height {
            for x in 0..<other.width {
                guard let c = other.cell(x: x, y: y) else { continue }
                set(x: origin.x + x, y: origin.y + y, c)
            }
        }
    }
}

// MARK: - Reading a buffer back (tests, snapshots, the tmux-free end-to-end checks)

extension Buffer {
    /// Each row as plain text with trailing spaces trimmed (continuation cells dropped).
    public var lines: [String] {
        (0..<height).map { line($0) }
    }

    /// Row `y` as plain text, trailing spaces trimmed; "" outside the buffer.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width where !cells[y * width + x].isContinuation {
            s.append(cells[y * width + x].symbol)
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// All rows joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// A run of adjacent cells in one row sharing a style.
    public struct StyledRun: Hashable, Sendable {
        public var x: Int
        public var text: String
        public var style: Style
    }

    /// Row `y` split into runs of equal style (continuation cells folded into their character).
    public func styledRuns(row y: Int) -> [StyledRun] {
        guard y >= 0, y < height else { return [] }
        var runs: [StyledRun] = []
        for x in 0..<width {
            let c = cells[y * width + x]
            if c.isContinuation { continue }
            if var last = runs.last, last.style == c.style {
                last.text.append(c.symbol)
                runs[runs.count - 1] = last
            } else {
                runs.append(StyledRun(x: x, text: String(c.symbol), style: c.style))
            }
        }
        return runs
    }

    /// The first position of `needle` in the plain text of the buffer (x counted in cells), or nil.
    public func find(_ needle: String) -> Point? {
        for y in 0..<height {
            var columns: [Int] = []
            var s = ""
            for x in 0..<width where !cells[y * width + x].isContinuation {
                s.append(cells[y * width + x].symbol)
                columns.append(x)
            }
            if let r = s.range(of: needle) {
                let offset = s.distance(from: s.startIndex, to: r.lowerBound)
                return Point(x: columns[offset], y: y)
            }
        }
        return nil
    }
}
