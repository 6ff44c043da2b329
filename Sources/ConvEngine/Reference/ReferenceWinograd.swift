extension Reference {
    /// Winograd convolution F(m×m, 3×3), stride 1, any zero padding — the plain twin of
    /// `WinogradConvOp`: the same algorithm written as matrix products on NCHW arrays, in Float like
    /// the fast kernel (so its rounding error is the algorithm's), for reading and as a test oracle.
    ///
    /// For each output tile (m × m output pixels, the last ones cut at the edge) and input channel,
    /// the t × t input tile d (zeros outside the input) becomes V = Bᵀ d B; each kernel becomes
    /// U = G g Gᵀ (in Double, once); for each output channel M = Σᵢ U ⊙ V over the input channels;
    /// the output tile is Aᵀ M A, then bias and ReLU.
    public static func winogradConv3x3(_ x: [Float], _ shape: TensorShape, weights: ConvWeights,
                                       params: ConvParams, transform f: WinogradTransform) throws
        -> (values: [Float], shape: TensorShape) {
        guard x.count == shape.count, weights.inChannels == shape.c else {
            throw EngineError.invalidShape("reference winograd: input \(shape) vs weights \(weights.inChannels) channels")
        }
        guard weights.kernelH == 3, weights.kernelW == 3, params.strideH == 1, params.strideW == 1 else {
            throw EngineError.invalidParameter("reference winograd: needs a 3x3 stride-1 conv")
        }
        let (oh, ow) = try params.outputSize(h: shape.h, w: shape.w, kh: 3, kw: 3)
        let out = TensorShape(n: shape.n, c: weights.outChannels, h: oh, w: ow)
        let (m, t) = (f.m, f.t)
        let (ci, co) = (shape.c, weights.outChannels)

        // U[o][i]: t × t each.
        var u = [[Float]](repeating: [], count: co * ci)
        for o in 0..<co {
            for i in 0..<ci {
                let g = (0..<9).map { Double(weights.weight[(o * ci + i) * 9 + $0]) }
                u[o * ci + i] = f.transformKernel(g).map { Float($0) }
            }
        }
        let bt = f.inputT.map { $0.map { Float($0) } }
        let at = f.outputT.map { $0.map { Float($0) } }

        var y = [Float](repeating: 0, count: out.count)
        for n in 0..<shape.n {
            for ty in stride(from: 0, to: oh, by: m) {
                for tx in stride(from: 0, to: ow, by: m) {
                    // V[i] = Bᵀ d B for every input channel.
                    var v = [[Float]](repeating: [], count: ci)
                    for i in 0..<ci {
                        var d = [Float](repeating: 0, count: t * t)
                        for r in 0..<t {
                            for c in 0..<t {
                                let iy = ty - params.pad.top + r, ix = tx - params.pad.left + c
                                if iy >= 0 && iy < shape.h && ix >= 0 && ix < shape.w {
                                    d[r * t + c] = x[((n * ci + i) * shape.h + iy) * shape.w + ix]
                                }
                            }
                        }
                        v[i] = multiply(multiply(bt, d, t, t, t), transposed(bt, t, t), t, t, t)
                    }
                    for o in 0..<co {
                        var mm = [Float](repeating: 0, count: t * t)
                        for i in 0..<ci {
                            for k in 0..<(t * t) { mm[k] += u[o * ci + i][k] * v[i][k] }
                        }
                        let tile = multiply(multiply(at, mm, m, t, t), transposed(at, m, t), m, t, m)
                        for r in 0..<m where ty + r < oh {
                            for c in 0..<m where tx + c < ow {
                                var s = tile[r * m + c] + (weights.bias?[o] ?? 0)
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
