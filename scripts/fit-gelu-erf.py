#!/usr/bin/env python3
"""Fits the rational approximation behind `geluVector` (Sources/ConvEngine/Elementwise/GELU.swift).

    Φ(x) − ½ = ½·erf(x/√2) ≈ x · P(x²) / Q(x²)   on 0 ≤ x ≤ C,  P of degree 5, Q of degree 5, Q(0) = 1

(an odd function, so the fit on [0, C] holds on [−C, C]). C = 5.6: Φ(−5.6) = 1.07e-8 < 2⁻²⁶, so
gelu(x) = 0 below −C and Φ(x) = 1 above C (both below float resolution of Φ).

Method: the near-minimax rational fit by Loeb's linearisation (minimise |x·P − f·Q| / |Q_prev|)
with Lawson's iteratively reweighted least squares on 3000 Chebyshev points, in doubles against
mpmath's erf (30 digits). Then the coefficients are rounded to float32 and the float evaluation
the Swift code does (Horner by FMA, one division, x · max(½ + t, 0), the blends past ±C) is replayed in float32 on a dense
grid to report the error of Φ that the Swift code will actually have.

Needs numpy and mpmath (/work/venv). Prints the Swift constants. Run: python3 scripts/fit-gelu-erf.py
"""
import mpmath
import numpy as np

mpmath.mp.dps = 30
C = 5.6
M, N = 5, 5  # degrees of P and Q in s = x²
POINTS = 3000


def half_erf(x):
    """Φ(x) − ½ in double, from mpmath's erf at 30 digits."""
    return np.array([float(mpmath.erf(mpmath.mpf(v) / mpmath.sqrt(2)) / 2) for v in x])


def fit(x, f):
    u = (x / C) ** 2  # fitted in u = s / C² (well conditioned), converted to s at the end
    q_prev = np.ones_like(x)
    best = None
    for _ in range(30):  # Loeb: reweight by the previous denominator
        w = np.ones_like(x) / len(x)
        for _ in range(80):  # Lawson: weights grow where the error is largest
            a = np.hstack([x[:, None] * u[:, None] ** np.arange(M + 1), -f[:, None] * u[:, None] ** np.arange(1, N + 1)])
            a /= q_prev[:, None]
            sw = np.sqrt(w)
            sol, *_ = np.linalg.lstsq(a * sw[:, None], (f / q_prev) * sw, rcond=None)
            p, q = sol[: M + 1], np.concatenate([[1.0], sol[M + 1 :]])
            qu = np.polyval(q[::-1], u)
            e = np.abs(x * np.polyval(p[::-1], u) / qu - f)
            w = w * e
            w /= w.sum()
        q_prev = qu
        if best is None or e.max() < best[0]:
            best = (e.max(), p.copy(), q.copy())
    err, p, q = best
    scale = (C * C) ** -np.arange(max(M, N) + 1)
    return err, p * scale[: M + 1], q * scale[: N + 1]


def f32(v):
    return np.float32(v)


def fma32(a, b, c):
    """float32 fma: a·b is exact in double; one rounding of the sum (as double, then float)."""
    return (a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)).astype(np.float32)


def gelu32(x, p32, q32):
    """The Swift evaluation, step by step in float32 (no clamp: past ±C the blends replace it)."""
    xc = x
    s = (xc * xc).astype(np.float32)
    pp = np.full_like(s, p32[-1])
    for k in range(M - 1, -1, -1):
        pp = fma32(pp, s, np.full_like(s, p32[k]))
    qq = np.full_like(s, q32[-1])
    for k in range(N - 1, -1, -1):
        qq = fma32(qq, s, np.full_like(s, q32[k]))
    t = ((xc * pp).astype(np.float32) / qq).astype(np.float32)
    phi = np.maximum((f32(0.5) + t).astype(np.float32), f32(0))
    y = (x * phi).astype(np.float32)
    return np.where(x < f32(-C), f32(0), np.where(x > f32(C), x, y)), t


def main():
    cheb = np.cos(np.pi * (np.arange(POINTS) + 0.5) / POINTS)
    x = np.sort(C * (cheb + 1) / 2)
    err, p, q = fit(x, half_erf(x))
    q_min = np.polyval(q[::-1], np.linspace(0, C * C, 10001)).min()
    print(f"fit in double: max |x·P/Q − (Φ − ½)| = {err:.3e} on [0, {C}], min Q = {q_min:.3g} (no pole)")
    p32, q32 = p.astype(np.float32), q.astype(np.float32)

    grid = np.arange(-8.0, 8.0, 1 / 4096).astype(np.float32)
    np.seterr(over="ignore", invalid="ignore")  # x² / the rational past ±C: replaced by the blends
    exact_half = half_erf(grid.astype(np.float64))
    y, t = gelu32(grid, p32, q32)
    inside = np.abs(grid) <= C
    t_err = np.abs(t.astype(np.float64) - exact_half)[inside].max()
    exact = grid.astype(np.float64) * (0.5 + exact_half)
    nz = grid != 0
    ratio = (np.abs(y.astype(np.float64) - exact)[nz] / np.abs(grid.astype(np.float64)[nz])).max()
    wrong_sign = int(((grid < 0) & (y > 0)).sum() + ((grid > 0) & (y < 0)).sum())
    print(f"float32 replay on [-8, 8] step 1/4096: max |t − (Φ − ½)| = {t_err:.3e} (|x| ≤ C), "
          f"max |gelu error| / |x| = {ratio:.3e} (2⁻²² = {2.0**-22:.3e}), wrong signs {wrong_sign}")
    print(f"Φ(−C) = {float(mpmath.ncdf(-C)):.3e}")
    # 8 significant digits name each float32 exactly (checked); as written in GELU.swift.
    for name, cs in (("p", p32), ("q", q32)):
        for k, v in enumerate(cs):
            lit = f"{float(v):.7e}"
            assert np.float32(float(lit)) == v
            print(f"    {name}{k} = {lit}  // float32 bits 0x{v.view(np.uint32):08X}")


if __name__ == "__main__":
    main()
