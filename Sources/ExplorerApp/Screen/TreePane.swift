import InceptionCore
import TerminalUI

/// The tree pane: network → layers and blocks → branches → layers, with op, output shape and
/// params per row, and an error mark on invalid rows (or on a collapsed row hiding one).
extension Explorer {
    func renderTree(in area: Rect, buffer: inout Buffer, glyphs: Glyphs, wide: Bool) {
        let box = Box(title: "Layers", glyphs: glyphs)
        buffer.render(box, in: area)
        let inner = box.inner(area)
        let rows = state.visibleRows
        let errorPaths = state.analysis.errors.map(\.location)
        let columns = [
            Column("op", width: .fixed(wide ? 22 : 12)),
            Column("output", width: .fixed(10)),
            Column("params", width: .fixed(wide ? 10 : 6), alignment: .right),
        ]
        let treeRows = rows.map { row in
            treeRow(row, errorPaths: errorPaths, glyphs: glyphs, wide: wide)
        }
        var view = TreeView(rows: treeRows, treeColumn: Column("name", width: .fill), columns: columns, showHeader: true,
                            selected: state.selectedIndex, offset: state.treeScroll, glyphs: glyphs)
        let visible = view.visibleRows(in: inner)
        state.treeScroll = TreeView.scrollOffset(selected: state.selectedIndex, current: state.treeScroll,
                                                 visibleRows: visible, rowCount: rows.count)
        view.offset = state.treeScroll
        buffer.render(view, in: inner)
        treePageRows = visible
        treeArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(0, inner.height - 1))
    }

    func treeRow(_ row: VisibleNode, errorPaths: [String], glyphs: Glyphs, wide: Bool) -> TerminalUI.TreeRow {
        let layout = state.layout
        guard !row.address.isRoot else {
            let a = state.analysis
            return TerminalUI.TreeRow(depth: 0, name: layout.name, nameStyle: Style(.title, bold: true),
                                      hasChildren: row.hasChildren, isExpanded: row.isExpanded,
                                      cells: [Span("input"), Span(layout.input.description), Span(params(a.totals.params, wide: wide))])
        }
        let stats = state.analysis.stats(at: row.address)
        let path = stats?.path ?? layout.path(of: row.address) ?? "?"
        let node = layout.node(at: row.address)
        var name = node?.name ?? String(row.address.steps.last ?? 0)
        // A row is marked when it is invalid itself, or collapsed over an invalid descendant.
        let ownError = stats?.error != nil
        let hiddenError = !row.isExpanded && errorPaths.contains { $0.hasPrefix(path + "/") }
        let linted = !ownError && !hiddenError && state.lints.contains { $0.address == row.address }
        if ownError || hiddenError { name = "\(glyphs.errorMark) " + name } else if linted { name = "! " + name }
        let op: String = switch node {
        case .layer(let l)?: wide ? OpLabel.text(l.op, ascii: !glyphs.isUnicode) : OpLabel.short(l.op, ascii: !glyphs.isUnicode)
        case .branch?: "branch"
        case nil: "?"
        }
        let style: Style = ownError || hiddenError ? Style(.error, bold: true)
            : linted ? Style(.warning)
            : (stats?.aux == true ? Style(.dim) : (row.hasChildren ? Style(.accent) : .normal))
        return TerminalUI.TreeRow(depth: row.depth, name: name, nameStyle: style, hasChildren: row.hasChildren,
                                  isExpanded: row.isExpanded,
                                  cells: [Span(op, style: stats?.aux == true ? Style(.dim) : .normal),
                                          Span(stats?.output?.description ?? "?"),
                                          Span(params(stats?.params ?? 0, wide: wide), style: Style(.dim))])
    }

    func params(_ n: Int, wide: Bool) -> String {
        if n == 0 { return "-" }
        return wide ? NumberFormat.grouped(n) : NumberFormat.humanized(n)
    }
}
