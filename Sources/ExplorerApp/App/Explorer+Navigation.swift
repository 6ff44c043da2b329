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
        let area = viewport.treeRows
        guard area.contains(Point(x: x, y: y)) else { return }
        let index = state.treeScroll + (y - area.y)
        let rows = state.visibleRows
        guard rows.indices.contains(index) else { return }
        if rows[index].address == state.selection { toggle() } else { state.selection = rows[index].address }
    }

    /// `*` and `1`…`3`: expands the whole tree, or to a depth; the selection moves up to the
    /// nearest row still visible.
    func expandTree(toDepth depth: Int?) {
        state.tree.expand(state.layout, toDepth: depth)
        while let parent = state.selection.parent, !state.tree.expanded.contains(parent) { state.selection = parent }
        state.message = StatusMessage(
            depth.map { "showing \($0) level\($0 == 1 ? "" : "s") below the network" } ?? "expanded everything",
            role: .dim)
    }

    /// `S`: the next order of a block's branches (layout, params, MACs).
    func cycleSort() {
        state.sort = state.sort.next
        state.message = StatusMessage("branches in \(state.sort.label)", role: .dim)
    }

    /// Finds the next node (in pre-order, after the selection, wrapping) whose name contains the
    /// query (or whose path does, when the query has a "/"), case-insensitively; reveals and
    /// selects it, and says which match of how many it is.
    func search(_ query: String) {
        guard !query.isEmpty else {
            state.searchStart = nil
            return
        }
        state.lastSearch = query
        state.searchMatches = ExplorerState.matches(of: query, in: state.layout)
        if state.searchMatches.contains(state.selection) && state.searchStart != nil {
            announceMatch()  // typing already moved here
        } else {
            searchAgain(forward: true)
        }
        state.searchStart = nil
    }

    /// While `/` is open: each key moves to the first match from where the search began — a node
    /// named (or, with a "/", pathed) exactly as typed first, so "conv2" finds conv2, not conv2_reduce.
    func searchIncrementally(_ text: String) {
        if state.searchStart == nil { state.searchStart = state.selection }
        let matches = ExplorerState.matches(of: text, in: state.layout)
        state.searchMatches = matches
        let all = state.layout.allNodes()
        let from = all.firstIndex { $0.address == state.searchStart } ?? 0
        let order = Array(all[from...]) + Array(all[..<from])
        let q = text.lowercased()
        func exact(_ n: (address: NodeAddress, path: String, node: Node)) -> Bool {
            ExplorerState.searchText(of: n, query: q) == q
        }
        let candidates = order.filter { matches.contains($0.address) }
        if let hit = (candidates.first(where: exact) ?? candidates.first)?.address {
            state.tree.reveal(hit)
            state.selection = hit
        }
    }

    func searchAgain(forward: Bool) {
        guard let query = state.lastSearch else {
            state.message = StatusMessage("no search yet: press / to search", role: .warning)
            return
        }
        let matches = state.searchMatches
        guard !matches.isEmpty else {
            state.message = .error("no node matches \"\(query)\"")
            return
        }
        let nodes = state.layout.allNodes().map(\.address)
        let current = nodes.firstIndex(of: state.selection) ?? -1
        for step in 1...nodes.count {
            let i = ((current + (forward ? step : -step)) % nodes.count + nodes.count) % nodes.count
            if matches.contains(nodes[i]) {
                state.tree.reveal(nodes[i])
                state.selection = nodes[i]
                announceMatch()
                return
            }
        }
    }

    /// "/3x3: inception_3a/3x3 (3 of 11)", the query as typed.
    func announceMatch() {
        guard let query = state.lastSearch else { return }
        let n = (state.searchMatches.firstIndex(of: state.selection) ?? 0) + 1
        state.message = StatusMessage(
            "/\(query): \(state.selectedPath) (\(n) of \(state.searchMatches.count))", role: .dim)
    }

    /// `p`: opens the problems view on the first problem at or after the selection.
    func openProblems() {
        guard !state.problems.isEmpty else {
            state.message = StatusMessage("no problems: the layout is valid and no lint fires", role: .ok)
            return
        }
        let first = state.problems.firstIndex { $0.address.map { $0 >= state.selection } ?? false } ?? 0
        state.mode = .problems(selected: first)
    }

    /// Enter in the problems view: close it and select the problem's node.
    func openSelectedProblem() {
        guard case .problems(let i) = state.mode else { return }
        state.mode = .normal
        guard state.problems.indices.contains(i) else { return }
        goTo(state.problems[i], number: i)
    }

    /// `]` / `[`: the next / previous problem's node after / before the selection, wrapping.
    func jumpToProblem(forward: Bool) {
        let located = state.problems.enumerated().filter { $0.element.address != nil }
        guard !located.isEmpty else {
            state.message = StatusMessage("no problems to go to", role: .ok)
            return
        }
        let here = state.selection
        let pick =
            forward
            ? located.first { $0.element.address! > here } ?? located.first!
            : located.last { $0.element.address! < here } ?? located.last!
        goTo(pick.element, number: pick.offset)
    }

    func goTo(_ problem: Problem, number: Int) {
        if let address = problem.address {
            state.tree.reveal(address)
            state.selection = address
        }
        let text =
            "\(number + 1) of \(state.problems.count): \(problem.path.isEmpty ? "network" : problem.path): \(problem.text)"
        state.message = problem.severity == .error ? .error(text) : StatusMessage(text, role: .warning)
    }
}
