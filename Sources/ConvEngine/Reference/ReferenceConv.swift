/// Plain reference implementations of every engine op: direct loops over NCHW arrays with Double
/// accumulation, written for obviousness rather than speed. They are the test oracle for the fast
/// kernels and follow PyTorch/Caffe/ONNX semantics as documented on each function.
public enum Reference {
    /// Convolution, NCHW in and out, with `groups` groups (PyTorch's `groups`: output channel o sees
    /// input channels of group o / (out / groups) only; weights `[out][in / groups][kh][kw]`; depthwise
    /// when groups = in). Output size floor((h + top + bottom − kh) / sh) + 1 per axis. Bias, then
    /// the activation (`Reference.activation`). Throws on mismatched shapes.
    public static func conv2d(
        _ x: [Float], _ shape: TensorShape, weights: ConvWeights,
        params: ConvParams, groups: Int = 1
    ) throws -> (values: [Float], shape: TensorShape) {
        guard groups >= 1, shape.c % groups == 0, weights.outChannels % groups == 0,
            x.count == shape.count, weights.inChannels * groups == shape.c
        else {
            throw EngineError.invalidShape(
                "reference conv: input \(shape) vs weights \(weights.inChannels) channels × \(groups) groups")
        }
        let cin = weights.inChannels, coutPerGroup = weights.outChannels / groups
        let (oh, ow) = try params.outputSize(h: shape.h, w: shape.w, kh: weights.kernelH, kw: weights.kernelW)
        let out = TensorShape(n: shape.n, c: weights.outChannels, h: oh, w: ow)
        var y = [Float](repeating: 0, count: out.count)
        let (kh, kw) = (weights.kernelH, weights.kernelW)
        for n in 0..<shape.n {
            for o in 0..<out.c {
                for r in 0..<oh {
                    for c in 0..<ow {
                        var sum = Double(weights.bias?[o] ?? 0)
                        let group = o / coutPerGroup
                        for j in 0..<cin {
                            let i = group * cin + j
                            for u in 0..<kh {
                                let iy = r * params.strideH - params.pad.top + u
                                if iy < 0 || iy >= shape.h { continue }
                                for v in 0..<kw {
                                    let ix = c * params.strideW - params.pad.left + v
                                    if ix < 0 || ix >= shape.w { continue }
                                    let xv = Double(x[((n * shape.c + i) * shape.h + iy) * shape.w + ix])
                                    let wv = Double(weights.weight[((o * cin + j) * kh + u) * kw + v])
                                    sum += xv * wv
                                }
                            }
                        }
                        y[((n * out.c + o) * oh + r) * ow + c] = Float(activation(sum, params.activation))
                    }
                }
            }
        }
        return (y, out)
    }

    /// Inference batchnorm applied explicitly per channel: γ (x − mean) / √(var + ε) + β.
    public static func batchNorm(
        _ x: [Float], _ shape: TensorShape, gamma: [Float], beta: [Float],
        mean: [Float], variance: [Float], epsilon: Double = 1e-5
    ) -> [Float] {
        var y = x
        let hw = shape.h * shape.w
        for n in 0..<shape.n {
            for c in 0..<shape.c {
                let s = Double(gamma[c]) / (Double(variance[c]) + epsilon).squareRoot()
                for p in 0..<hw {
                    let i = (n * shape.c + c) * hw + p
                    y[i] = Float((Double(x[i]) - Double(mean[c])) * s + Double(beta[c]))
                }
            }
        }
        return y
    }

    /// max(0, x) elementwise.
    public static func relu(_ x: [Float]) -> [Float] { x.map { max($0, 0) } }
}
