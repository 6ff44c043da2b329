/// Factorizing a conv into cheaper convs with the same receptive field and output shape: the
/// `f` key of the explorer.
///
/// Two moves from "Rethinking the Inception Architecture" (Szegedy et al. 2015):
/// - figure 5: a 5x5 stride-1 conv becomes two stacked 3x3 convs with a ReLU between
///   (25 → 18 weights per channel pair at equal widths, 28% fewer);
/// - figure 6: a kh×kw stride-1 conv (both sides > 1) becomes a 1×kw conv followed by a kh×1 conv
///   (n² → 2n weights per channel pair; the paper uses n = 7 on 17x17 grids).
///
/// Naming: the first new conv keeps the original layer's name (so its path, and the explorer's
/// selection, stay put) and the second is named `<name>_b` (made unique among its siblings);
/// unnamed layers stay unnamed and are addressed by index as before. Bias and batchnorm flags are
/// carried over to both convs; the first is always ReLU, the second keeps the original activation.
public enum FactorizeStyle: String, Sendable, CaseIterable {
    /// 5x5 → two 3x3; any other kernel → 1×n then n×1.
    case automatic
    /// 5x5 → two 3x3 (figure 5). Only 5x5 convs.
    case stacked3x3
    /// kh×kw → 1×kw then kh×1 (figure 6).
    case asymmetric
}

extension Layout {
    /// Replaces the conv at `address` by two convs with the same output shape; returns the edit's
    /// label for the history ("factorize inception_3a/5x5/1: 5x5 → 3x3 + 3x3 (mid 32)").
    ///
    /// - Parameter intermediate: the first new conv's width (default: `proposedIntermediate(at:)`,
    ///   min(input channels, output width) — the width the large-kernel lint measures, so `f` with
    ///   its default does exactly what the lint proposes).
    /// - Throws: `DesignError` when the address is not a conv, the stride is not 1, the kernel has
    ///   nothing to factorize, or the intermediate width is not positive. The layout is unchanged then.
    @discardableResult
    public mutating func factorize(
        at address: NodeAddress, intermediate: Int? = nil,
        style: FactorizeStyle = .automatic
    ) throws(DesignError) -> String {
        let conv = try convOrRefuse(at: address, for: "factorize")
        guard conv.groups == 1 else {
            throw DesignError(
                at: displayPath(address), "factorize works on dense convs; this one has groups \(conv.groups)")
        }
        let where_ = displayPath(address)
        guard conv.stride == Pair(1, 1) else {
            throw DesignError(at: where_, "factorize needs stride 1, this conv has stride \(conv.stride)")
        }
        let mid = intermediate ?? proposedIntermediate(at: address) ?? conv.out
        guard mid >= 1 else { throw DesignError(at: where_, "intermediate width must be at least 1, got \(mid)") }
        let stacked: Bool
        switch style {
        case .automatic: stacked = conv.kernel == Pair(5, 5)
        case .stacked3x3:
            guard conv.kernel == Pair(5, 5) else {
                throw DesignError(at: where_, "two stacked 3x3 convs replace a 5x5 conv, this one is \(conv.kernel)")
            }
            stacked = true
        case .asymmetric: stacked = false
        }
        let pad = conv.pad.resolved(kernel: conv.kernel)
        let first: Conv, second: Conv, text: String
        if stacked {
            // Two 3x3 with pads q1 + q2 = p per axis give H + 2p − 4, as the 5x5 with pad p does.
            let samePad = conv.pad == .same
            let p1 = samePad ? Padding.same : .explicit(Pair((pad.h + 1) / 2, (pad.w + 1) / 2))
            let p2 = samePad ? Padding.same : .explicit(Pair(pad.h / 2, pad.w / 2))
            first = conv.sibling(out: mid, kernel: Pair(3, 3), pad: p1, activation: .relu)
            second = conv.sibling(out: conv.out, kernel: Pair(3, 3), pad: p2, activation: conv.activation)
            text = "5x5 → 3x3 + 3x3"
        } else {
            guard conv.kernel.h > 1, conv.kernel.w > 1 else {
                throw DesignError(
                    at: where_, "a \(conv.kernel) conv is already one-dimensional; factorize needs both sides > 1")
            }
            // 1×kw with pad [0, pw] keeps H and does the W part; kh×1 with pad [ph, 0] does H.
            first = conv.sibling(
                out: mid, kernel: Pair(1, conv.kernel.w), pad: .explicit(Pair(0, pad.w)), activation: .relu)
            second = conv.sibling(
                out: conv.out, kernel: Pair(conv.kernel.h, 1), pad: .explicit(Pair(pad.h, 0)),
                activation: conv.activation)
            text = "\(conv.kernel) → \(first.kernel) + \(second.kernel)"
        }
        try replace(at: address, with: first, then: second)
        return "factorize \(where_): \(text) (mid \(mid))"
    }

    /// The intermediate width proposed for factorizing the conv at `address`: min(input channels,
    /// output width), at least 1. A wider middle can cost more than the conv it replaces (5x5
    /// 16 -> 32 with a 32-wide middle: 13,824 weights against 12,800), a narrower one never
    /// widens the path. Nil when the address is not a conv with a known input.
    public func proposedIntermediate(at address: NodeAddress, analysis: Analysis? = nil) -> Int? {
        guard case .conv(let conv)? = layer(at: address)?.op,
            let input = (analysis ?? Analysis(self)).stats(at: address)?.input
        else { return nil }
        return max(1, min(input.channels, conv.out))
    }

    /// Puts `first` where the layer at `address` is and `second` right after it in the same list.
    mutating func replace(at address: NodeAddress, with first: Conv, then second: Conv) throws(DesignError) {
        guard let parent = address.parent, let index = address.steps.last,
            var list = layerList(parent: parent), list.indices.contains(index)
        else {
            throw DesignError(at: displayPath(address), "this layer is not in a list of layers")
        }
        let name = list[index].name
        let secondName = name.map { SiblingNames.unique($0 + "_b", among: list.map(\.name)) }
        list[index] = Layer(name: name, .conv(first))
        list.insert(Layer(name: secondName, .conv(second)), at: index + 1)
        setLayerList(parent: parent, list)
    }
}
