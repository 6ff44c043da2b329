import InceptionCore

/// The levels the panels report for the selection: the node itself, the branch and the block
/// that hold it (if any), and the network.
struct PanelContext {
    var node: NodeStats?
    var branch: NodeStats?
    var block: NodeStats?
    /// The layers directly in the selection's branch (for "each layer down its branch").
    var branchLayers: [NodeStats]
    /// The block's branches (for shares and per-branch times).
    var blockBranches: [NodeStats]

    init(_ state: ExplorerState) {
        let a = state.analysis
        node = a.stats(at: state.selection)
        var branch: NodeStats?, block: NodeStats?
        var address: NodeAddress? = state.selection
        while let current = address, !current.isRoot {
            if let s = a.stats(at: current) {
                if branch == nil && s.isBranch { branch = s }
                if block == nil && s.op == .inception { block = s }
            }
            address = current.parent
        }
        self.branch = branch
        self.block = block
        func children(of parent: NodeStats?) -> [NodeStats] {
            guard let parent, let start = a.nodes.firstIndex(where: { $0.address == parent.address }) else { return [] }
            var out: [NodeStats] = []
            for s in a.nodes[(start + 1)...] {
                if s.depth <= parent.depth { break }
                if s.depth == parent.depth + 1 { out.append(s) }
            }
            return out
        }
        branchLayers = children(of: branch)
        blockBranches = children(of: block)
    }
}
