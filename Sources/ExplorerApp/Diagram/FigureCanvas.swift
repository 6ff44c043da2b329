import InceptionCore
import TerminalUI

/// Draws a laid-out figure into a buffer with box-drawing characters (or ASCII). Every border, link
/// and bus adds the directions it joins to its cells, and each cell's glyph comes from the sum, so a
/// link meeting a border becomes `┬` / `┴` and a bus meeting a column `┼` without special cases.
struct FigureCanvas {
    let layout: FigureLayout
    /// The figure's cell drawn at the view's top-left corner.
    let origin: Point
    let unicode: Bool
    /// Box indices drawn as selected (reversed text rows).
    let selected: Set<Int>
    /// The border role of each box (heat, marks); nil: the plain border.
    let borderRole: (PlacedBox) -> ColorRole?

    static let up: UInt8 = 1, down: UInt8 = 2, left: UInt8 = 4, right: UInt8 = 8

    func render(in view: Rect, buffer: inout Buffer) {
        guard !view.isEmpty, layout.width > 0, layout.height > 0 else { return }
        // Only the visible window of the figure is drawn: a tall network column costs its view.
        let x0 = max(0, origin.x), y0 = max(0, origin.y)
        let w = max(0, min(layout.width, origin.x + view.width) - x0)
        let h = max(0, min(layout.height, origin.y + view.height) - y0)
        guard w > 0, h > 0 else { return }
        var mask = [UInt8](repeating: 0, count: w * h)
        var style = [Style?](repeating: nil, count: w * h)
        func add(_ x: Int, _ y: Int, _ bits: UInt8, _ s: Style?) {
            let cx = x - x0, cy = y - y0
            guard cx >= 0, cy >= 0, cx < w, cy < h else { return }
            mask[cy * w + cx] |= bits
            if let s { style[cy * w + cx] = s }
        }
        for link in layout.links {
            guard link.x >= x0, link.x < x0 + w else { continue }
            add(link.x, link.top - 1, Self.down, nil)
            let lo = max(link.top, y0 - 1), hi = min(link.bottom, y0 + h + 1)
            if lo < hi { for y in lo..<hi { add(link.x, y, Self.up | Self.down, nil) } }
            add(link.x, link.bottom, Self.up, nil)
        }
        for bus in layout.buses where bus.x1 > bus.x0 {
            let lo = max(bus.x0, x0 - 1), hi = min(bus.x1, x0 + w)
            guard lo <= hi else { continue }
            for x in lo...hi { add(x, bus.y, (x > bus.x0 ? Self.left : 0) | (x < bus.x1 ? Self.right : 0), nil) }
        }
        for box in layout.boxes {
            let r = box.rect
            guard r.maxX > x0, r.x < x0 + w, r.maxY > y0, r.y < y0 + h, r.width >= 2, r.height >= 2 else { continue }
            let s = Style(borderRole(box) ?? .border)
            for x in r.x..<r.maxX {
                let l = x > r.x ? Self.left : 0, rt = x < r.maxX - 1 ? Self.right : 0
                add(x, r.y, l | rt | (x == r.x || x == r.maxX - 1 ? Self.down : 0), s)
                add(x, r.maxY - 1, l | rt | (x == r.x || x == r.maxX - 1 ? Self.up : 0), s)
            }
            for y in (r.y + 1)..<(r.maxY - 1) {
                add(r.x, y, Self.up | Self.down, s)
                add(r.maxX - 1, y, Self.up | Self.down, s)
            }
        }
        for cy in 0..<h {
            for cx in 0..<w where mask[cy * w + cx] != 0 {
                buffer.put(
                    String(glyph(mask[cy * w + cx])), x: view.x + x0 - origin.x + cx, y: view.y + y0 - origin.y + cy,
                    style: style[cy * w + cx] ?? Style(.border), clip: view)
            }
        }
        for bus in layout.buses {
            guard let label = bus.label else { continue }
            buffer.put(
                " \(label) ", x: view.x + bus.x0 + 1 - origin.x, y: view.y + bus.y - origin.y, style: Style(.dim),
                clip: view)
        }
        for (i, box) in layout.boxes.enumerated() {
            text(box, selected: selected.contains(i), view: view, buffer: &buffer)
        }
    }

    /// A box's lines centred in its interior; the selected box's rows reversed.
    func text(_ box: PlacedBox, selected: Bool, view: Rect, buffer: inout Buffer) {
        let r = box.rect
        let inner = Rect(
            x: view.x + r.x + 1 - origin.x, y: view.y + r.y + 1 - origin.y, width: r.width - 2, height: r.height - 2)
        guard inner.width > 0, inner.height > 0 else { return }
        let clip = inner.intersection(view)
        if selected { buffer.fill(clip, with: " ", style: Style(.selection)) }
        let ellipsis = unicode ? "…" : "..."
        for (i, line) in box.lines.prefix(inner.height).enumerated() {
            let t = TextWidth.truncate(line, to: inner.width, ellipsis: ellipsis)
            let x = inner.x + (inner.width - TextWidth.of(t)) / 2
            var s = i == 0 ? labelStyle(box) : Style(.dim)
            if selected { s = Style(.selection, bold: i == 0) }
            buffer.put(
                t, x: x,
                y: inner.y + i + (inner.height > box.lines.count && box.lines.count == 1 ? (inner.height - 1) / 2 : 0),
                style: s, clip: clip)
        }
    }

    func labelStyle(_ box: PlacedBox) -> Style {
        switch box.mark {
        case .added: return Style(.ok, bold: true)
        case .removed: return Style(.dim)
        case .changed: return Style(.warning, bold: true)
        case .same: break
        }
        switch box.role {
        case .layer(.conv), .block: return Style(.normal, bold: true)
        case .join, .input: return Style(.accent)
        default: return .normal
        }
    }

    func glyph(_ m: UInt8) -> Character {
        let v = m & (Self.up | Self.down) != 0, hz = m & (Self.left | Self.right) != 0
        guard unicode else { return v && hz ? "+" : v ? "|" : "-" }
        switch m {
        case Self.down | Self.right: return "┌"
        case Self.down | Self.left: return "┐"
        case Self.up | Self.right: return "└"
        case Self.up | Self.left: return "┘"
        case Self.up | Self.down | Self.right: return "├"
        case Self.up | Self.down | Self.left: return "┤"
        case Self.left | Self.right | Self.down: return "┬"
        case Self.left | Self.right | Self.up: return "┴"
        case Self.up | Self.down | Self.left | Self.right: return "┼"
        default: return v ? "│" : "─"
        }
    }
}
