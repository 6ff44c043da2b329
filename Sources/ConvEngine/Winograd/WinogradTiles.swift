/// The 1-D Winograd transforms on vectors of 16 channels, hand-expanded from the matrices in
/// `WinogradTransform` (each shared sub-expression once, the pattern NNPACK and ncnn use): `input`
/// applies Bᵀ to t values, `output` applies Aᵀ to t values. A 2-D tile transform is the 1-D one on
/// every row, then on every column (`WinogradTiles`). Checked against the matrices by the tests.
protocol WinogradTile {
    /// Output tile m; the input tile is m + 2.
    static var m: Int { get }
    /// dst[j·ds] = Σ_c Bᵀ[j][c] · src[c·ss], j < t.
    static func input(_ s: UnsafePointer<SIMD16<Float>>, _ ss: Int, _ d: UnsafeMutablePointer<SIMD16<Float>>, _ ds: Int)
    /// dst[j·ds] = Σ_c Aᵀ[j][c] · src[c·ss], j < m.
    static func output(
        _ s: UnsafePointer<SIMD16<Float>>, _ ss: Int, _ d: UnsafeMutablePointer<SIMD16<Float>>, _ ds: Int)
}

typealias V16 = SIMD16<Float>

/// F(2,3): points 0, ±1.
enum WinogradF2: WinogradTile {
    static let m = 2

    @inline(__always)
    static func input(_ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        let (d0, d1, d2, d3) = (s[0], s[ss], s[2 &* ss], s[3 &* ss])
        d[0] = d0 - d2
        d[ds] = d1 + d2
        d[2 &* ds] = d2 - d1
        d[3 &* ds] = d1 - d3
    }

    @inline(__always)
    static func output(_ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        let (m0, m1, m2, m3) = (s[0], s[ss], s[2 &* ss], s[3 &* ss])
        d[0] = m0 + m1 + m2
        d[ds] = m1 - m2 - m3
    }
}

/// F(4,3): points 0, ±1, ±2, ∞.
enum WinogradF4: WinogradTile {
    static let m = 4

    @inline(__always)
    static func input(_ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        let (d0, d1, d2, d3, d4, d5) = (s[0], s[ss], s[2 &* ss], s[3 &* ss], s[4 &* ss], s[5 &* ss])
        let four = V16(repeating: 4), five = V16(repeating: 5), two = V16(repeating: 2)
        let a = d4 - four * d2, b = d3 - four * d1
        let c = d4 - d2, e = two * (d3 - d1)
        d[0] = four * d0 - five * d2 + d4
        d[ds] = a + b
        d[2 &* ds] = a - b
        d[3 &* ds] = c + e
        d[4 &* ds] = c - e
        d[5 &* ds] = four * d1 - five * d3 + d5
    }

    @inline(__always)
    static func output(_ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        let (m0, m1, m2, m3, m4, m5) = (s[0], s[ss], s[2 &* ss], s[3 &* ss], s[4 &* ss], s[5 &* ss])
        let s1 = m1 + m2, d1 = m1 - m2, s3 = m3 + m4, d3 = m3 - m4
        d[0] = m0 + s1 + s3
        d[ds] = d1 + V16(repeating: 2) * d3
        d[2 &* ds] = s1 + V16(repeating: 4) * s3
        d[3 &* ds] = d1 + V16(repeating: 8) * d3 + m5
    }
}

/// F(6,3): points 0, ±1, ±2, ±½, ∞.
enum WinogradF6: WinogradTile {
    static let m = 6

    @inline(__always)
    static func input(_ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        let (d0, d1, d2, d3) = (s[0], s[ss], s[2 &* ss], s[3 &* ss])
        let (d4, d5, d6, d7) = (s[4 &* ss], s[5 &* ss], s[6 &* ss], s[7 &* ss])
        func k(_ x: Float) -> V16 { V16(repeating: x) }
        d[0] = d0 - d6 + k(5.25) * (d4 - d2)
        let a1 = d2 - k(4.25) * d4 + d6, b1 = d1 - k(4.25) * d3 + d5
        d[ds] = a1 + b1
        d[2 &* ds] = a1 - b1
        let a3 = k(0.25) * d2 - k(1.25) * d4 + d6, b3 = k(0.5) * d1 - k(2.5) * d3 + k(2) * d5
        d[3 &* ds] = a3 + b3
        d[4 &* ds] = a3 - b3
        let a5 = k(4) * d2 - k(5) * d4 + d6, b5 = k(2) * d1 - k(2.5) * d3 + k(0.5) * d5
        d[5 &* ds] = a5 + b5
        d[6 &* ds] = a5 - b5
        d[7 &* ds] = d7 - d1 + k(5.25) * (d3 - d5)
    }

    @inline(__always)
    static func output(_ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        let (m0, m1, m2, m3) = (s[0], s[ss], s[2 &* ss], s[3 &* ss])
        let (m4, m5, m6, m7) = (s[4 &* ss], s[5 &* ss], s[6 &* ss], s[7 &* ss])
        func k(_ x: Float) -> V16 { V16(repeating: x) }
        let s1 = m1 + m2, d1 = m1 - m2, s3 = m3 + m4, d3 = m3 - m4, s5 = m5 + m6, d5 = m5 - m6
        d[0] = m0 + s1 + s3 + s5
        d[ds] = d1 + k(2) * d3 + k(0.5) * d5
        d[2 &* ds] = s1 + k(4) * s3 + k(0.25) * s5
        d[3 &* ds] = d1 + k(8) * d3 + k(0.125) * d5
        d[4 &* ds] = s1 + k(16) * s3 + k(1.0 / 16) * s5
        d[5 &* ds] = d1 + k(32) * d3 + k(1.0 / 32) * d5 + m7
    }
}

/// 2-D tile transforms: the 1-D transform along rows, then along columns.
enum WinogradTiles {
    /// V = Bᵀ d B for one 16-channel block of one input tile, written as t² vectors `vStride`
    /// vectors apart (ξ = row · t + column). The tile's top-left input pixel is (y0, x0), which may
    /// lie in the padding: pixels outside the h × w plane read as zero. `plane`: the block's plane,
    /// `[h][w][16]`. `work`: 2·t² vectors of scratch.
    @inline(__always)
    static func input<W: WinogradTile>(
        _: W.Type, plane: UnsafePointer<Float>, h: Int, w: Int, y0: Int, x0: Int,
        v: UnsafeMutablePointer<V16>, vStride: Int, work: UnsafeMutablePointer<V16>
    ) {
        let t = W.m &+ 2
        let rows = work  // [t][t]: Bᵀ along each row
        let inside = y0 >= 0 && x0 >= 0 && y0 &+ t <= h && x0 &+ t <= w
        if inside {
            for r in 0..<t {
                let src = UnsafeRawPointer(plane + ((y0 &+ r) &* w &+ x0) &* channelBlock)
                    .assumingMemoryBound(to: V16.self)
                W.input(src, 1, rows + r &* t, 1)
            }
        } else {
            let d = work + t &* t  // [t][t]: the tile with zeros outside the plane
            for r in 0..<t {
                let iy = y0 &+ r
                for c in 0..<t {
                    let ix = x0 &+ c
                    d[r &* t &+ c] =
                        iy >= 0 && iy < h && ix >= 0 && ix < w
                        ? loadVector(plane + (iy &* w &+ ix) &* channelBlock) : .zero
                }
                W.input(d + r &* t, 1, rows + r &* t, 1)
            }
        }
        for c in 0..<t { W.input(rows + c, t, v + c &* vStride, t &* vStride) }
    }

    /// Y = Aᵀ M A for one 16-channel block of one output tile: M is t² vectors `mStride` apart
    /// (ξ = row · t + column); Y goes to `y` as m × m vectors, row-major. `work`: t·m vectors.
    @inline(__always)
    static func output<W: WinogradTile>(
        _: W.Type, m mm: UnsafePointer<V16>, mStride: Int,
        y: UnsafeMutablePointer<V16>, work: UnsafeMutablePointer<V16>
    ) {
        let (m, t) = (W.m, W.m &+ 2)
        for r in 0..<t { W.output(mm + r &* t &* mStride, mStride, work + r &* m, 1) }
        for c in 0..<m { W.output(work + c, m, y + c, m) }
    }
}

/// The 1-D transforms of every tile shape the op plans, by input length t and output length m:
/// the identity (t = 1, the one-tap axis of a 1×n kernel), and hand-expanded sums for the rest.
/// Inputs share Bᵀ by t (`WinogradTransform.cookToom` keeps the written-out F(m,3) signs: t = 4 is
/// F(2,3)'s, t = 6 F(4,3)'s and F(2,5)'s, t = 8 F(6,3)'s, F(4,5)'s and F(2,7)'s, t = 10 F(4,7)'s);
/// outputs differ by
/// (m, t). Measured: applying the matrices from their non-zero entries in a loop instead made F(4,5)
/// transform-bound (77 GFLOP/s executed in the products).
enum Winograd1D {
    @inline(__always)
    static func input(t: Int, _ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        switch t {
        case 1: d[0] = s[0]
        case 4: WinogradF2.input(s, ss, d, ds)
        case 6: WinogradF4.input(s, ss, d, ds)
        case 8: WinogradF6.input(s, ss, d, ds)
        default: inputF4r7(s, ss, d, ds)
        }
    }

    /// Bᵀ·s for t = 10 (F(4,7): points 0, ±1, ±2, ±½, ±¾, ∞). The rows of a pair ±p are E ± O, the
    /// even- and odd-indexed inputs' terms (`WinogradTransform.f4r7.inputT`, exact coefficients).
    @inline(__always)
    static func inputF4r7(_ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        let (s0, s1, s2, s3, s4) = (s[0], s[ss], s[2 &* ss], s[3 &* ss], s[4 &* ss])
        let (s5, s6, s7, s8, s9) = (s[5 &* ss], s[6 &* ss], s[7 &* ss], s[8 &* ss], s[9 &* ss])
        d[0] =
            V16(repeating: 9.0 / 16) * s0 - V16(repeating: 253.0 / 64) * s2 + V16(repeating: 525.0 / 64) * s4 - V16(
                repeating: 93.0 / 16) * s6 + s8
        var e = s8 - V16(repeating: 9.0 / 16) * s2 + V16(repeating: 217.0 / 64) * s4 - V16(repeating: 77.0 / 16) * s6
        var o = s7 - V16(repeating: 9.0 / 16) * s1 + V16(repeating: 217.0 / 64) * s3 - V16(repeating: 77.0 / 16) * s5
        d[ds] = e + o
        d[2 &* ds] = e - o
        e = s8 - V16(repeating: 9.0 / 64) * s2 + V16(repeating: 61.0 / 64) * s4 - V16(repeating: 29.0 / 16) * s6
        o =
            V16(repeating: 2) * s7 - V16(repeating: 9.0 / 32) * s1 + V16(repeating: 61.0 / 32) * s3 - V16(
                repeating: 29.0 / 8) * s5
        d[3 &* ds] = e + o
        d[4 &* ds] = e - o
        e = s8 - V16(repeating: 9.0 / 4) * s2 + V16(repeating: 109.0 / 16) * s4 - V16(repeating: 89.0 / 16) * s6
        o =
            V16(repeating: 0.5) * s7 - V16(repeating: 9.0 / 8) * s1 + V16(repeating: 109.0 / 32) * s3 - V16(
                repeating: 89.0 / 32) * s5
        d[5 &* ds] = e + o
        d[6 &* ds] = e - o
        e = s8 - s2 + V16(repeating: 21.0 / 4) * s4 - V16(repeating: 21.0 / 4) * s6
        o =
            V16(repeating: 0.75) * s7 - V16(repeating: 0.75) * s1 + V16(repeating: 63.0 / 16) * s3 - V16(
                repeating: 63.0 / 16) * s5
        d[7 &* ds] = e + o
        d[8 &* ds] = e - o
        d[9 &* ds] =
            V16(repeating: 9.0 / 16) * s1 - V16(repeating: 253.0 / 64) * s3 + V16(repeating: 525.0 / 64) * s5 - V16(
                repeating: 93.0 / 16) * s7 + s9
    }

    @inline(__always)
    static func output(m: Int, t: Int, _ s: UnsafePointer<V16>, _ ss: Int, _ d: UnsafeMutablePointer<V16>, _ ds: Int) {
        switch (m, t) {
        case (1, 1): d[0] = s[0]
        case (2, 4): WinogradF2.output(s, ss, d, ds)
        case (4, 6): WinogradF4.output(s, ss, d, ds)
        case (6, 8): WinogradF6.output(s, ss, d, ds)
        case (4, 10):  // F(4,7): points 0, ±1, ±2, ±½, ±¾, ∞
            let (m0, m1, m2, m3, m4) = (s[0], s[ss], s[2 &* ss], s[3 &* ss], s[4 &* ss])
            let (m5, m6, m7, m8, m9) = (s[5 &* ss], s[6 &* ss], s[7 &* ss], s[8 &* ss], s[9 &* ss])
            let s1 = m1 + m2, d1 = m1 - m2, s3 = m3 + m4, d3 = m3 - m4
            let s5 = m5 + m6, d5 = m5 - m6, s7 = m7 + m8, d7 = m7 - m8
            d[0] = m0 + s1 + s3 + s5 + s7
            d[ds] = d1 + V16(repeating: 2) * d3 + V16(repeating: 0.5) * d5 + V16(repeating: 0.75) * d7
            d[2 &* ds] = s1 + V16(repeating: 4) * s3 + V16(repeating: 0.25) * s5 + V16(repeating: 9.0 / 16) * s7
            d[3 &* ds] = d1 + V16(repeating: 8) * d3 + V16(repeating: 0.125) * d5 + V16(repeating: 27.0 / 64) * d7 + m9
        case (2, 6):  // F(2,5): points 0, ±1, ±2, ∞
            let (m0, m1, m2, m3, m4, m5) = (s[0], s[ss], s[2 &* ss], s[3 &* ss], s[4 &* ss], s[5 &* ss])
            d[0] = m0 + (m1 + m2) + (m3 + m4)
            d[ds] = (m1 - m2) + V16(repeating: 2) * (m3 - m4) + m5
        default:  // (2, 8) F(2,7) and (4, 8) F(4,5): points 0, ±1, ±2, ±½, ∞
            let (m0, m1, m2, m3) = (s[0], s[ss], s[2 &* ss], s[3 &* ss])
            let (m4, m5, m6, m7) = (s[4 &* ss], s[5 &* ss], s[6 &* ss], s[7 &* ss])
            let s1 = m1 + m2, d1 = m1 - m2, s3 = m3 + m4, d3 = m3 - m4, s5 = m5 + m6, d5 = m5 - m6
            d[0] = m0 + s1 + s3 + s5
            if m == 2 {
                d[ds] = d1 + V16(repeating: 2) * d3 + V16(repeating: 0.5) * d5 + m7
            } else {
                d[ds] = d1 + V16(repeating: 2) * d3 + V16(repeating: 0.5) * d5
                d[2 &* ds] = s1 + V16(repeating: 4) * s3 + V16(repeating: 0.25) * s5
                d[3 &* ds] = d1 + V16(repeating: 8) * d3 + V16(repeating: 0.125) * d5 + m7
            }
        }
    }
}

extension WinogradTiles {
    /// The input transform of other kernels: V = B_hᵀ d B_w for one block of a th × tw input tile
    /// at (y0, x0) (zeros outside the plane), ξ = row · tw + column. `work`: 2 · th · tw vectors.
    /// A tile wholly inside the plane is transformed row by row straight from it; only tiles that
    /// reach into the padding are first gathered with zeros (the bounds test per pixel cost as much
    /// as the transform).
    static func inputAnyShape(
        plane: UnsafePointer<Float>, h: Int, w: Int, y0: Int, x0: Int, th: Int, tw: Int,
        v: UnsafeMutablePointer<V16>, vStride: Int, work: UnsafeMutablePointer<V16>
    ) {
        let d = work, rows = work + th &* tw
        if y0 >= 0 && x0 >= 0 && y0 &+ th <= h && x0 &+ tw <= w {
            for r in 0..<th {
                let src = UnsafeRawPointer(plane + ((y0 &+ r) &* w &+ x0) &* channelBlock).assumingMemoryBound(
                    to: V16.self)
                Winograd1D.input(t: tw, src, 1, rows + r &* tw, 1)
            }
        } else {
            for r in 0..<th {
                let iy = y0 &+ r
                for c in 0..<tw {
                    let ix = x0 &+ c
                    d[r &* tw &+ c] =
                        iy >= 0 && iy < h && ix >= 0 && ix < w
                        ? loadVector(plane + (iy &* w &+ ix) &* channelBlock) : .zero
                }
                Winograd1D.input(t: tw, d + r &* tw, 1, rows + r &* tw, 1)
            }
        }
        for c in 0..<tw { Winograd1D.input(t: th, rows + c, tw, v + c &* vStride, tw &* vStride) }
    }

    /// The output transform of other kernels: Y = A_hᵀ M A_w (mh × mw vectors, row-major) from
    /// th · tw vectors `mStride` apart. `work`: th · mw vectors.
    static func outputAnyShape(
        m mm: UnsafePointer<V16>, mStride: Int, mh: Int, mw: Int, th: Int, tw: Int,
        y: UnsafeMutablePointer<V16>, work: UnsafeMutablePointer<V16>
    ) {
        for r in 0..<th { Winograd1D.output(m: mw, t: tw, mm + r &* tw &* mStride, mStride, work + r &* mw, 1) }
        for c in 0..<mw { Winograd1D.output(m: mh, t: th, work + c, mw, y + c, mw) }
    }

    /// The input transform of a 1×n or n×1 kernel: V = Bᵀ d for the t pixels of one block starting
    /// at (y0, x0) and running along the kernel's long axis (`alongH`: down a column, else along a
    /// row), zeros outside the plane. In place of the 2-D transform with an identity axis, which
    /// copied every pixel twice: the pixels are read straight from the plane (`w` vectors apart
    /// down a column), and only a window that reaches into the padding is gathered first.
    /// `work`: t vectors.
    @inline(__always)
    static func input1D(
        plane: UnsafePointer<Float>, h: Int, w: Int, y0: Int, x0: Int, t: Int, alongH: Bool,
        v: UnsafeMutablePointer<V16>, vStride: Int, work: UnsafeMutablePointer<V16>
    ) {
        let (dy, dx) = alongH ? (1, 0) : (0, 1)
        let yEnd = y0 &+ dy &* (t &- 1), xEnd = x0 &+ dx &* (t &- 1)
        if y0 >= 0 && x0 >= 0 && yEnd < h && xEnd < w {
            let src = UnsafeRawPointer(plane + (y0 &* w &+ x0) &* channelBlock).assumingMemoryBound(to: V16.self)
            Winograd1D.input(t: t, src, alongH ? w : 1, v, vStride)
        } else {
            for i in 0..<t {
                let iy = y0 &+ dy &* i, ix = x0 &+ dx &* i
                work[i] =
                    iy >= 0 && iy < h && ix >= 0 && ix < w ? loadVector(plane + (iy &* w &+ ix) &* channelBlock) : .zero
            }
            Winograd1D.input(t: t, work, 1, v, vStride)
        }
    }
}
