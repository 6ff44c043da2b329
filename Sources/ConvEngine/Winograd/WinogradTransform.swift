/// The transform matrices of Winograd's minimal filtering F(m, 3): an m-output, 3-tap 1-D
/// correlation computed from t = m + 2 inputs with t multiplications instead of 3m,
///
///     y = Aᵀ [(G g) ⊙ (Bᵀ d)],
///
/// nested for 2-D tiles as Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A: an m×m output tile from a t×t input tile
/// with t² multiplications per input channel instead of 9m² (F(2,3): 2.25× fewer, F(4,3): 4×,
/// F(6,3): 5.06×). The interpolation points are 0, ±1 (F(2,3)); 0, ±1, ±2, ∞ (F(4,3)); and
/// 0, ±1, ±2, ±½, ∞ (F(6,3)) — Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks"
/// (2016), and the points NNPACK and ncnn use. Larger tiles need larger points, whose powers make
/// the fp32 rounding error grow: F(6,3) loses about an order of magnitude of accuracy against F(4,3).
///
/// The matrices are written out here; the plain twin (`Reference.winogradConv3x3`) multiplies by
/// them as matrices, the fast kernels (`WinogradTransforms`) apply them as hand-expanded sums, and
/// the tests check both against the direct convolution.
public struct WinogradTransform: Sendable, Hashable, CustomStringConvertible {
    /// Output tile size m (per axis).
    public let m: Int
    /// Kernel taps r (3 for the literal matrices below).
    public let r: Int
    /// Bᵀ, t × t.
    public let inputT: [[Double]]
    /// G, t × 3.
    public let kernelG: [[Double]]
    /// Aᵀ, m × t.
    public let outputT: [[Double]]

    /// Input tile size t = m + r − 1 (per axis).
    public var t: Int { m + r - 1 }

    /// "F(4,3)".
    public var description: String { "F(\(m),\(r))" }

    init(m: Int, r: Int = 3, inputT: [[Double]], kernelG: [[Double]], outputT: [[Double]]) {
        self.m = m
        self.r = r
        self.inputT = inputT
        self.kernelG = kernelG
        self.outputT = outputT
    }

    /// The transform for output tile `m` and `r` taps, nil where there is none: F(2,3), F(4,3),
    /// F(6,3); F(2,5), F(4,5); F(2,7), F(4,7); and F(1,1), the identity (the short axis of a 1×n kernel).
    public static func tile(_ m: Int, taps r: Int = 3) -> WinogradTransform? {
        switch (m, r) {
        case (2, 3): f2
        case (4, 3): f4
        case (6, 3): f6
        case (2, 5): f2r5
        case (4, 5): f4r5
        case (2, 7): f2r7
        case (4, 7): f4r7
        case (1, 1): identity
        default: nil
        }
    }

    /// The F(m,3) transforms (the 3×3 kernels' fast path).
    public static let all = [f2, f4, f6]

    /// The identity F(1,1): Bᵀ = G = Aᵀ = [1], for the axis of a 1×n or n×1 kernel that has one tap.
    public static let identity = WinogradTransform(m: 1, r: 1, inputT: [[1]], kernelG: [[1]], outputT: [[1]])

    /// F(2,5) and F(4,5) for 5×5 kernels, F(2,7) for 1×7 / 7×1: built by `cookToom` from the same
    /// points as F(4,3) (t = 6) and F(6,3) (t = 8), so their Bᵀ are those above.
    public static let f2r5 = cookToom(m: 2, r: 5, points: [0, 1, -1, 2, -2])
    public static let f4r5 = cookToom(m: 4, r: 5, points: [0, 1, -1, 2, -2, 0.5, -0.5])
    public static let f2r7 = cookToom(m: 2, r: 7, points: [0, 1, -1, 2, -2, 0.5, -0.5])
    /// F(4,7) for 1×7 / 7×1: 10 multiplications per 4 outputs (F(2,7): 8 per 2), from F(6,3)'s points
    /// and ±¾. Every Bᵀ and Aᵀ entry is then a dyadic fraction (exact in Float). Of the pairs tried
    /// as the extra points (numpy, fp32 products against float64, 128 channels of [0, 1) inputs),
    /// ±¾ and ±0.8 gave the least error, 5–7e-6 (F(2,7): 1.8e-6; ±⅓ and ±¼: 1.8–1.9e-5). It stays a
    /// candidate only where the plan measures it within the per-layer bound.
    public static let f4r7 = cookToom(m: 4, r: 7, points: [0, 1, -1, 2, -2, 0.5, -0.5, 0.75, -0.75])

    /// The Toom–Cook construction of F(m, r) from t − 1 finite points aⱼ and ∞ (Lavin & Gray 2016,
    /// the construction of their wincnn tool): Aᵀ[i][j] = aⱼ^i, G[j][k] = aⱼ^k / Πₗ≠ⱼ (aⱼ − aₗ),
    /// Bᵀ row j = the coefficients of Πₗ≠ⱼ (x − aₗ); the ∞ column / rows pick the last coefficient
    /// (Aᵀ[m−1][t−1] = 1, G[t−1][r−1] = 1, Bᵀ's last row = the coefficients of Πₗ (x − aₗ)).
    public static func cookToom(m: Int, r: Int, points a: [Double]) -> WinogradTransform {
        let t = m + r - 1
        precondition(a.count == t - 1, "F(\(m),\(r)) needs \(t - 1) finite points")
        func product(_ roots: [Double]) -> [Double] {  // coefficients of Π (x − root), low power first
            var c = [1.0]
            for q in roots {
                var next = [Double](repeating: 0, count: c.count + 1)
                for (i, v) in c.enumerated() {
                    next[i] -= q * v
                    next[i + 1] += v
                }
                c = next
            }
            return c
        }
        var at = [[Double]](repeating: [Double](repeating: 0, count: t), count: m)
        var g = [[Double]](repeating: [Double](repeating: 0, count: r), count: t)
        var bt = [[Double]](repeating: [Double](repeating: 0, count: t), count: t)
        for (j, p) in a.enumerated() {
            for i in 0..<m { at[i][j] = pow(p, i) }
            let others = a.enumerated().filter { $0.offset != j }.map(\.element)
            let f = others.reduce(1.0) { $0 * (p - $1) }
            for k in 0..<r { g[j][k] = pow(p, k) / f }
            for (i, c) in product(others).enumerated() { bt[j][i] = c }
        }
        at[m - 1][t - 1] = 1
        g[t - 1][r - 1] = 1
        bt[t - 1] = product(a)
        // Sign convention of the written-out matrices: Bᵀ's first row starts positive (negating a
        // row of Bᵀ and the same row of G leaves every product unchanged). With it, the transforms
        // built from F(4,3)'s and F(6,3)'s points share those Bᵀ exactly, and so their fast code.
        if bt[0][0] < 0 {
            bt[0] = bt[0].map { -$0 }
            g[0] = g[0].map { -$0 }
        }
        return WinogradTransform(m: m, r: r, inputT: bt, kernelG: g, outputT: at)
    }

    private static func pow(_ x: Double, _ n: Int) -> Double { (0..<n).reduce(1.0) { p, _ in p * x } }

    public static let f2 = WinogradTransform(
        m: 2,
        inputT: [
            [1, 0, -1, 0],
            [0, 1, 1, 0],
            [0, -1, 1, 0],
            [0, 1, 0, -1],
        ],
        kernelG: [
            [1, 0, 0],
            [0.5, 0.5, 0.5],
            [0.5, -0.5, 0.5],
            [0, 0, 1],
        ],
        outputT: [
            [1, 1, 1, 0],
            [0, 1, -1, -1],
        ])

    public static let f4 = WinogradTransform(
        m: 4,
        inputT: [
            [4, 0, -5, 0, 1, 0],
            [0, -4, -4, 1, 1, 0],
            [0, 4, -4, -1, 1, 0],
            [0, -2, -1, 2, 1, 0],
            [0, 2, -1, -2, 1, 0],
            [0, 4, 0, -5, 0, 1],
        ],
        kernelG: [
            [1.0 / 4, 0, 0],
            [-1.0 / 6, -1.0 / 6, -1.0 / 6],
            [-1.0 / 6, 1.0 / 6, -1.0 / 6],
            [1.0 / 24, 1.0 / 12, 1.0 / 6],
            [1.0 / 24, -1.0 / 12, 1.0 / 6],
            [0, 0, 1],
        ],
        outputT: [
            [1, 1, 1, 1, 1, 0],
            [0, 1, -1, 2, -2, 0],
            [0, 1, 1, 4, 4, 0],
            [0, 1, -1, 8, -8, 1],
        ])

    public static let f6 = WinogradTransform(
        m: 6,
        inputT: [
            [1, 0, -21.0 / 4, 0, 21.0 / 4, 0, -1, 0],
            [0, 1, 1, -17.0 / 4, -17.0 / 4, 1, 1, 0],
            [0, -1, 1, 17.0 / 4, -17.0 / 4, -1, 1, 0],
            [0, 0.5, 0.25, -2.5, -1.25, 2, 1, 0],
            [0, -0.5, 0.25, 2.5, -1.25, -2, 1, 0],
            [0, 2, 4, -2.5, -5, 0.5, 1, 0],
            [0, -2, 4, 2.5, -5, -0.5, 1, 0],
            [0, -1, 0, 21.0 / 4, 0, -21.0 / 4, 0, 1],
        ],
        kernelG: [
            [1, 0, 0],
            [-2.0 / 9, -2.0 / 9, -2.0 / 9],
            [-2.0 / 9, 2.0 / 9, -2.0 / 9],
            [1.0 / 90, 1.0 / 45, 2.0 / 45],
            [1.0 / 90, -1.0 / 45, 2.0 / 45],
            [32.0 / 45, 16.0 / 45, 8.0 / 45],
            [32.0 / 45, -16.0 / 45, 8.0 / 45],
            [0, 0, 1],
        ],
        outputT: [
            [1, 1, 1, 1, 1, 1, 1, 0],
            [0, 1, -1, 2, -2, 0.5, -0.5, 0],
            [0, 1, 1, 4, 4, 0.25, 0.25, 0],
            [0, 1, -1, 8, -8, 0.125, -0.125, 0],
            [0, 1, 1, 16, 16, 1.0 / 16, 1.0 / 16, 0],
            [0, 1, -1, 32, -32, 1.0 / 32, -1.0 / 32, 1],
        ])

    /// G_h g G_wᵀ for one kernel `g` of h.r × w.r taps (row-major), as an h.t × w.t row-major array.
    public static func transformKernel(_ g: [Double], h: WinogradTransform, w: WinogradTransform) -> [Double] {
        // G_h g: h.t × w.r, then (G_h g) G_wᵀ: h.t × w.t.
        var gg = [Double](repeating: 0, count: h.t * w.r)
        for i in 0..<h.t {
            for j in 0..<w.r {
                for k in 0..<h.r { gg[i * w.r + j] += h.kernelG[i][k] * g[k * w.r + j] }
            }
        }
        var u = [Double](repeating: 0, count: h.t * w.t)
        for i in 0..<h.t {
            for j in 0..<w.t {
                for k in 0..<w.r { u[i * w.t + j] += gg[i * w.r + k] * w.kernelG[j][k] }
            }
        }
        return u
    }

    /// The transforms along height and width for a kh × kw kernel with output tile `m` along each
    /// axis that has more than one tap (nil when there is no such transform).
    public static func pair(
        kernelH kh: Int, kernelW kw: Int, tile m: Int
    ) -> (h: WinogradTransform, w: WinogradTransform)? {
        guard kh > 1 || kw > 1, let h = kh == 1 ? identity : tile(m, taps: kh),
            let w = kw == 1 ? identity : tile(m, taps: kw)
        else { return nil }
        return (h, w)
    }
}
