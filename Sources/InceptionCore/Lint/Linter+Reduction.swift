/// missing-reduction: a spatial conv that aggregates over a wide input with no 1x1 reduction in
/// front of it (the naive module).
///
/// Candidates: the first layer of a branch of a top-level inception block (it sees the block's
/// whole input), and a top-level conv whose previous layer is not a 1x1 stride-1 conv and whose
/// input has at least reductionMinChannels channels (so an RGB or thin stem is not a case). Convs
/// later in a branch are covered by the branch's head; figure 7's nested 1x3 / 3x1 banks likewise.
/// It fires when a 1x1 reduction to R = `Layout.reductionWidth` (max(1, in / 4), what the `x` key
/// inserts) would cut the weights at least minReductionSaving times: in*k*out vs in*R + R*k*out
/// (k = kh*kw). A grouped conv (groups > 1; Xception's depthwise 3x3) is no candidate: its weights
/// are in·k·out/groups, not in·k·out, it is itself the cheap half of a factorization, and the `x`
/// move it would suggest refuses it ("a reduction goes before a dense conv").
extension Linter {
    func missingReductions() -> [Lint] {
        var out: [Lint] = []
        for (s, conv) in mainPathConvs() {
            guard !conv.isPointwise, conv.groups == 1, let input = s.input, isReductionCandidate(s, conv, input) else {
                continue
            }
            let cin = input.channels, r = Layout.reductionWidth(inputChannels: cin)
            guard let k = Checked.mul(conv.kernel.h, conv.kernel.w), let naive = Checked.product(cin, k, conv.out),
                let reduced = Self.reducedWeights(cin, r, k, conv.out), reduced > 0
            else { continue }
            let factor = Double(naive) / Double(reduced)
            guard factor >= options.minReductionSaving else { continue }
            out.append(
                Lint(
                    id: .missingReduction, path: s.path, address: s.address,
                    measured:
                        "\(conv.kernel) conv on \(cin) channels -> \(conv.out): \(cin)*\(k)*\(conv.out) = \(Self.grouped(naive)) weights; "
                        + "with a 1x1 to \(r) first: \(cin)*\(r) + \(r)*\(k)*\(conv.out) = \(Self.grouped(reduced)) "
                        + "(\(NumberFormat.fixed(factor, decimals: 2))x fewer, same output)",
                    suggestion: "insert a 1x1 reduction (x) to \(r) channels, or to a width you choose"))
        }
        return out
    }

    private func isReductionCandidate(_ s: NodeStats, _ conv: Conv, _ input: Shape) -> Bool {
        let steps = s.address.steps
        if steps.count == 1 {
            guard input.channels >= options.reductionMinChannels else { return false }
            if let i = steps.first, i > 0, case .conv(let prev)? = layout.layers.element(at: i - 1)?.op,
                prev.isPointwise, prev.stride == Pair(1, 1)
            {
                return false
            }
            return true
        }
        // [block, branch, 0] with the block at the top level.
        return steps.count == 3 && steps[2] == 0 && layout.layers.element(at: steps[0])?.op.block != nil
    }

    /// in·R + R·k·out, nil past 64 bits (then the lint does not fire: no figure would be honest).
    static func reducedWeights(_ cin: Int, _ r: Int, _ k: Int, _ out: Int) -> Int? {
        guard let a = Checked.mul(cin, r), let b = Checked.product(r, k, out) else { return nil }
        return Checked.add(a, b)
    }
}
