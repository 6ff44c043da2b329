/// The shape and count rules of one layer, given its input shape. Pure functions of the op; the
/// walker in `Analysis.swift` threads shapes through the tree and sums these up.
///
/// Conventions (stated in every report): MACs as in fvcore (conv and linear only, biases not
/// counted), FLOPs = 2·MACs; params are trainable weights + biases + 2 per batchnorm channel (γ, β);
/// batchnorm running mean and variance are buffers, 2 per channel.
struct LayerFigures {
    var output: Shape
    var params = 0
    var buffers = 0
    /// Per sample.
    var macs = 0
    /// The kernel this layer slides over its input, for the receptive field: (k, stride), or nil
    /// when the layer looks at its whole input (global pool, linear), or (1, 1) for pointwise ops.
    var window: (kernel: Pair, stride: Pair)?
}

enum ShapeRules {
    /// Output size of a convolution along one axis: floor((n + 2p − k) / s) + 1.
    static func convOut(_ n: Int, kernel k: Int, stride s: Int, pad p: Int) -> Int? {
        let padded = n + 2 * p
        guard k <= padded else { return nil }
        return (padded - k) / s + 1
    }

    /// Output size of a pool along one axis; in ceil mode ceil((n + 2p − k) / s) + 1, minus one
    /// when the last window would start past n + p (PyTorch's rule, which Caffe's GoogLeNet needs).
    static func poolOut(_ n: Int, kernel k: Int, stride s: Int, pad p: Int, ceil: Bool) -> Int? {
        let padded = n + 2 * p
        guard k <= padded else { return nil }
        guard ceil else { return (padded - k) / s + 1 }
        var out = (padded - k + s - 1) / s + 1
        if (out - 1) * s >= n + p { out -= 1 }
        return out
    }

    /// The figures of `layer` on `input`, or a message saying what is wrong (the caller adds the
    /// node path). Inception and aux layers are composite: the walker handles them.
    static func figures(_ op: Op, input: Shape) throws(RuleError) -> LayerFigures {
        let (c, h, w) = (input.channels, input.height, input.width)
        do {
            switch op {
            case .conv(let conv):
                let pad = conv.pad.resolved(kernel: conv.kernel)
                guard let oh = convOut(h, kernel: conv.kernel.h, stride: conv.stride.h, pad: pad.h),
                      let ow = convOut(w, kernel: conv.kernel.w, stride: conv.stride.w, pad: pad.w) else {
                    throw RuleError.message("kernel \(conv.kernel) is larger than the padded input \(h + 2 * pad.h)x\(w + 2 * pad.w)")
                }
                var f = LayerFigures(output: Shape(conv.out, oh, ow))
                let weights = try product(conv.out, c, conv.kernel.h, conv.kernel.w)
                f.params = try add(weights, (conv.bias ? conv.out : 0) + (conv.batchnorm ? 2 * conv.out : 0))
                f.buffers = conv.batchnorm ? 2 * conv.out : 0
                f.macs = try mul(weights, try mul(oh, ow))
                f.window = (conv.kernel, conv.stride)
                return f
            case .maxpool(let pool), .avgpool(let pool):
                guard 2 * pool.pad.h <= pool.kernel.h, 2 * pool.pad.w <= pool.kernel.w else {
                    throw RuleError.message("pad \(pool.pad) is more than half the kernel \(pool.kernel)")
                }
                guard let oh = poolOut(h, kernel: pool.kernel.h, stride: pool.stride.h, pad: pool.pad.h, ceil: pool.ceil),
                      let ow = poolOut(w, kernel: pool.kernel.w, stride: pool.stride.w, pad: pool.pad.w, ceil: pool.ceil) else {
                    throw RuleError.message("kernel \(pool.kernel) is larger than the padded input \(h + 2 * pool.pad.h)x\(w + 2 * pool.pad.w)")
                }
                var f = LayerFigures(output: Shape(c, oh, ow))
                f.window = (pool.kernel, pool.stride)
                return f
            case .globalavgpool:
                return LayerFigures(output: Shape(c, 1, 1), window: nil)
            case .lrn, .dropout, .softmax:
                return LayerFigures(output: input, window: (Pair(1, 1), Pair(1, 1)))
            case .linear(let lin):
                let inputs = try product(c, h, w)
                var f = LayerFigures(output: Shape(lin.out, 1, 1), window: nil)
                f.macs = try mul(inputs, lin.out)
                f.params = try add(f.macs, lin.bias ? lin.out : 0)
                return f
            case .inception, .aux:
                return LayerFigures(output: input)
            }
        } catch let e as RuleError {
            throw e
        } catch {
            throw RuleError.overflow
        }
    }
}

enum RuleError: Error {
    case message(String)
    case overflow

    var text: String {
        switch self {
        case .message(let m): m
        case .overflow: "counts overflow 64-bit integers"
        }
    }
}
