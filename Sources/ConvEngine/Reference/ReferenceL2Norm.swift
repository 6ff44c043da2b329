/// The plain twin of `L2NormOp`: NCHW arrays, Double sums, written for obviousness.
extension Reference {
    /// x / max(‖x‖₂, eps) per image and pixel, the norm over the C channels (F.normalize(x, p=2, dim=1)).
    public static func l2Normalize(_ x: [Float], _ shape: TensorShape, epsilon: Double) -> [Float] {
        var y = x
        let hw = shape.h * shape.w
        for n in 0..<shape.n {
            for p in 0..<hw {
                var sum = 0.0
                for c in 0..<shape.c {
                    let v = Double(x[(n * shape.c + c) * hw + p])
                    sum += v * v
                }
                let length = max(sum.squareRoot(), epsilon)
                for c in 0..<shape.c {
                    let i = (n * shape.c + c) * hw + p
                    y[i] = Float(Double(x[i]) / length)
                }
            }
        }
        return y
    }
}
