/// How much of a split one part takes. Fixed and percentage parts are served first (in order,
/// each clamped to what is left); `fill` parts share the remainder by weight.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (fewer if the space runs out).
    case fixed(Int)
    /// `p` percent of the whole length, rounded down.
    case percent(Int)
    /// A share of what the fixed and percentage parts leave, proportional to the weight.
    case fill(Int = 1)
}

/// Splits a length into parts, ratatui-style but deliberately small: no solver, no min/max.
public enum Split {
    /// Lengths for each constraint; their sum never exceeds `total` (and equals it when any part
    /// is `fill`). Fill remainders go to the earliest fill parts so the sum is exact.
    public static func lengths(_ constraints: [Constraint], total: Int) -> [Int] {
        let total = max(0, total)
        var result = [Int](repeating: 0, count: constraints.count)
        var remaining = total
        for (i, c) in constraints.enumerated() {
            let want: Int
            switch c {
            case .fixed(let n): want = max(0, n)
            case .percent(let p): want = total * min(max(0, p), 100) / 100
            case .fill: continue
            }
            result[i] = min(want, remaining)
            remaining -= result[i]
        }
        var fills: [(index: Int, weight: Int)] = []
        for (i, c) in constraints.enumerated() {
            if case .fill(let w) = c { fills.append((i, max(0, w))) }
        }
        let weightSum = fills.reduce(0) { $0 + $1.weight }
        guard weightSum > 0 else { return result }
        var given = 0
        for f in fills {
            let share = remaining * f.weight / weightSum
            result[f.index] = share
            given += share
        }
        var extra = remaining - given
        for f in fills where extra > 0 && f.weight > 0 {
            result[f.index] += 1
            extra -= 1
        }
        return result
    }
}

extension Rect {
    /// Splits into columns side by side (left to right).
    public func splitHorizontally(_ constraints: [Constraint]) -> [Rect] {
        var cx = x
        return Split.lengths(constraints, total: width).map { w in
            defer { cx += w }
            return Rect(x: cx, y: y, width: w, height: height)
        }
    }

    /// Splits into rows stacked top to bottom.
    public func splitVertically(_ constraints: [Constraint]) -> [Rect] {
        var cy = y
        return Split.lengths(constraints, total: height).map { h in
            defer { cy += h }
            return Rect(x: x, y: cy, width: width, height: h)
        }
    }
}
