import Foundation

extension Reference {
    /// Max or average pool with PyTorch semantics (ceil mode, count_include_pad), NCHW in and out.
    public static func pool(
        _ kind: PoolKind, _ x: [Float], _ shape: TensorShape,
        params p: PoolParams
    ) throws -> (values: [Float], shape: TensorShape) {
        let (oh, ow) = try p.outputSize(h: shape.h, w: shape.w)
        let out = TensorShape(n: shape.n, c: shape.c, h: oh, w: ow)
        var y = [Float](repeating: 0, count: out.count)
        for n in 0..<shape.n {
            for c in 0..<shape.c {
                let plane = (n * shape.c + c) * shape.h * shape.w
                for r in 0..<oh {
                    // Written out again here (not via PoolParams.window) so the oracle is independent.
                    let hs = r * p.strideH - p.padH
                    let he = min(hs + p.kernelH, shape.h + p.padH)
                    for q in 0..<ow {
                        let ws = q * p.strideW - p.padW
                        let we = min(ws + p.kernelW, shape.w + p.padW)
                        let padArea = (he - hs) * (we - ws)
                        var best = -Double.infinity
                        var sum = 0.0
                        var cells = 0
                        for iy in max(hs, 0)..<min(he, shape.h) {
                            for ix in max(ws, 0)..<min(we, shape.w) {
                                let v = Double(x[plane + iy * shape.w + ix])
                                best = max(best, v)
                                sum += v
                                cells += 1
                            }
                        }
                        let v: Double =
                            switch kind {
                            case .max: best
                            case .average: sum / Double(p.countPad ? padArea : cells)
                            }
                        y[((n * out.c + c) * oh + r) * ow + q] = Float(v)
                    }
                }
            }
        }
        return (y, out)
    }

    /// Mean over each channel's H·W values; output N×C×1×1.
    public static func globalAvgPool(_ x: [Float], _ shape: TensorShape) -> [Float] {
        let hw = shape.h * shape.w
        return (0..<shape.n * shape.c).map { i in
            var sum = 0.0
            for p in 0..<hw { sum += Double(x[i * hw + p]) }
            return Float(sum / Double(hw))
        }
    }

    /// LRN across channels, Caffe/ONNX: window c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉, divisor
    /// (k + alpha/size · Σ x²)^beta.
    public static func lrn(_ x: [Float], _ shape: TensorShape, params: LRNParams) -> [Float] {
        var y = x
        let hw = shape.h * shape.w
        let lo = (params.size - 1) / 2
        let hi = params.size - 1 - lo
        for n in 0..<shape.n {
            for c in 0..<shape.c {
                for p in 0..<hw {
                    var sum = 0.0
                    for d in max(0, c - lo)...min(shape.c - 1, c + hi) {
                        let v = Double(x[(n * shape.c + d) * hw + p])
                        sum += v * v
                    }
                    let i = (n * shape.c + c) * hw + p
                    let base = Double(params.k) + Double(params.alpha) / Double(params.size) * sum
                    y[i] = Float(Double(x[i]) / pow(base, Double(params.beta)))
                }
            }
        }
        return y
    }

    /// y = W·flatten(x) + b, W `[out][C·H·W]`, optional ReLU; output N×out.
    public static func linear(
        _ x: [Float], _ shape: TensorShape, outFeatures: Int, weight: [Float],
        bias: [Float]?, relu: Bool
    ) -> [Float] {
        let features = shape.c * shape.h * shape.w
        var y = [Float](repeating: 0, count: shape.n * outFeatures)
        for n in 0..<shape.n {
            for o in 0..<outFeatures {
                var sum = Double(bias?[o] ?? 0)
                for i in 0..<features { sum += Double(weight[o * features + i]) * Double(x[n * features + i]) }
                y[n * outFeatures + o] = Float(relu ? max(sum, 0) : sum)
            }
        }
        return y
    }

    /// Softmax over each image's C·H·W values.
    public static func softmax(_ x: [Float], _ shape: TensorShape) -> [Float] {
        let features = shape.c * shape.h * shape.w
        var y = x
        for n in 0..<shape.n {
            let row = (n * features)..<((n + 1) * features)
            let top = x[row].map(Double.init).max() ?? 0
            let e = x[row].map { exp(Double($0) - top) }
            let sum = e.reduce(0, +)
            for (i, v) in zip(row, e) { y[i] = Float(v / sum) }
        }
        return y
    }

    /// Concatenation along channels of NCHW tensors with equal N, H, W.
    public static func concat(_ parts: [(values: [Float], shape: TensorShape)]) -> [Float] {
        guard let first = parts.first?.shape else { return [] }
        var y: [Float] = []
        for n in 0..<first.n {
            for part in parts {
                let per = part.shape.c * part.shape.h * part.shape.w
                y += part.values[(n * per)..<((n + 1) * per)]
            }
        }
        return y
    }
}
