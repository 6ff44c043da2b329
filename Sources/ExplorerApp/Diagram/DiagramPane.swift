import InceptionCore
import TerminalUI

/// The left pane as a diagram (`v`): the block holding the selection as the paper draws it, or the
/// network as a column of blocks; under it the note (when less is shown than asked) and the legend
/// of the figure on the boxes and its heat colours.
extension Screen {
    func renderDiagram(in area: Rect, buffer: inout Buffer) {
        let inner = area.inset(by: 1)
        let diagram = Diagram(state: state, size: inner.size, ascii: !glyphs.isUnicode)
        let zoom: String =
            switch diagram.detail {
            case .layers: "every layer"
            case .branches: "one box per branch"
            case .blocks: "network"
            }
        let sep = glyphs.isUnicode ? " › " : " > "
        buffer.render(Box(title: "Diagram" + sep + diagram.subject + " (\(zoom))", glyphs: glyphs), in: area)
        let view = Rect(x: inner.x, y: inner.y, width: inner.width, height: max(0, inner.height - Diagram.footerRows))
        let metric = diagram.metric
        let heatMax = diagram.heatMax
        let canvas = FigureCanvas(
            layout: diagram.layout, origin: diagram.origin, unicode: glyphs.isUnicode,
            selected: Set(diagram.selected)
        ) { box in
            switch box.mark {
            case .added: return .ok
            case .removed: return .dim
            case .changed: return .warning
            case .same: break
            }
            if case .join = box.role { return nil }
            guard box.role != .input, let s = box.stats,
                let heat = FigureMetric.heat(metric.value(s), max: heatMax)
            else { return nil }
            return .heat(heat)
        }
        canvas.render(in: view, buffer: &buffer)
        let footer = Rect(x: inner.x, y: view.maxY, width: inner.width, height: inner.height - view.height)
        var lines: [[Span]] = []
        if let note = diagram.note {
            lines.append([Span(note, .warning)])
        } else if state.history.isModified {
            lines.append([
                Span("since loaded: ", .dim), Span("~ changed", .warning), Span("  + added", .ok),
                Span(glyphs.isUnicode ? "  − removed" : "  - removed", .dim),
            ])
        }
        lines.append(legend(metric: metric, hasHeat: heatMax > 0))
        if lines.count < footer.height { lines.insert([], at: 0) }
        buffer.render(Paragraph(lines: Array(lines.suffix(footer.height))), in: footer)
    }

    /// "params  ■ <25% ■ <50% ■ <75% ■ top  z zoom · i figure": the figure on the boxes and the
    /// heat colours by quarters of the largest.
    func legend(metric: FigureMetric, hasHeat: Bool) -> [Span] {
        var spans = [Span(metric.title, .accent)]
        if hasHeat {
            let mark = glyphs.isUnicode ? "■" : "#"
            for (i, label) in ["<25%", "<50%", "<75%", "top"].enumerated() {
                spans.append(Span(" " + mark, .heat(i)))
                spans.append(Span(" " + label, .dim))
            }
        }
        return spans
    }
}
