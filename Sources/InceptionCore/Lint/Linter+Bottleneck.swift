/// Representational bottlenecks on the main path.
///
/// A top-level layer or block fires when its output C*H*W falls below `bottleneckFraction` of its
/// input's, measured on the stride grid: the spatial factor is 1 / (stride_h * stride_w) (a block's
/// stride is its largest branch stride product), so the border pixels a valid window drops do not
/// count — a 3x3/2 pool on 147x147 (to 73x73, 0.2466 of the cells) is the 1/4 it is meant to be.
/// Layers inside branches are not checked: a 1x1 reduction there is a deliberate squeeze
/// (principle 3). The classifier head (output 1x1) is not checked: global pooling is the end of the
/// representation, not a bottleneck in it. Separately, any main-path conv or pool with a stride of
/// `maxStride` or more fires (the notes' "no 7x7 stride 5 at the start").
extension Linter {
    func bottlenecks() -> [Lint] {
        let top = topLevel()
        var out: [Lint] = []
        for (position, s) in top.enumerated() {
            guard let input = s.input, let output = s.output, (Checked.mul(output.height, output.width) ?? .max) > 1,
                let layer = layout.layer(at: s.address)
            else { continue }
            let stride = Self.strideProduct(layer)
            let inSize = Double(input.channels) * Double(input.height) * Double(input.width)
            let outSize = Double(output.channels) * Double(output.height) * Double(output.width)
            let nominal = Double(output.channels) / Double(input.channels) / (Double(stride.h) * Double(stride.w))
            let bigStride =
                Self.maxLeafStride(layer) >= options.maxStride
                && (layer.op.kind == .conv || layer.op.kind == .maxpool || layer.op.kind == .avgpool)
            guard nominal < options.bottleneckFraction || bigStride else { continue }
            let third = top.count / 3
            let when = position < max(1, third) ? "early" : position >= top.count - third ? "late" : "mid-network"
            var measured =
                "C*H*W \(input) = \(Self.elements(input)) -> \(output) = \(Self.elements(output)) "
                + "(\(Self.ratio(outSize / inSize)) of its input; \(Self.ratio(nominal)) on the stride grid)"
            if bigStride {
                measured +=
                    "; stride \(stride) squeezes H*W \(Checked.mul(stride.h, stride.w).map(Self.grouped) ?? NumberFormat.scientific(Double(stride.h) * Double(stride.w)))x at once"
            }
            measured += "; top-level layer \(position + 1) of \(top.count) (\(when))"
            out.append(
                Lint(
                    id: .bottleneck, path: s.path, address: s.address, measured: measured,
                    suggestion: bigStride
                        ? "reduce the grid in steps (stride 2, twice) with more channels, as GoogLeNet's stem does"
                        : "grow the channels where the grid shrinks (e.g. a strided conv branch beside the pool, "
                            + "Rethinking figure 10), or shrink less at once"))
        }
        return out
    }

    /// The spatial stride a layer applies to the main path: its own stride, or for a block the
    /// largest product of strides along any branch.
    static func strideProduct(_ layer: Layer) -> Pair {
        if let branches = layer.op.block?.branches {
            var best = Pair(1, 1)
            for b in branches {
                var s = Pair(1, 1)
                for l in b.layers {
                    let t = strideProduct(l)
                    s = Pair(Checked.saturatingMul(s.h, t.h), Checked.saturatingMul(s.w, t.w))
                }
                if Double(s.h) * Double(s.w) > Double(best.h) * Double(best.w) { best = s }
            }
            return best
        }
        return layer.op.leaf?.stride ?? Pair(1, 1)
    }

    /// C·H·W of `shape` exactly, or to 3 digits past 64 bits ("2.36e+21").
    static func elements(_ shape: Shape) -> String {
        Checked.product(shape.channels, shape.height, shape.width).map(grouped)
            ?? NumberFormat.scientific(Double(shape.channels) * Double(shape.height) * Double(shape.width))
    }

    static func maxLeafStride(_ layer: Layer) -> Int {
        let s = layer.op.leaf?.stride ?? Pair(1, 1)
        return max(s.h, s.w)
    }
}
