/// A figure as a standalone SVG for papers and slides: text as `<text>`, every colour and stroke an
/// inline attribute (no `<style>`, no external references), so it renders the same in rsvg-convert,
/// Inkscape, LibreOffice and browsers (Netron #144: its CSS-styled SVG drew black boxes elsewhere).
///
/// The look follows the papers' figures as d2l's `inception.svg` measures them: main ops filled,
/// 1x1 reductions white, the input and the concatenation a lighter tint, arrows pointing up.
public enum FigureSVG {
    public enum Theme: String, Sendable, CaseIterable {
        case light, gray
    }

    /// Points: two text lines per box on a 48 pt row pitch; the bus sits on the block's bottom edge.
    public static let metrics = FigureMetrics(
        boxHeight: 34, joinHeight: 24, columnGap: 14, linkGap: 14, busGap: 16,
        busThickness: 0, joinGap: 14, padding: 18, minBoxWidth: 44)
    static let margin = 16
    static let titleHeight = 22
    static let footerHeight = 20
    static let labelSize = 11.0
    static let figureSize = 9.5

    /// The SVG of one block: "Previous layer" at the bottom, the block above it.
    public static func render(_ figure: BlockFigure, metric: FigureMetric = .params, theme: Theme = .light) -> String {
        let layout = FigureLayout(block: figure, detail: .layers, metrics: metrics, text: text(metric))
        return document(
            title: "\(figure.network) · \(figure.block.path)", metric: metric, theme: theme,
            parts: [(layout, 0)], width: layout.width, height: layout.height, connectors: [])
    }

    /// The SVG of the whole network: a column of blocks (each one box), wrapped into several
    /// columns when it is long, each continuing into the next at its top.
    public static func render(
        _ figure: NetworkFigure, metric: FigureMetric = .params, theme: Theme = .light,
        perColumn: Int = 8
    ) -> String {
        let n = figure.items.count
        let columns = max(1, (n + max(1, perColumn) - 1) / max(1, perColumn))
        let per = max(1, (n + columns - 1) / columns)
        var parts: [(FigureLayout, Int)] = []
        var x = 0
        for start in stride(from: 0, to: n, by: per) {
            let l = FigureLayout(
                network: figure, range: start..<min(n, start + per), detail: .blocks, metrics: metrics,
                text: text(metric))
            parts.append((l, x))
            x += l.width + 3 * metrics.columnGap
        }
        let width = max(0, x - 3 * metrics.columnGap)
        let height = (parts.map(\.0.height).max() ?? 0)
        return document(
            title: "\(figure.network) · \(NumberFormat.grouped(figure.stats.params)) params · "
                + "\(NumberFormat.grouped(figure.stats.macs)) MACs", metric: metric, theme: theme,
            parts: parts, width: width, height: height, connectors: Array(parts.indices.dropLast()))
    }

    static func text(_ metric: FigureMetric) -> FigureText {
        FigureText.standard(metric: metric, short: false, ascii: false) { textWidth($0, size: labelSize) }
    }

    /// An estimate of a line's width in points at `size`, from DejaVu Sans-like advances (the font
    /// rsvg-convert falls back to on Linux, wider than Helvetica), so boxes hold their text.
    public static func textWidth(_ s: String, size: Double) -> Int {
        var em = 0.0
        for c in s {
            if c == " " {
                em += 0.32
            } else if c.isNumber {
                em += 0.64
            } else if c.isUppercase {
                em += 0.72
            } else if c.isLowercase {
                em += 0.6
            } else {
                em += 0.5
            }
        }
        return Int((em * size).rounded(.up))
    }

    struct Palette {
        var fill: String, stroke: String
    }

    static func palette(_ role: PlacedBox.Role, theme: Theme) -> Palette {
        let light: Palette =
            switch role {
            case .layer(.conv): Palette(fill: "#b9d3ee", stroke: "#35608f")
            case .layer(.reduction): Palette(fill: "#ffffff", stroke: "#35608f")
            case .layer(.pool): Palette(fill: "#c6e5bd", stroke: "#457f38")
            case .layer(.norm): Palette(fill: "#e4d5ef", stroke: "#72558c")
            case .layer(.linear): Palette(fill: "#f5d5ad", stroke: "#a8692c")
            case .layer(.other): Palette(fill: "#ececec", stroke: "#6f6f6f")
            case .branch, .block: Palette(fill: "#d6e4f3", stroke: "#35608f")
            case .join: Palette(fill: "#fbefcc", stroke: "#9c7b25")
            case .input: Palette(fill: "#f4f4f4", stroke: "#6f6f6f")
            }
        guard theme == .gray else { return light }
        return Palette(fill: gray(light.fill), stroke: gray(light.stroke))
    }

    /// A colour's luminance as a gray, lightened so filled boxes keep black text readable.
    static func gray(_ hex: String) -> String {
        let v = Array(hex.utf8.dropFirst())
        func byte(_ i: Int) -> Double {
            func d(_ c: UInt8) -> Int { c >= 97 ? Int(c) - 87 : c >= 65 ? Int(c) - 55 : Int(c) - 48 }
            return Double(d(v[i]) * 16 + d(v[i + 1]))
        }
        let y = 0.2126 * byte(0) + 0.7152 * byte(2) + 0.0722 * byte(4)
        let g = min(255, Int(y.rounded()))
        let h = String(g, radix: 16)
        let two = h.count == 1 ? "0" + h : h
        return "#" + two + two + two
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func document(
        title: String, metric: FigureMetric, theme: Theme, parts: [(FigureLayout, Int)], width: Int, height: Int,
        connectors: [Int]
    ) -> String {
        // Room for the dashed connectors between columns, above and below them.
        let slack = connectors.isEmpty ? 0 : metrics.linkGap
        // A narrow block (a two-column residual) is narrower than its title or the footer line:
        // widen the page so they are not cut off at its right edge.
        let footer = "second line: \(metric.title); MACs as fvcore counts them (conv and linear, no bias)"
        let w = max(width, textWidth(footer, size: 9), textWidth(title, size: 12.5)) + 2 * margin
        let h = height + 2 * margin + titleHeight + footerHeight + 2 * slack
        let ink = "#222222", line = theme == .gray ? "#444444" : "#4a4a4a"
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
            font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
            <rect x="0" y="0" width="\(w)" height="\(h)" fill="#ffffff"/>
            <text x="\(margin)" y="\(margin + 12)" font-size="12" font-weight="bold" fill="\(ink)">\(escape(title))</text>

            """
        let top = margin + titleHeight + slack
        for (layout, dx) in parts {
            let ox = margin + dx, oy = top + (height - layout.height)
            let bottoms = Set(layout.boxes.map { "\($0.rect.maxY)" })
            for link in layout.links {
                let x = ox + link.x
                s +=
                    "<line x1=\"\(x)\" y1=\"\(oy + link.top)\" x2=\"\(x)\" y2=\"\(oy + link.bottom)\" stroke=\"\(line)\" stroke-width=\"1.2\"/>\n"
                // Data flows up: an arrowhead where a link enters a box from below.
                if bottoms.contains("\(link.top)"), link.bottom > link.top {
                    let y = oy + link.top
                    s += "<path d=\"M \(x) \(y) L \(x - 4) \(y + 7) L \(x + 4) \(y + 7) Z\" fill=\"\(line)\"/>\n"
                }
            }
            for bus in layout.buses where bus.x1 > bus.x0 {
                s +=
                    "<line x1=\"\(ox + bus.x0)\" y1=\"\(oy + bus.y)\" x2=\"\(ox + bus.x1)\" y2=\"\(oy + bus.y)\" stroke=\"\(line)\" stroke-width=\"1.2\"/>\n"
                if let label = bus.label {
                    s +=
                        "<text x=\"\(ox + bus.x1 + 4)\" y=\"\(oy + bus.y + 4)\" font-size=\"9\" fill=\"\(ink)\">\(escape(label))</text>\n"
                }
            }
            for box in layout.boxes { s += self.box(box, ox: ox, oy: oy, theme: theme, ink: ink) }
        }
        // Columns of a long network continue into the next: from a column's top to the next one's bottom.
        for i in connectors {
            let (a, ax) = parts[i], (b, bx) = parts[i + 1]
            let x1 = margin + ax + a.width / 2, y1 = top + (height - a.height)
            let x2 = margin + bx + b.width / 2, y2 = top + height + metrics.linkGap
            let mid = margin + ax + a.width + (bx - ax - a.width) / 2
            s +=
                "<path d=\"M \(x1) \(y1) L \(x1) \(y1 - 8) L \(mid) \(y1 - 8) L \(mid) \(y2) L \(x2) \(y2) L \(x2) \(y2 - metrics.linkGap)\" "
                + "fill=\"none\" stroke=\"\(line)\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n"
        }
        s += "<text x=\"\(margin)\" y=\"\(h - margin + 4)\" font-size=\"9\" fill=\"#555555\">\(escape(footer))</text>\n"
        s += "</svg>\n"
        return s
    }

    static func box(_ box: PlacedBox, ox: Int, oy: Int, theme: Theme, ink: String) -> String {
        var p = palette(box.role, theme: theme)
        var extra = ""
        var width = "1.2"
        switch box.mark {
        case .same: break
        case .changed: p.stroke = theme == .gray ? "#000000" : "#d07000"; width = "2.2"
        case .added: p.stroke = theme == .gray ? "#000000" : "#2e8b57"; width = "2.2"
        case .removed: extra = " stroke-dasharray=\"4 3\" fill-opacity=\"0.35\""
        }
        let r = box.rect
        var s =
            "<rect x=\"\(ox + r.x)\" y=\"\(oy + r.y)\" width=\"\(r.width)\" height=\"\(r.height)\" rx=\"3\" "
            + "fill=\"\(p.fill)\" stroke=\"\(p.stroke)\" stroke-width=\"\(width)\"\(extra)/>\n"
        let cx = ox + r.midX
        let lines = box.lines
        if lines.count >= 2 {
            s +=
                "<text x=\"\(cx)\" y=\"\(oy + r.y + 14)\" font-size=\"\(fmt(labelSize))\" text-anchor=\"middle\" fill=\"\(ink)\">"
                + "\(escape(lines[0]))</text>\n"
            s +=
                "<text x=\"\(cx)\" y=\"\(oy + r.y + 27)\" font-size=\"\(fmt(figureSize))\" text-anchor=\"middle\" fill=\"#555555\">"
                + "\(escape(lines[1]))</text>\n"
        } else if let first = lines.first {
            s +=
                "<text x=\"\(cx)\" y=\"\(oy + r.y + r.height / 2 + 4)\" font-size=\"\(fmt(labelSize))\" text-anchor=\"middle\" "
                + "fill=\"\(ink)\">\(escape(first))</text>\n"
        }
        return s
    }

    static func fmt(_ x: Double) -> String { NumberFormat.fixed(x, decimals: x == x.rounded() ? 0 : 1) }
}
