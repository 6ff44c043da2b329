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
    /// Bᵀ, t × t.
    public let inputT: [[Double]]
    /// G, t × 3.
    public let kernelG: [[Double]]
    /// Aᵀ, m × t.
    public let outputT: [[Double]]

    /// Input tile size t = m + 2 (per axis).
    public var t: Int { m + 2 }

    /// "F(4,3)".
    public var description: String { "F(\(m),3)" }

    /// The transform for output tile `m` (2, 4 or 6), nil for others.
    public static func tile(_ m: Int) -> WinogradTransform? {
        switch m {
        case 2: f2
        case 4: f4
        case 6: f6
        default: nil
        }
    }

    public static let all = [f2, f4, f6]

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

    /// G g Gᵀ for one 3×3 kernel `g` (row-major, 9 values), as a t × t row-major array, in Double.
    public func transformKernel(_ g: [Double]) -> [Double] {
        // Gg: t × 3, then (Gg) Gᵀ: t × t.
        var gg = [Double](repeating: 0, count: t * 3)
        for i in 0..<t {
            for j in 0..<3 {
                for k in 0..<3 { gg[i * 3 + j] += kernelG[i][k] * g[k * 3 + j] }
            }
        }
        var u = [Double](repeating: 0, count: t * t)
        for i in 0..<t {
            for j in 0..<t {
                for k in 0..<3 { u[i * t + j] += gg[i * 3 + k] * kernelG[j][k] }
            }
        }
        return u
    }
}
