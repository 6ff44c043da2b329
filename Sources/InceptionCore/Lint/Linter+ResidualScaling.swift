/// residual-scaling: Szegedy et al. 2016 (Inception-v4, Inception-ResNet and the Impact of Residual
/// Connections on Learning), section 3.3: with more than about 1,000 filters the residual variants
/// "started to exhibit instabilities" unless the residuals were scaled down, by factors between 0.1
/// and 0.3, before being added to the previous layer's activation.
///
/// Fires at a sum block (anywhere on the main path) whose output has more than `residualChannels`
/// channels, once per residual branch — one with layers; the identity shortcut is the "previous
/// layer activation" — whose scale is above `maxResidualScale`.
extension Linter {
    func residualScalings() -> [Lint] {
        var out: [Lint] = []
        for s in analysis.nodes where !s.aux && s.op == .inception {
            guard let block = layout.layer(at: s.address)?.op.block, block.join.kind == .sum,
                  let channels = s.output?.channels, channels > options.residualChannels else { continue }
            for (b, branch) in block.branches.enumerated() where !branch.layers.isEmpty && branch.scale > options.maxResidualScale {
                let address = s.address.appending(b)
                let path = analysis.stats(at: address)?.path ?? s.path
                out.append(Lint(id: .residualScaling, path: path, address: address,
                                measured: "residual branch summed at scale \(JSONValue.numberText(branch.scale)) into \(Self.grouped(channels)) channels "
                                    + "(over \(Self.grouped(options.residualChannels)))",
                                suggestion: "scale the branch by 0.1-0.3 (\"scale\" on the branch; Inception-ResNet uses 0.17, 0.10, 0.20)"))
            }
        }
        return out
    }
}
