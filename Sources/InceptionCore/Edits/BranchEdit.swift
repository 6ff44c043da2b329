/// Adding and deleting branches, and duplicating a block: the `a`, `d` and `c` keys.
extension Layout {
    /// The width of a branch added by `addBranch` when none is given.
    public static let newBranchWidth = 32

    /// Appends a branch to the block at `address` (or the block holding the branch or
    /// layer at `address`): a 1x1 conv of `width` channels, named `branch<N>` (unique among the
    /// block's branches, N = the new branch count), with the bias / batchnorm convention of the
    /// block's first conv. Returns the label and the new branch's address. In a sum join the
    /// default width is the block's output channels (a summed branch must match them), and the 1x1
    /// ends without activation, as a residual branch does.
    ///
    /// A split's slices are fixed by its input, so a new branch's slice is cut from the block's
    /// identity slice (an empty branch, InceptionNeXt's untouched channels): half of it, and the 1x1
    /// keeps the slice's width unless `width` is given. Without an identity slice of 2 or more
    /// channels there is nothing to cut from, and the edit is refused.
    @discardableResult
    public mutating func addBranch(
        to address: NodeAddress, width: Int? = nil
    ) throws(DesignError) -> (label: String, address: NodeAddress) {
        let block = try enclosingBlock(of: address, for: "add a branch")
        if case .split(var sizes) = block.block.join {
            guard
                let id = block.block.branches.indices.first(where: {
                    block.block.branches[$0].layers.isEmpty && sizes.indices.contains($0) && sizes[$0] >= 2
                })
            else {
                throw DesignError(
                    at: displayPath(block.address),
                    "add a branch: a split's slices are fixed by its input, and it has no identity slice of 2 or more channels to cut a new one from (change \"sizes\" in the file)"
                )
            }
            let slice = sizes[id] / 2
            sizes[id] -= slice
            sizes.append(slice)
            let width = width ?? slice
            guard width >= 1 else {
                throw DesignError(at: displayPath(block.address), "branch width must be at least 1, got \(width)")
            }
            var changed = block.block
            let name = SiblingNames.unique("branch\(changed.branches.count + 1)", among: changed.branches.map(\.name))
            changed.branches.append(Branch(name: name, layers: [Layer(.conv(Conv(out: width, kernel: Pair(1, 1))))]))
            changed.join = .split(sizes: sizes)
            modifyLayer(at: block.address) { $0.op = .block(changed) }
            let added = block.address.appending(changed.branches.count - 1)
            return ("add branch \(displayPath(added)) (\(slice) of the identity's channels, 1x1 → \(width))", added)
        }
        let isSum = block.block.join.kind == .sum
        let width =
            width ?? (isSum ? Analysis(self).stats(at: block.address)?.output?.channels : nil) ?? Layout.newBranchWidth
        guard width >= 1 else {
            throw DesignError(at: displayPath(block.address), "branch width must be at least 1, got \(width)")
        }
        var branches = block.block.branches
        let name = SiblingNames.unique("branch\(branches.count + 1)", among: branches.map(\.name))
        let style = branches.lazy.flatMap(\.layers).compactMap { l -> Conv? in
            if case .conv(let c) = l.op { return c }
            return nil
        }.first
        let conv = Conv(
            out: width, kernel: Pair(1, 1), bias: style?.bias ?? true, batchnorm: style?.batchnorm ?? false,
            activation: isSum ? .none : .relu)
        branches.append(Branch(name: name, layers: [Layer(.conv(conv))]))
        var changed = block.block
        changed.branches = branches
        modifyLayer(at: block.address) { $0.op = .block(changed) }
        let added = block.address.appending(branches.count - 1)
        return ("add branch \(displayPath(added)) (1x1 → \(width))", added)
    }

    /// Deletes the branch at `address` (or the branch holding the layer at `address`); refuses the
    /// last branch of a block (a block needs one).
    @discardableResult
    public mutating func deleteBranch(at address: NodeAddress) throws(DesignError) -> String {
        var found: NodeAddress?
        var a: NodeAddress? = address
        while let current = a, !current.isRoot {
            if case .branch? = node(at: current) { found = current; break }
            a = current.parent
        }
        guard let branchAddress = found, let blockAddress = branchAddress.parent,
            let index = branchAddress.steps.last,
            var block = layer(at: blockAddress)?.op.block
        else {
            throw DesignError(at: displayPath(address), "delete a branch: this is not a branch or a layer in one")
        }
        let where_ = displayPath(branchAddress)
        guard block.branches.count > 1 else {
            throw DesignError(
                at: where_, "refusing to delete the only branch of \(displayPath(blockAddress)) (a block needs one)")
        }
        block.branches.remove(at: index)
        if case .split(var sizes) = block.join, sizes.indices.contains(index) {
            // The deleted slice's channels go to the identity slice, so the split still cuts its
            // input; without one the sizes fall short, which the analysis reports at the block.
            let freed = sizes.remove(at: index)
            if let id = block.branches.indices.first(where: {
                block.branches[$0].layers.isEmpty && sizes.indices.contains($0)
            }) {
                sizes[id] += freed
            }
            block.join = .split(sizes: sizes)
        }
        modifyLayer(at: blockAddress) { $0.op = .block(block) }
        return "delete branch \(where_)"
    }

    /// Inserts a copy of the top-level inception block holding `address` right after it, named
    /// `<name>_copy` (`_copy2`, ... when taken). Its input is the original's output, so its
    /// input-side convs adapt their weights; its pool-only branches pass the wider input through.
    /// Returns the label and the copy's address.
    @discardableResult
    public mutating func duplicateBlock(
        at address: NodeAddress
    ) throws(DesignError) -> (label: String, address: NodeAddress) {
        guard let top = address.steps.first, layers.indices.contains(top) else {
            throw DesignError(at: "", "duplicate: no node at \(address)")
        }
        let original = layers[top]
        guard original.op.block != nil else {
            throw DesignError(
                at: displayPath(NodeAddress([top])),
                "duplicate copies a top-level inception block, this is \(original.op.kind.rawValue)")
        }
        var copy = original
        copy.name = original.name.map { SiblingNames.unique($0 + "_copy", among: layers.map(\.name)) }
        layers.insert(copy, at: top + 1)
        let added = NodeAddress([top + 1])
        return ("duplicate \(displayPath(NodeAddress([top]))) as \(displayPath(added))", added)
    }

    /// The block at `address`, or the innermost one holding it.
    private func enclosingBlock(
        of address: NodeAddress, for move: String
    ) throws(DesignError) -> (address: NodeAddress, block: Block) {
        var a: NodeAddress? = address
        while let current = a, !current.isRoot {
            if let b = layer(at: current)?.op.block { return (current, b) }
            a = current.parent
        }
        throw DesignError(at: displayPath(address), "\(move): this node is not in an inception block")
    }
}
