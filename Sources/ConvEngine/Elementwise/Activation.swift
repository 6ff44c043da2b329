/// The activation an op applies to its results as it stores them: none, ReLU, or GELU in its exact
/// (erf) form, as torch's `nn.GELU()` (approximate = "none") and ONNX's `Gelu` / the exporter's
/// `Erf` chain `x · 0.5 · (1 + erf(x / √2))` compute it.
public enum Activation: Hashable, Sendable, CustomStringConvertible {
    case none
    case relu
    case gelu

    public var description: String {
        switch self {
        case .none: "none"
        case .relu: "relu"
        case .gelu: "gelu"
        }
    }

    /// The activation of 16 values. A blend for ReLU, not pointwiseMax (lane by lane here).
    @inline(__always)
    func apply(_ v: SIMD16<Float>) -> SIMD16<Float> {
        switch self {
        case .none: v
        case .relu: v.replacing(with: 0, where: v .< SIMD16<Float>())
        case .gelu: geluVector(v)
        }
    }
}
