import InceptionCore
import TerminalUI

/// Moving the selection, expanding and collapsing, search and mouse.
extension Explorer {
    func select(index: Int) {
        let rows = state.visibleRows
        guard !rows.isEmpty else { return }
        state.selection = rows[min(max(0, index), rows.count - 1)].address
    }

    func move(by delta: Int) { select(index: state.selectedIndex + delta) }

    /// → / l: expand a closed node; on an open one, step to its first child.
    func expand() {
        let row = state.visibleRows[state.selectedIndex]
        guard row.hasChildren else { return }
        if row.isExpanded {
            move(by: 1)
        } else {
            state.tree.expanded.insert(row.address)
        }
    }

    /// ← / h: collapse an open node; on a closed one (or a leaf), go to its parent.
    func collapse() {
        let row = state.visibleRows[state.selectedIndex]
        if row.hasChildren && row.isExpanded && !row.address.isRoot {
            state.tree.expanded.remove(row.address)
        } else if let parent = row.address.parent {
            state.selection = parent
        } else if row.address.isRoot && row.isExpanded {
            state.tree.expanded.remove(.root)
        }
    }

    func toggle() {
        let row = state.visibleRows[state.selectedIndex]
        guard row.hasChildren else { return }
        if row.isExpanded { state.tree.expanded.remove(row.address) } else { state.tree.expanded.insert(row.address) }
    }

    func handleMouse(_ m: MouseEvent) {
        guard state.options.mouse else { return }
        switch m.kind {
        case .leftClick: perform(.click(x: m.x, y: m.y))
        case .wheelUp: perform(.scrollUp)
        case .wheelDown: perform(.scrollDown)
        default: break
        }
    }

    /// A click on a tree row selects it; a second click on the selected row toggles it.
    func click(x: Int, y: Int) {
        guard treeArea.contains(Point(x: x, y: y)) else { return }
        let index = state.treeScroll + (y - treeArea.y)
        let rows = state.visibleRows
        guard rows.indices.contains(index) else { return }
        if rows[index].address == state.selection { toggle() } else { state.selection = rows[index].address }
    }

    /// Finds the next node (in pre-order, after the selection, wrapping) whose name contains the
    /// query (or whose path does, when the query has a "/"), case-insensitively; reveals and
    /// selects it.
    func search(_ query: String) {
        guard !query.isEmpty else { return }
        state.lastSearch = query
        searchAgain(forward: true)
    }

    func searchAgain(forward: Bool) {
        guard let query = state.lastSearch?.lowercased() else {
            state.message = StatusMessage("no search yet: press / to search", role: .warning)
            return
        }
        let nodes = state.layout.allNodes()
        guard !nodes.isEmpty else { return }
        let current = nodes.firstIndex { $0.address == state.selection } ?? -1
        for step in 1...nodes.count {
            let i = ((current + (forward ? step : -step)) % nodes.count + nodes.count) % nodes.count
            let haystack = query.contains("/") ? nodes[i].path : (nodes[i].node.name ?? String(nodes[i].address.steps.last ?? 0))
            if haystack.lowercased().contains(query) {
                state.tree.reveal(nodes[i].address)
                state.selection = nodes[i].address
                state.message = StatusMessage("/\(query): \(nodes[i].path)", role: .dim)
                return
            }
        }
        state.message = .error("no node matches \"\(query)\"")
    }
}
