/// Width edits: the `+` / `-` / `w` keys of the explorer and their CLI equivalents.
extension Layout {
    /// The layer whose output width an edit of the node at `address` changes: a conv or linear
    /// layer itself; for a branch, its output width — the last conv or linear layer directly in it
    /// (a pool after it passes channels through unchanged). Nil when nothing there has a width.
    public func widthTarget(of address: NodeAddress) -> NodeAddress? {
        switch node(at: address) {
        case .layer(let l)?:
            return Self.width(of: l.op) == nil ? nil : address
        case .branch(let b)?:
            // Leaves without a width (pools, LRN, dropout, ...) pass channels through; a nested
            // block or aux head decides its own.
            for i in b.layers.indices.reversed() {
                let op = b.layers[i].op
                if op.isComposite { return nil }
                if Self.width(of: op) != nil { return address.appending(i) }
            }
            return nil
        case nil:
            return nil
        }
    }

    /// The output width of the conv or linear layer at `address`.
    public func width(at address: NodeAddress) -> Int? {
        layer(at: address).flatMap { Self.width(of: $0.op) }
    }

    /// The output width of a conv or linear op; nil for every other op.
    static func width(of op: Op) -> Int? {
        switch op {
        case .conv(let c): c.out
        case .linear(let l): l.out
        default: nil
        }
    }

    /// Sets the output width of the conv or linear layer at `address`. False when there is none, or
    /// when `out` is beyond `LayoutLimits.maxChannels` (the decoder would refuse the saved file).
    @discardableResult
    public mutating func setWidth(at address: NodeAddress, to out: Int) -> Bool {
        guard width(at: address) != nil, out <= LayoutLimits.maxChannels else { return false }
        return modifyLayer(at: address) { layer in
            switch layer.op {
            case .conv(var c): c.out = out; layer.op = .conv(c)
            case .linear(var l): l.out = out; layer.op = .linear(l)
            default: break
            }
        }
    }

    /// What one press of the explorer's `+` / `-` adds or removes (its help text is built from it).
    public static let widthStep = 8

    /// The width at `address` after a change by `delta`, stopping at 1 and `LayoutLimits.maxChannels`
    /// (so an edited layout always loads again); nil when there is no width there.
    public func adjustedWidth(at address: NodeAddress, by delta: Int) -> Int? {
        guard let old = width(at: address) else { return nil }
        let (sum, overflow) = old.addingReportingOverflow(delta)
        return overflow ? (delta > 0 ? LayoutLimits.maxChannels : 1) : LayoutLimits.clampedWidth(sum)
    }

    /// Changes the width at `address` by `delta` (`adjustedWidth`: the `+` / `-` keys). False when
    /// there is no width there or it would not change.
    @discardableResult
    public mutating func adjustWidth(at address: NodeAddress, by delta: Int) -> Bool {
        guard let old = width(at: address), let new = adjustedWidth(at: address, by: delta), new != old else {
            return false
        }
        return setWidth(at: address, to: new)
    }
}
