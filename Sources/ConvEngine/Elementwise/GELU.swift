/// GELU, exact (erf) form: gelu(x) = x · Φ(x) = x · ½ · (1 + erf(x / √2)), sixteen lanes at a time,
/// as torch's `nn.GELU()` (approximate = "none") and ONNX's `Gelu` define it — not the tanh form.
///
/// Φ(x) − ½ = ½ erf(x / √2), an odd function, is a rational t(x) = x · P(x²) / Q(x²), P and Q of
/// degree 5, fitted near-minimax for absolute error on [0, C], C = 5.6 (`scripts/fit-gelu-erf.py`,
/// which also replays this float evaluation: fit error 9.3e-9 in doubles). Past ±C two blends give
/// gelu(x < −C) = 0 and gelu(x > C) = x, off by at most |x| · Φ(−5.6) = 1.1e-8 · |x| < 2⁻²⁶ · |x|
/// (torch's float formula also gives exactly x and 0 there). Every coefficient is positive, so
/// Horner on s = x² ≥ 0 never cancels. Cost: 19 instructions a vector — 10 FMAs, one division, two
/// compares (their masks drive both blends), x², x · P, ½ + t, max(·, 0), the masked product and
/// move; no exp, no table, no clamp (the rational's value past ±C, even inf / inf for huge x, is
/// blended away). The erfc + exp form it replaces was ~100 instructions, ~55 cycles a vector.
///
/// Accuracy contract (`ElementwiseTests`): |gelu~(x) − gelu(x)| ≤ 2⁻²² · |x|, four float ulps of
/// |x|, over the whole float line. The error of x · (½ + t̃) is |x| · |t̃ − t| plus the roundings of
/// ½ + t̃ and of the product, so it scales with |x|. The bound is the reference's own float budget:
/// torch's `x * 0.5 * (1 + erf(x * (1/√2)))` rounds x / √2 (≤ 0.24 · 2⁻²⁴ in Φ, through erf′), erf
/// (glibc's erff ≤ 1 ulp: ½ · 2⁻²⁴ in Φ), 1 + erf (½ · 2⁻²⁴ in Φ) and the product (2⁻²⁴ · |gelu|):
/// 2.24 · 2⁻²⁴ · |x| a priori; torch's vectorised CPU `nn.GELU()` itself measures 3.1e-7 · |x| =
/// 5.2 · 2⁻²⁴ · |x| (float32 on [−8, 8] by 1/2048, against mpmath). Four ulps lies between the two:
/// as close to the exact value as torch is. Here: the fit (≤ 2⁻²⁶), the float Horner steps, x · P
/// and the division (relative errors on |t| ≤ ½, ~13 roundings), ½ + t (2⁻²⁵), the product
/// (2⁻²⁴ · |gelu|): measured 2.02e-7 · |x| = 3.4 · 2⁻²⁴ · |x| (the test and the script's replay agree).
///
/// What this gives up against the erfc + exp form: relative accuracy in the deep negative tail. The
/// absolute error of Φ̃ is ~1e-7 however small Φ is, so the relative error of gelu grows as Φ(x)
/// shrinks: 1e-4 at x = −3, 1% at −4, over 100% from −5 (gelu is under 1.5e-6 in magnitude there;
/// the result keeps its sign: Φ̃ is held at ≥ 0), and below −5.6, where gelu is under 6e-8 in magnitude, it
/// is returned as 0. torch has no such digits either: its float `1 + erf` is exactly 0 from x ≈
/// −5.42 and its vectorised `nn.GELU()` is 22% off at −5, 100% at −5.5. What the engine
/// promises is agreement with torch, within 1e-5 per layer.
@inline(__always)
func geluVector(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let c = SIMD16<Float>(repeating: 5.6)
    // Not clamped: past ±C the rational's value (even inf / inf = NaN for huge x) is replaced below.
    let s = x * x
    // Horner steps written out, one FMA each, P and Q interleaved so the two chains overlap.
    var p = SIMD16<Float>(repeating: 2.214_533_4e-8)
    var q = SIMD16<Float>(repeating: 1.180_212_6e-6)
    p = SIMD16(repeating: 6.356_531_7e-6).addingProduct(p, s)
    q = SIMD16(repeating: 7.510_187_4e-5).addingProduct(q, s)
    p = SIMD16(repeating: 1.738_505_7e-4).addingProduct(p, s)
    q = SIMD16(repeating: 1.912_977_2e-3).addingProduct(q, s)
    p = SIMD16(repeating: 4.707_258_2e-3).addingProduct(p, s)
    q = SIMD16(repeating: 2.894_007_8e-2).addingProduct(q, s)
    p = SIMD16(repeating: 3.437_608_9e-2).addingProduct(p, s)
    q = SIMD16(repeating: 2.528_337_8e-1).addingProduct(q, s)
    p = SIMD16(repeating: 3.989_422_3e-1).addingProduct(p, s)
    q = SIMD16(repeating: 1).addingProduct(q, s)
    let t = x * p / q  // Φ(x) − ½ on [−C, C]
    // Φ̃ ≥ 0 (a blend, one vmaxps): in the tail, t's few-ulp error would otherwise outweigh ½ + t
    // (under 1.5e-7 there) and turn gelu positive for some x < 0 (measured: 1558 of 2¹⁹ points on
    // [−8, 0)). ½ + t is exact there (Sterbenz); above 0 it rounds once more (2⁻²⁵, within budget).
    let phi = (0.5 + t).replacing(with: 0, where: 0.5 + t .< 0)
    let y = x * phi
    // Past ±C, what float Φ is there (1 − Φ(C) is under half an ulp of 1): 0 and x. (The rational
    // at ±C is a few ulps off 0 and 1, which x would scale up; beyond, it is not Φ at all.)
    return y.replacing(with: 0, where: x .< -c).replacing(with: x, where: x .> c)
}
