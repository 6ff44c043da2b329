/// The two factorization lints: where 1 x n / n x 1 stacks sit, and which large kernels would be
/// cheaper factorized.
extension Linter {
    /// factorization-grid: a stack of one-dimensional convs (a 1 x n next to an n x 1 in the same
    /// list, figure 6) on an input grid outside gridMin...gridMax. Reported once per stack, at its
    /// first conv. Figure 7's 1x3 and 3x1 side by side in separate branches (the expanded filter
    /// bank on the coarsest grid) is not a stack and is not checked.
    func factorizationGrids() -> [Lint] {
        var out: [Lint] = []
        for (s, conv) in mainPathConvs() {
            guard let orientation = Self.oneDimensional(conv), let input = s.input,
                let parent = s.address.parent, let index = s.address.steps.last,
                let list = layout.layerList(parent: parent)
            else { continue }
            // Only the first conv of a stack: the previous sibling is not the transposed kind.
            if index > 0, case .conv(let prev) = list[index - 1].op, let o = Self.oneDimensional(prev), o != orientation
            {
                continue
            }
            var stack = [conv]
            var i = index + 1
            while i < list.count, case .conv(let next) = list[i].op, let o = Self.oneDimensional(next),
                let last = stack.last.flatMap(Self.oneDimensional), o != last
            {
                stack.append(next)
                i += 1
            }
            guard stack.count >= 2 else { continue }
            let grid = (input.height, input.width)
            let inRange = (options.gridMin...options.gridMax)
            guard !inRange.contains(grid.0) || !inRange.contains(grid.1) else { continue }
            let kernels = stack.map { $0.kernel.description }.joined(separator: " + ")
            out.append(
                Lint(
                    id: .factorizationGrid, path: s.path, address: s.address,
                    measured:
                        "\(kernels) on a \(grid.0)x\(grid.1) grid (medium grids: \(options.gridMin)...\(options.gridMax))",
                    suggestion: grid.0 > options.gridMax
                        ? "use square kernels (or two 3x3) here and factorize after the grid is reduced to \(options.gridMax)x\(options.gridMax) or less"
                        : "on a grid this small use square 3x3 convs, or figure 7's 1x3 and 3x1 side by side"))
        }
        return out
    }

    /// 1 for a 1 x n conv, 2 for an n x 1 conv (n > 1), nil otherwise.
    static func oneDimensional(_ c: Conv) -> Int? {
        if c.kernel.h == 1 && c.kernel.w > 1 { return 1 }
        if c.kernel.w == 1 && c.kernel.h > 1 { return 2 }
        return nil
    }

    /// large-kernel: a square stride-1 conv of 5x5 or larger whose factorization (`f`: 5x5 -> two 3x3,
    /// n x n -> 1 x n + n x 1) with `Layout.proposedIntermediate` (min(in, out), what `f` proposes)
    /// saves at least minFactorizeSaving of its params. The saving is measured by doing the edit on a
    /// one-layer network with the conv's input and analysing it, so the figures are exactly what
    /// pressing `f` with that width gives (the two new convs' figures depend only on the conv and its
    /// input), at a cost independent of the layout's size — editing and re-analysing a copy of the
    /// whole layout per candidate was quadratic on a block of many 5x5 branches.
    func largeKernels() -> [Lint] {
        var out: [Lint] = []
        for (s, conv) in mainPathConvs() {
            guard conv.kernel.isSquare, conv.kernel.h >= 5, conv.stride == Pair(1, 1), let input = s.input,
                s.output != nil
            else { continue }
            guard let mid = layout.proposedIntermediate(at: s.address, analysis: analysis),
                let layer = layout.layer(at: s.address)
            else { continue }
            var alone = Layout(name: "lint", input: input, layers: [layer])
            guard (try? alone.factorize(at: NodeAddress([0]), intermediate: mid)) != nil else { continue }
            let after = Analysis(alone, batch: analysis.batch)
            guard let a = after.stats(at: NodeAddress([0])), let b = after.stats(at: NodeAddress([1])) else { continue }
            guard let paramsAfter = Checked.add(a.params, b.params), let macsAfter = Checked.add(a.macs, b.macs) else {
                continue
            }
            let params = Change(before: s.params, after: paramsAfter)
            let macs = Change(before: s.macs, after: macsAfter)
            let saving = 1 - Double(params.after) / Double(max(1, params.before))
            guard saving >= options.minFactorizeSaving else { continue }
            let n = conv.kernel.h
            let stacked = n == 5
            let form = stacked ? "two 3x3" : "1x\(n) + \(n)x1"
            let equalWidths = stacked ? 1 - 18.0 / 25.0 : 1 - 2.0 / Double(n)
            let equalText = stacked ? "1 - 18/25" : "1 - 2/\(n)"
            let kk = stacked ? 9 : n
            let arithmetic: String
            if let nn = Checked.mul(n, n), let w0 = Checked.product(input.channels, nn, conv.out),
                let w1 = Checked.product(input.channels, kk, mid), let w2 = Checked.product(mid, kk, conv.out),
                let w12 = Checked.add(w1, w2)
            {
                arithmetic =
                    "\(input.channels)*\(nn)*\(conv.out) = \(Self.grouped(w0)) weights vs "
                    + "\(input.channels)*\(kk)*\(mid) + \(mid)*\(kk)*\(conv.out) = \(Self.grouped(w12))"
            } else {
                arithmetic = "weights too large to show"
            }
            out.append(
                Lint(
                    id: .largeKernel, path: s.path, address: s.address,
                    measured:
                        "\(conv.kernel) \(input.channels) -> \(conv.out) on \(input.height)x\(input.width): as \(form) with "
                        + "intermediate width \(mid): \(arithmetic); params \(params.text(arrow: "->")), MACs \(macs.text(arrow: "->")) "
                        + "(at equal widths \(equalText) = \(Self.pct(equalWidths)) fewer)",
                    suggestion: "factorize (f) into \(form) with intermediate width \(mid)"))
        }
        return out
    }
}
