import Foundation

/// The roofline's log-log picture: MACs per byte across, GFLOP/s up, the memory roof as a slope
/// and the compute roof as a flat line, each layer as its table key letter.
extension RooflineChart {
    /// `rows` plot rows plus a title, an axis and its labels; empty when no layer has a rate.
    public func scatter(rows: Int = 10) -> [String] {
        let plotted = points.enumerated().filter {
            $0.element.macsPerByte.isFinite && $0.element.macsPerByte > 0 && $0.element.achievedGFLOPS > 0
        }
        guard !plotted.isEmpty, rows >= 3 else { return [] }
        let margin = 8  // "  224.0 " then the axis
        let cols = max(10, width - margin - 1)
        // x: log10 MAC/B over the layers and the ridge, a factor of 2 of air each side.
        let xs = plotted.map { log10($0.element.macsPerByte) } + [log10(roofline.ridgeMACsPerByte)]
        let x0 = (xs.min() ?? 0) - log10(2.0), x1 = (xs.max() ?? 1) + log10(2.0)
        // y: log10 GFLOP/s from half the slowest layer's rate to 1.5 × the peak (or the fastest layer,
        // when cached data carried one past the peak).
        let ys = plotted.map { log10($0.element.achievedGFLOPS) }
        let top = max(log10(roofline.peakGFLOPS), ys.max() ?? 0)
        let y0 = min(ys.min() ?? 0, log10(roofline.peakGFLOPS)) - log10(2.0)
        let y1 = top + log10(1.5)

        func column(_ x: Double) -> Int {
            Checked.clampedInt(((x - x0) / (x1 - x0) * Double(cols)).rounded(.down), -1...cols)
        }
        func row(_ y: Double) -> Int {
            rows - 1 - Checked.clampedInt(((y - y0) / (y1 - y0) * Double(rows)).rounded(.down), -1...rows)
        }

        var grid = [[Character]](repeating: [Character](repeating: " ", count: cols), count: rows)
        // The roofs, sampled at each column's centre (MAC/B → FLOP/B is × 2).
        for c in 0..<cols {
            let macsPerByte = pow(10, x0 + (Double(c) + 0.5) / Double(cols) * (x1 - x0))
            let flopsPerByte = 2 * macsPerByte
            let r = row(log10(roofline.roof(flopsPerByte: flopsPerByte)))
            guard (0..<rows).contains(r) else { continue }
            let flat = flopsPerByte >= roofline.ridgeFLOPsPerByte
            grid[r][c] = flat ? (ascii ? "-" : "─") : (ascii ? "/" : "╱")
        }
        // The layers, slowest first, so a slower layer keeps its cell when two land on one.
        var taken = Set<Int>()
        for (i, p) in plotted {
            let c = min(cols - 1, max(0, column(log10(p.macsPerByte))))
            let r = min(rows - 1, max(0, row(log10(p.achievedGFLOPS))))
            guard taken.insert(r * cols + c).inserted else { continue }
            grid[r][c] = Character(Self.key(i))
        }

        let axis: Character = ascii ? "|" : "│"
        var out = [
            "log-log: GFLOP/s up, MAC/B across; "
                + (ascii ? "'-' peak, '/' bandwidth roof" : "─ peak, ╱ bandwidth roof")
        ]
        for (r, line) in grid.enumerated() {
            // Label the top and bottom rows with the rate at their centre.
            let value = pow(10, y0 + (Double(rows - r) - 0.5) / Double(rows) * (y1 - y0))
            let label = r == 0 || r == rows - 1 ? Self.rate(value) : ""
            out.append(label.leftPadded(to: margin - 1) + " " + String(axis) + String(line))
        }
        out.append(
            String(repeating: " ", count: margin) + (ascii ? "+" : "└")
                + String(repeating: ascii ? "-" : "─", count: cols))
        let left = Self.ratio(pow(10, x0)), right = Self.ratio(pow(10, x1))
        let middle = "MAC/B (ridge \(Self.ratio(roofline.ridgeMACsPerByte)))"
        let gap = cols + 1 - left.count - right.count
        if gap >= middle.count + 2 {
            let before = (gap - middle.count) / 2
            out.append(
                String(repeating: " ", count: margin) + left + String(repeating: " ", count: before) + middle
                    + String(repeating: " ", count: gap - before - middle.count) + right)
        } else {
            out.append(String(repeating: " ", count: margin) + left + " .. " + right + " MAC/B")
        }
        return out.map { NetworkCharts.cut($0.trimmingTrailingSpaces(), width) }
    }
}
