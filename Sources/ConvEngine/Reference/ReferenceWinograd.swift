extension Reference {
    /// Winograd convolution F(m×m, 3×3), stride 1, any zero padding — the plain twin of
    /// `WinogradConvOp`: the same algorithm written as matrix products on NCHW arrays, in Float like
    /// the fast kernel (so its rounding error is the algorithm's), for reading and as a test oracle.
    ///
    /// For each output tile (m × m output pixels, the last ones cut at the edge) and input channel,
    /// the t × t input tile d (zeros outside the input) becomes V = Bᵀ d B; each kernel becomes
    /// U = G g Gᵀ (in Double, once); for each output channel M = Σᵢ U ⊙ V over the input channels;
    /// the output tile is Aᵀ M A, then bias and ReLU.
    public static func winogradConv3x3(
        _ x: [Float], _ shape: TensorShape, weights: ConvWeights,
        params: ConvParams, transform f: WinogradTransform
    ) throws
        -> (values: [Float], shape: TensorShape)
    {
        guard weights.kernelH == 3, weights.kernelW == 3, f.r == 3 else {
            throw EngineError.invalidParameter("reference winograd: needs a 3x3 conv and an F(m,3) transform")
        }
        return try winogradConv(x, shape, weights: weights, params: params, h: f, w: f)
    }

    /// Winograd convolution with transform `h` along the height and `w` along the width (the
    /// identity F(1,1) along an axis with one tap: 1×n and n×1 kernels are 1-D Winograd), stride 1.
    /// Output tiles are h.m × w.m, input tiles h.t × w.t.
    public static func winogradConv(
        _ x: [Float], _ shape: TensorShape, weights: ConvWeights,
        params: ConvParams, h fh: WinogradTransform, w fw: WinogradTransform
    ) throws
        -> (values: [Float], shape: TensorShape)
    {
        guard x.count == shape.count, weights.inChannels == shape.c else {
            throw EngineError.invalidShape(
                "reference winograd: input \(shape) vs weights \(weights.inChannels) channels")
        }
        guard weights.kernelH == fh.r, weights.kernelW == fw.r, params.strideH == 1, params.strideW == 1 else {
            throw EngineError.invalidParameter(
                "reference winograd: \(fh) x \(fw) does not fit a \(weights.kernelH)x\(weights.kernelW) stride-\(params.strideH)x\(params.strideW) conv"
            )
        }
        let (kh, kw) = (weights.kernelH, weights.kernelW)
        let (oh, ow) = try params.outputSize(h: shape.h, w: shape.w, kh: kh, kw: kw)
        let out = TensorShape(n: shape.n, c: weights.outChannels, h: oh, w: ow)
        let (mh, mw, th, tw) = (fh.m, fw.m, fh.t, fw.t)
        let (ci, co) = (shape.c, weights.outChannels)

        // U[o][i] = G_h g G_wᵀ: th × tw each.
        var u = [[Float]](repeating: [], count: co * ci)
        for o in 0..<co {
            for i in 0..<ci {
                let g = (0..<(kh * kw)).map { Double(weights.weight[(o * ci + i) * kh * kw + $0]) }
                u[o * ci + i] = WinogradTransform.transformKernel(g, h: fh, w: fw).map { Float($0) }
            }
        }
        let bth = fh.inputT.map { $0.map { Float($0) } }, btw = fw.inputT.map { $0.map { Float($0) } }
        let ath = fh.outputT.map { $0.map { Float($0) } }, atw = fw.outputT.map { $0.map { Float($0) } }

        var y = [Float](repeating: 0, count: out.count)
        for n in 0..<shape.n {
            for ty in stride(from: 0, to: oh, by: mh) {
                for tx in stride(from: 0, to: ow, by: mw) {
                    // V[i] = B_hᵀ d B_w for every input channel.
                    var v = [[Float]](repeating: [], count: ci)
                    for i in 0..<ci {
                        var d = [Float](repeating: 0, count: th * tw)
                        for r in 0..<th {
                            for c in 0..<tw {
                                let iy = ty - params.pad.top + r, ix = tx - params.pad.left + c
                                if iy >= 0 && iy < shape.h && ix >= 0 && ix < shape.w {
                                    d[r * tw + c] = x[((n * ci + i) * shape.h + iy) * shape.w + ix]
                                }
                            }
                        }
                        v[i] = multiply(multiply(bth, d, th, th, tw), transposed(btw, tw, tw), th, tw, tw)
                    }
                    for o in 0..<co {
                        var mm = [Float](repeating: 0, count: th * tw)
                        for i in 0..<ci {
                            for k in 0..<(th * tw) { mm[k] += u[o * ci + i][k] * v[i][k] }
                        }
                        let tile = multiply(multiply(ath, mm, mh, th, tw), transposed(atw, mw, tw), mh, tw, mw)
                        for r in 0..<mh where ty + r < oh {
                            for c in 0..<mw where tx + c < ow {
                                var s = tile[r * mw + c] + (weights.bias?[o] ?? 0)
                                if params.relu { s = max(s, 0) }
                                y[((n * co + o) * oh + ty + r) * ow + tx + c] = s
                            }
                        }
                    }
                }
            }
        }
        return (y, out)
    }

    /// a (rows × inner, as rows of arrays) times b (inner × cols, row-major) → rows × cols.
    static func multiply(_ a: [[Float]], _ b: [Float], _ rows: Int, _ inner: Int, _ cols: Int) -> [Float] {
        var r = [Float](repeating: 0, count: rows * cols)
        for i in 0..<rows {
            for j in 0..<cols {
                for k in 0..<inner { r[i * cols + j] += a[i][k] * b[k * cols + j] }
            }
        }
        return r
    }

    /// Row-major a (rows × inner) times matrix b (inner × cols, rows of arrays) → rows × cols.
    static func multiply(_ a: [Float], _ b: [[Float]], _ rows: Int, _ inner: Int, _ cols: Int) -> [Float] {
        var r = [Float](repeating: 0, count: rows * cols)
        for i in 0..<rows {
            for j in 0..<cols {
                for k in 0..<inner { r[i * cols + j] += a[i * inner + k] * b[k][j] }
            }
        }
        return r
    }

    /// The transpose of a rows × cols matrix, as rows of arrays.
    static func transposed(_ a: [[Float]], _ rows: Int, _ cols: Int) -> [[Float]] {
        (0..<cols).map { j in (0..<rows).map { i in a[i][j] } }
    }
}
