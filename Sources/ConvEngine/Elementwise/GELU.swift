/// GELU, exact form: gelu(x) = x · Φ(x) = x · ½ · erfc(−x / √2), sixteen lanes at a time.
///
/// Written through erfc rather than 1 + erf so it keeps its relative accuracy where Φ(x) is tiny
/// (x ≪ 0: 1 + erf(z) in float loses every digit below 6e-8, e.g. 4% of gelu(−5)); torch's float
/// `1 + erf` is itself off there by up to that much (absolutely ≤ 3e-8 · |x|). Measured against the
/// Double `erf`/`erfc` of the C library on a dense grid over [−14, 14] (`GELUTests`): relative
/// error below 1e-6 wherever the result is a normal float.
///
/// erfc(t), t ≥ 0, is Numerical Recipes' Chebyshev fit (Press et al., *Numerical Recipes in C*,
/// 2nd ed., §6.2, `erfcc`; fractional error < 1.2e-7 everywhere): with u = 1 / (1 + t/2),
/// erfc(t) = u · exp(−t² − 1.26551223 + u·(1.00002368 + u·(0.37409196 + …))). For large t the
/// exponent's −t² is carried as a rounded part and its rounding error (`fma`), so exp's argument
/// loses nothing to rounding even at t = 9 (where −t² is −81).
@inline(__always)
func geluVector(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let e = erfcOfHalfSquare(x)  // erfc(|x| / √2)
    // x ≥ 0: Φ = 1 − ½ erfc(|x|/√2); x < 0: Φ = ½ erfc(|x|/√2).
    let phi = (0.5 * e).replacing(with: 1 - 0.5 * e, where: x .>= 0)
    return x * phi
}

/// erfc(t) for t = |x| / √2 (fractional error ~1.2e-7 plus float rounding), subnormal or 0 where
/// it underflows. t² = x² / 2 is taken from x exactly (x·x as a rounded part and its error, by
/// `fma`, then halved), not from a rounded t: a rounded t's relative error 6e-8 becomes 2t² · 6e-8
/// in erfc (1e-5 at x = −12, measured).
@inline(__always)
func erfcOfHalfSquare(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let ax = x.replacing(with: -x, where: x .< 0)
    let u = reciprocal(SIMD16<Float>(repeating: 1).addingProduct(ax, SIMD16(repeating: 0.353_553_39)))  // 1 / (1 + t/2)
    // Horner steps written out, one FMA each (no array of coefficients to fold away).
    var p = SIMD16<Float>(repeating: 0.170_872_77)
    p = SIMD16(repeating: -0.822_152_23).addingProduct(p, u)
    p = SIMD16(repeating: 1.488_515_87).addingProduct(p, u)
    p = SIMD16(repeating: -1.135_203_98).addingProduct(p, u)
    p = SIMD16(repeating: 0.278_868_07).addingProduct(p, u)
    p = SIMD16(repeating: -0.186_288_06).addingProduct(p, u)
    p = SIMD16(repeating: 0.096_784_18).addingProduct(p, u)
    p = SIMD16(repeating: 0.374_091_96).addingProduct(p, u)
    p = SIMD16(repeating: 1.000_023_68).addingProduct(p, u)
    p = SIMD16(repeating: -1.265_512_23).addingProduct(p, u)
    // t² = hi + lo exactly: x·x = sq + (fma(x, x, −sq)), both halved.
    let sq = ax * ax
    let hi = 0.5 * sq
    let lo = 0.5 * (-sq).addingProduct(ax, ax)
    // a = −hi + p, with its rounding error carried separately (TwoSum).
    let a = p - hi
    let bb = a - p
    let err = (p - (a - bb)) + (-hi - bb)
    return u * vectorExp(a) * (1 + (err - lo))
}

/// e^a, sixteen lanes, to about 1 ulp for a in [−87, 88], gradually underflowing below (as a
/// subnormal float) down to −103.9, 0 under that; callers pass a ≤ 0.
///
/// a = k·ln2 + r with k = round(a / ln2) and |r| ≤ ln2 / 2 (ln2 in two parts, Cody–Waite, so r is
/// exact); e^r by its Taylor series to r⁷ (remainder ≤ 0.347⁸ / 8! ≈ 5e-9); 2^k from the exponent
/// bits, in two steps (2^(k+64) · 2^−64) where 2^k itself is not a normal float. k is rounded with
/// the 1.5·2²³ trick, not `rounded()`, which runs lane by lane here.
@inline(__always)
func vectorExp(_ a0: SIMD16<Float>) -> SIMD16<Float> {
    let a = a0.replacing(with: -103.9, where: a0 .< -103.9).replacing(with: 88, where: a0 .> 88)
    let magic = SIMD16<Float>(repeating: 12_582_912)  // 1.5 · 2²³
    let kk = (a * 1.442_695_04) + magic
    let k = kk - magic
    var r = a.addingProduct(k, SIMD16<Float>(repeating: -0.693_145_751_953_125))
    r = r.addingProduct(k, SIMD16<Float>(repeating: -1.428_606_765_330_187e-6))
    var p = SIMD16<Float>(repeating: 1.0 / 5040)
    p = SIMD16(repeating: 1.0 / 720).addingProduct(p, r)
    p = SIMD16(repeating: 1.0 / 120).addingProduct(p, r)
    p = SIMD16(repeating: 1.0 / 24).addingProduct(p, r)
    p = SIMD16(repeating: 1.0 / 6).addingProduct(p, r)
    p = SIMD16(repeating: 0.5).addingProduct(p, r)
    p = SIMD16(repeating: 1).addingProduct(p, r)
    p = SIMD16(repeating: 1).addingProduct(p, r)
    let small = a .< -80
    var kBits = unsafeBitCast(kk, to: SIMD16<Int32>.self) &- 0x4B40_0000
    kBits.replace(with: kBits &+ 64, where: small)
    let scale = unsafeBitCast((kBits &+ 127) &<< 23, to: SIMD16<Float>.self)
    var e = p * scale
    e.replace(with: e * 0x1p-64, where: small)
    return e.replacing(with: 0, where: a0 .< -103.9)
}

/// 1/d for d in [1, 2^60] (here 1 + t/2 ≥ 1), to float precision without a division (a 512-bit
/// divide is one every ~16 cycles; this is 7 FMA-class ops): the bit-level estimate 0x7EF311C3 − bits
/// (relative error ≤ 12%), then three Newton steps y ← y · (2 − d·y), each squaring the error
/// (1.4e-2 → 2e-4 → 4e-8).
@inline(__always)
func reciprocal(_ d: SIMD16<Float>) -> SIMD16<Float> {
    var y = unsafeBitCast(
        SIMD16<UInt32>(repeating: 0x7EF3_11C3) &- unsafeBitCast(d, to: SIMD16<UInt32>.self),
        to: SIMD16<Float>.self)
    for _ in 0..<3 { y = y * SIMD16(repeating: 2).addingProduct(-d, y) }
    return y
}
