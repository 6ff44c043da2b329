/// A column of a table or tree: its header, width and alignment.
public struct Column: Hashable, Sendable {
    public enum Width: Hashable, Sendable {
        /// Exactly n cells (less when the area is too narrow).
        case fixed(Int)
        /// What the fixed columns leave (shared equally among fill columns).
        case fill
    }

    public var title: String
    public var width: Width
    public var alignment: Alignment

    public init(_ title: String = "", width: Width, alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }

    /// Cell widths for `columns` in `total` cells with `gap` blank cells between columns. Fixed
    /// columns are served left to right while room lasts, fill columns get the rest; the sum of
    /// widths plus gaps never exceeds `total`.
    public static func widths(_ columns: [Column], total: Int, gap: Int = 1) -> [Int] {
        guard !columns.isEmpty else { return [] }
        let usable = max(0, total - gap * (columns.count - 1))
        let constraints: [Constraint] = columns.map {
            switch $0.width {
            case .fixed(let n): .fixed(n)
            case .fill: .fill(1)
            }
        }
        // Without a fill column, room left after the fixed ones stays blank on the right.
        return Split.lengths(constraints, total: usable)
    }
}

extension Buffer {
    /// Writes one row of cells into the given column widths, separated by `gap` spaces.
    mutating func putColumns(
        _ cells: [Span], columns: [Column], widths: [Int], x: Int, y: Int, gap: Int,
        clip: Rect, ellipsis: String
    ) {
        var cx = x
        for (i, col) in columns.enumerated() where i < widths.count {
            let w = widths[i]
            if w > 0, i < cells.count {
                let text = TextWidth.fit(cells[i].text, width: w, alignment: col.alignment, ellipsis: ellipsis)
                put(
                    text, x: cx, y: y, style: cells[i].style,
                    clip: Rect(x: cx, y: y, width: w, height: 1).intersection(clip))
            }
            cx += w + gap
        }
    }
}
