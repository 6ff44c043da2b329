/// residual-scaling: Szegedy et al. 2016 (Inception-v4, Inception-ResNet and the Impact of Residual
/// Connections on Learning), section 3.3: with more than about 1,000 filters the residual variants
/// "started to exhibit instabilities" unless the residuals were scaled down, by factors between 0.1
/// and 0.3, before being added to the previous layer's activation.
///
/// Fires at a sum block (anywhere on the main path) whose output has more than `residualChannels`
/// channels, once per residual branch — one with layers; the identity shortcut is the "previous
/// layer activation" — whose scale is above `maxResidualScale`. In a sum without an identity branch,
/// a projection shortcut (one 1x1 conv with no activation, batchnorm allowed: Xception's and
/// ResNet's strided skip) is that activation instead, not a residual.
extension Linter {
    func residualScalings() -> [Lint] {
        var out: [Lint] = []
        for s in analysis.nodes where !s.aux && s.op == .inception {
            guard let block = layout.layer(at: s.address)?.op.block, block.join.kind == .sum,
                let channels = s.output?.channels, channels > options.residualChannels
            else { continue }
            let hasIdentity = block.branches.contains { $0.layers.isEmpty }
            for (b, branch) in block.branches.enumerated()
            where !branch.layers.isEmpty && (hasIdentity || !Self.isProjection(branch))
                && branch.scale > options.maxResidualScale
            {
                let address = s.address.appending(b)
                let path = analysis.stats(at: address)?.path ?? s.path
                out.append(
                    Lint(
                        id: .residualScaling, path: path, address: address,
                        measured:
                            "residual branch summed at scale \(JSONValue.numberText(branch.scale)) into \(Self.grouped(channels)) channels "
                            + "(over \(Self.grouped(options.residualChannels)))",
                        suggestion:
                            "scale the branch by 0.1-0.3 (\"scale\" on the branch; Inception-ResNet uses 0.17, 0.10, 0.20)"
                    ))
            }
        }
        return out
    }

    /// One 1x1 conv without activation (batchnorm allowed): a projection shortcut.
    static func isProjection(_ branch: Branch) -> Bool {
        guard branch.layers.count == 1, case .conv(let c) = branch.layers[0].op else { return false }
        return c.kernel == Pair(1, 1) && c.activation == .none
    }
}
