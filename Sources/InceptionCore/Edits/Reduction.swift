/// The 1x1 reduction in front of a spatial conv, on and off: the `x` key (naive ↔ reduced module).
///
/// The notes' worked example: a 5x5 conv from 128 to 256 channels has 128·5·5·256 = 819,200
/// weights; with a 1x1 conv to 32 in front it has 128·32 + 32·5·5·256 = 208,896, about 4x fewer,
/// with the same output. Inserting or removing the 1x1 never changes the output shape.
extension Layout {
    /// The width of the 1x1 reduction the move proposes in front of a spatial conv reading
    /// `inputChannels`: a quarter of them, at least 1 (the notes' 128 → 32). The one place the rule
    /// lives: the move's default, the missing-reduction lint and the explorer's prompt all read it.
    public static func reductionWidth(inputChannels: Int) -> Int { max(1, inputChannels / 4) }

    /// The width `toggleReduction(at:)` would insert at `address` without a `width` of its own, or
    /// nil when the toggle would remove a reduction, cannot apply there, or the input is unknown.
    public func proposedReductionWidth(at address: NodeAddress) -> Int? {
        guard let target = try? reductionTarget(at: address), let list = layerList(parent: target.0) else { return nil }
        let (parent, spatialIndex) = target
        if spatialIndex > 0, isReduction(list.element(at: spatialIndex - 1)) { return nil }
        return Analysis(self).stats(at: parent.appending(spatialIndex))?.input.map {
            Self.reductionWidth(inputChannels: $0.channels)
        }
    }

    /// Toggles the reduction for the node at `address`:
    /// - a branch: if its first layer is a spatial conv (kernel > 1x1), insert a 1x1 conv in front;
    ///   if it starts with a 1x1 stride-1 conv followed by a spatial conv, remove the 1x1;
    /// - a spatial conv in any list: the same, looking at the layer just before it;
    /// - a 1x1 stride-1 conv followed by a spatial conv: remove it.
    ///
    /// - Parameter width: the inserted 1x1's width (default: `reductionWidth`, a quarter of the
    ///   spatial conv's input channels — for a branch's first layer, the block's input — at least 1).
    /// - Returns: the edit's label ("insert 1x1 → 32 before inception_naive/5x5/0").
    @discardableResult
    public mutating func toggleReduction(at address: NodeAddress, width: Int? = nil) throws(DesignError) -> String {
        let where_ = displayPath(address)
        let (parent, spatialIndex) = try reductionTarget(at: address)
        guard var list = layerList(parent: parent), case .conv(let big)? = list.element(at: spatialIndex)?.op else {
            throw DesignError(at: where_, "no spatial conv found here")
        }
        let bigPath = displayPath(parent.appending(spatialIndex))
        guard big.groups == 1 else {
            throw DesignError(at: bigPath, "a reduction goes before a dense conv; this one has groups \(big.groups)")
        }
        if spatialIndex > 0, case .conv(let r) = list[spatialIndex - 1].op, r.isPointwise, r.stride == Pair(1, 1) {
            let removedPath = displayPath(parent.appending(spatialIndex - 1))
            list.remove(at: spatialIndex - 1)
            setLayerList(parent: parent, list)
            return "remove 1x1 reduction \(removedPath) (→ \(r.out)) before \(bigPath)"
        }
        guard let input = Analysis(self).stats(at: parent.appending(spatialIndex))?.input else {
            throw DesignError(at: bigPath, "the input shape is unknown (fix the errors above it first)")
        }
        let r = width ?? Self.reductionWidth(inputChannels: input.channels)
        guard r >= 1 else { throw DesignError(at: where_, "reduction width must be at least 1, got \(r)") }
        let reduce = Conv(out: r, kernel: Pair(1, 1), bias: big.bias, batchnorm: big.batchnorm, activation: .relu)
        let name = list[spatialIndex].name.map { SiblingNames.unique($0 + "_reduce", among: list.map(\.name)) }
        list.insert(Layer(name: name, .conv(reduce)), at: spatialIndex)
        setLayerList(parent: parent, list)
        return "insert 1x1 → \(r) reduction before \(bigPath) (from \(input.channels) channels)"
    }

    /// The list and index of the spatial conv a reduction toggle at `address` is about.
    private func reductionTarget(at address: NodeAddress) throws(DesignError) -> (NodeAddress, Int) {
        let where_ = displayPath(address)
        switch node(at: address) {
        case .branch(let b)?:
            if isSpatialConv(b.layers.first) { return (address, 0) }
            if isReduction(b.layers.first), isSpatialConv(b.layers.element(at: 1)) { return (address, 1) }
            throw DesignError(
                at: where_, "the branch neither starts with a spatial conv nor with a 1x1 conv before one")
        case .layer(let l)?:
            guard let parent = address.parent, let i = address.steps.last, let list = layerList(parent: parent) else {
                throw DesignError(at: where_, "this layer is not in a list of layers")
            }
            if isSpatialConv(l) { return (parent, i) }
            if isReduction(l), isSpatialConv(list.element(at: i + 1)) { return (parent, i + 1) }
            throw DesignError(
                at: where_, "toggle a reduction on a spatial conv (kernel > 1x1), its branch, or the 1x1 before it")
        case nil:
            throw DesignError(at: "", "no node at \(address)")
        }
    }

    private func isSpatialConv(_ layer: Layer?) -> Bool {
        if case .conv(let c)? = layer?.op { return !c.isPointwise }
        return false
    }

    private func isReduction(_ layer: Layer?) -> Bool {
        if case .conv(let c)? = layer?.op { return c.isPointwise && c.stride == Pair(1, 1) }
        return false
    }
}

extension Array {
    /// The element at `i`, or nil when `i` is out of range.
    func element(at i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
