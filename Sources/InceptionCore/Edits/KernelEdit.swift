/// Changing a conv's kernel while keeping its output size: the `k` key.
///
/// The pad is solved per axis so that floor((n + 2p − k) / s) + 1 stays what it was. With stride 1
/// that is p' = p + (k' − k) / 2 — for the usual "same"-padded conv, (k' − 1) / 2. A kernel whose
/// output size no pad ≥ 0 can keep is refused, as are even kernels (no centred pad exists).
extension Layout {
    /// The kernels the explorer offers: 1, 3, 5, 7 and the one-dimensional 1×n / n×1 (n odd).
    public static let offeredKernels: [Pair] = [
        Pair(1, 1), Pair(3, 3), Pair(5, 5), Pair(7, 7), Pair(1, 3), Pair(3, 1), Pair(1, 5), Pair(5, 1), Pair(1, 7),
        Pair(7, 1),
    ]

    /// Sets the kernel of the conv at `address` to `kernel`, re-solving its pad so its output height
    /// and width stay the same; returns the edit's label ("kernel of inception_3a/3x3/1: 3x3 → 5x5, pad 1 → 2").
    /// - Throws: `DesignError` for a non-conv, an even or non-positive kernel, an unknown input shape,
    ///   or an output size no pad can keep. The layout is unchanged then.
    @discardableResult
    public mutating func setKernel(at address: NodeAddress, to kernel: Pair) throws(DesignError) -> String {
        let conv = try convOrRefuse(at: address, for: "change the kernel")
        let where_ = displayPath(address)
        guard kernel.h >= 1, kernel.w >= 1, kernel.h <= 1_000, kernel.w <= 1_000 else {
            throw DesignError(at: where_, "kernel must be between 1 and 1000 per side, got \(kernel)")
        }
        guard kernel.h % 2 == 1, kernel.w % 2 == 1 else {
            throw DesignError(
                at: where_, "even kernel \(kernel) has no centred pad; use an odd size (1, 3, 5, 7, 1xn, nx1)")
        }
        guard kernel != conv.kernel else { throw DesignError(at: where_, "the kernel is already \(kernel)") }
        guard let stats = Analysis(self).stats(at: address), let input = stats.input, let output = stats.output else {
            throw DesignError(at: where_, "the input shape is unknown (fix the errors above it first)")
        }
        let old = conv.pad.resolved(kernel: conv.kernel)
        guard let ph = Self.solvePad(input.height, output.height, kernel.h, conv.stride.h, near: old.h),
            let pw = Self.solvePad(input.width, output.width, kernel.w, conv.stride.w, near: old.w)
        else {
            throw DesignError(
                at: where_,
                "no pad keeps the \(output.height)x\(output.width) output with a \(kernel) kernel at stride \(conv.stride)"
            )
        }
        var next = conv
        next.kernel = kernel
        let same = conv.stride == Pair(1, 1) && Pair(ph, pw) == Pair((kernel.h - 1) / 2, (kernel.w - 1) / 2)
        next.pad = conv.pad == .same && same ? .same : .explicit(Pair(ph, pw))
        modifyLayer(at: address) { $0.op = .conv(next) }
        return
            "kernel of \(where_): \(conv.kernel) → \(kernel), pad \(Self.padText(old)) → \(Self.padText(Pair(ph, pw)))"
    }

    /// The pad p ≥ 0 (at most k) with floor((n + 2p − k) / s) + 1 == out, closest to `near`; nil when none.
    static func solvePad(_ n: Int, _ out: Int, _ k: Int, _ s: Int, near: Int) -> Int? {
        var best: Int?
        for p in 0...k {
            guard let o = ShapeRules.convOut(n, kernel: k, stride: s, pad: p), o == out else { continue }
            if best.map({ abs(p - near) < abs($0 - near) }) ?? true { best = p }
        }
        return best
    }

    static func padText(_ p: Pair) -> String { p.isSquare ? String(p.h) : "[\(p.h), \(p.w)]" }
}
