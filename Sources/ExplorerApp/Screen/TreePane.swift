import InceptionCore
import TerminalUI

/// The tree pane: network → layers and blocks → branches → layers, with op, output shape, params
/// (and MACs from about 145 columns) per row. Invalid rows are marked (a block whose branches disagree
/// marks the branches that differ too), and so is a collapsed row hiding one; search matches are
/// underlined. The box title is the breadcrumb of the selection.
extension Screen {
    func renderTree(in area: Rect, buffer: inout Buffer) {
        let box = Box(title: treeTitle(width: area.width - 4), glyphs: glyphs)
        buffer.render(box, in: area)
        let inner = box.inner(area)
        let rows = state.visibleRows
        let wide = viewport.wide
        let showsMACs = viewport.showsMACs
        let matches = Set(state.searchMatches)
        var treeRows = rows.map { treeRow($0, matched: matches.contains($0.address), wide: wide, macs: showsMACs) }
        // Widths: output, params (and MACs) fixed; the op column as wide as its longest label (so
        // "avgpool 3x3/1 pad 1 excl-pad" is not cut to "pad 1 e…") while the name column keeps
        // `minNameWidth`, never narrower than it was (12, or 22 on wide screens).
        let fixed = 10 + (wide ? 10 : 6) + (showsMACs ? 7 : 0)
        let gaps = 3 + (showsMACs ? 1 : 0)
        let minNameWidth = wide ? 24 : 16
        let opNeed = treeRows.lazy.compactMap { $0.cells.first.map { TextWidth.of($0.text) } }.max() ?? 0
        let opWidth = max(wide ? 22 : 12, min(opNeed, inner.width - fixed - gaps - minNameWidth))
        var columns = [
            Column("op", width: .fixed(opWidth)),
            Column("output", width: .fixed(10)),
            Column("params", width: .fixed(wide ? 10 : 6), alignment: .right),
        ]
        if showsMACs { columns.append(Column("MACs", width: .fixed(7), alignment: .right)) }
        // Repeated blocks: a kind column on wide screens when the name keeps its room
        // ("InceptionD ×4" on the run's first block), else "×4" after the name; neither when the
        // layout repeats no block.
        let runs = state.runs
        let ascii = !glyphs.isUnicode
        var kindWidth =
            wide && !runs.runs.isEmpty
            ? runs.kinds.indices.map { TextWidth.of(runs.label($0, ascii: ascii)) }.max() ?? 0 : 0
        if inner.width - fixed - gaps - opWidth - (kindWidth + 1) < minNameWidth { kindWidth = 0 }
        if kindWidth > 0 { columns.insert(Column("kind", width: .fixed(max(4, kindWidth))), at: 0) }
        if !runs.runs.isEmpty {
            for (n, row) in rows.enumerated() {
                let top = row.address.steps.count == 1 ? row.address.steps[0] : nil
                if kindWidth > 0 {
                    treeRows[n].cells.insert(
                        Span(top.map { runs.label($0, ascii: ascii) } ?? "", style: Style(.dim)), at: 0)
                } else if let top, let run = runs.run(startingAt: top) {
                    treeRows[n].name += (ascii ? " x" : " ×") + String(run.count)
                }
            }
        }
        let selected = state.selectedIndex(in: rows)
        // The offset was clamped where the key was handled; clamping again here only guards a
        // frame drawn before any key (it writes nothing back).
        let offset = TreeView.scrollOffset(
            selected: selected, current: state.treeScroll,
            visibleRows: viewport.treePageRows, rowCount: rows.count)
        let view = TreeView(
            rows: treeRows, treeColumn: Column("name", width: .fill), columns: columns, showHeader: true,
            selected: selected, offset: offset, glyphs: glyphs)
        buffer.render(view, in: inner)
    }

    /// "Layers › inception_3a › 3x3 › 1", cut from the left when long (the leaf matters most),
    /// plus the branch order when it is not the layout's.
    func treeTitle(width: Int) -> String {
        // ASCII: the path's own "/" (a ">" read as an arrow, or a shell redirect).
        let sep = glyphs.isUnicode ? " › " : " / "
        let path = state.selectedPath.split(separator: "/").joined(separator: sep)
        let sort = state.sort == .layout ? "" : " (by \(state.sort.rawValue == "macs" ? "MACs" : state.sort.rawValue))"
        var title = "Layers" + sort + (path.isEmpty ? "" : sep + path)
        if TextWidth.of(title) > width, width > 8 {
            let tail = String(title.suffix(max(1, width - 8 - TextWidth.of(glyphs.ellipsis))))
            title = "Layers" + sep + glyphs.ellipsis + tail
        }
        return title
    }

    func treeRow(_ row: VisibleNode, matched: Bool, wide: Bool, macs showsMACs: Bool) -> TerminalUI.TreeRow {
        let layout = state.layout
        guard !row.address.isRoot else {
            let a = state.analysis
            var cells = [Span("input"), Span(layout.input.description), Span(params(a.totals.params, wide: wide))]
            if showsMACs { cells.append(Span(macs(a.totals.macs), style: Style(.dim))) }
            let invalid = !a.isValid
            return TerminalUI.TreeRow(
                depth: 0, name: (invalid ? "\(glyphs.errorMark) " : "") + layout.name,
                nameStyle: invalid ? Style(.error, bold: true) : Style(.title, bold: true),
                hasChildren: row.hasChildren, isExpanded: row.isExpanded, cells: cells)
        }
        let stats = state.analysis.stats(at: row.address)
        let path = stats?.path ?? layout.path(of: row.address) ?? "?"
        let node = layout.node(at: row.address)
        var name = node?.name ?? String(row.address.steps.last ?? 0)
        // A row is marked when it is invalid itself (or is a branch that makes its block invalid,
        // as the analysis found it), or collapsed over an invalid descendant.
        let a = state.analysis
        let ownError = stats?.error != nil || a.mismatchedBranches.contains(row.address)
        let hiddenError = !row.isExpanded && a.errors.contains { $0.location.hasPrefix(path + "/") }
        let linted = !ownError && !hiddenError && state.lints.contains { $0.address == row.address }
        if ownError || hiddenError { name = "\(glyphs.errorMark) " + name } else if linted { name = "! " + name }
        let op: String =
            switch node {
            case .layer(let l)?:
                wide ? OpLabel.text(l.op, ascii: !glyphs.isUnicode) : OpLabel.short(l.op, ascii: !glyphs.isUnicode)
            case .branch(let b)?: OpLabel.branch(b, ascii: !glyphs.isUnicode)
            case nil: "?"
            }
        var style: Style =
            ownError || hiddenError
            ? Style(.error, bold: true)
            : linted
                ? Style(.warning)
                : (stats?.aux == true ? Style(.dim) : (row.hasChildren ? Style(.accent) : .normal))
        if matched { style = style.underlined().bolded() }
        var cells = [
            Span(op, style: stats?.aux == true ? Style(.dim) : .normal),
            Span(stats?.output?.description ?? "?"),
            Span(params(stats?.params ?? 0, wide: wide), style: Style(.dim)),
        ]
        if showsMACs { cells.append(Span(macs(stats?.macs ?? 0), style: Style(.dim))) }
        return TerminalUI.TreeRow(
            depth: row.depth, name: name, nameStyle: style, hasChildren: row.hasChildren,
            isExpanded: row.isExpanded, cells: cells)
    }

    func params(_ n: Int, wide: Bool) -> String {
        if n == 0 { return "-" }
        return wide ? NumberFormat.grouped(n) : NumberFormat.humanized(n)
    }

    func macs(_ n: Int) -> String { n == 0 ? "-" : NumberFormat.humanized(n) }
}
