/// Per-channel affine map then an activation: `out = act(x · scale[c] + shift[c])`, into a channel
/// slice. One op for the standalone layers that are not a conv:
///  - an inference batchnorm not folded into a conv (Xception's after a concat or add, a BN after a
///    linear): `batchNorm(...)` folds γ, β, mean, var into scale and shift once;
///  - InceptionNeXt's layer scale γ: scale only;
///  - a standalone ReLU or GELU: neither (`activation(...)`).
/// Where one of these follows a conv or linear, fold it there instead (`foldingBatchNorm` in
/// InceptionWeights, `ConvWeights.scalingOutputs`; `ConvParams.activation`): no pass of its own.
/// In place is allowed.
public final class ChannelAffineOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let activation: Activation
    public var flops: Int { 0 }
    /// `[block][16]` each, nil when absent (scale 1, shift 0).
    private let scale: UnsafeMutablePointer<Float>?
    private let shift: UnsafeMutablePointer<Float>?
    private let split: ElementwiseTasks
    private let store: SliceStore

    public init(
        input: Tensor, output: ChannelSlice, scale: [Float]?, shift: [Float]?, activation: Activation = .none
    ) throws {
        let s = input.shape
        for (name, v) in [("scale", scale), ("shift", shift)] {
            if let v, v.count != s.c {
                throw EngineError.invalidShape("channel affine: \(v.count) \(name) values for \(s.c) channels")
            }
        }
        try output.validate("channel affine", n: s.n, channels: s.c, h: s.h, w: s.w)
        try checkElementwiseAlias(input, output, "channel affine")
        self.input = input
        self.output = output
        self.activation = activation
        self.scale = packChannels(scale, channels: s.c)
        self.shift = packChannels(shift, channels: s.c)
        split = ElementwiseTasks(s)
        store = SliceStore(output, channels: s.c)
    }

    /// Inference batchnorm: scale = γ / √(var + ε), shift = β − mean · scale (in Double).
    public static func batchNorm(
        input: Tensor, output: ChannelSlice, gamma: [Float], beta: [Float], mean: [Float],
        variance: [Float], epsilon: Double = 1e-5, activation: Activation = .none
    ) throws
        -> ChannelAffineOp
    {
        let c = input.shape.c
        for (name, a) in [("gamma", gamma), ("beta", beta), ("mean", mean), ("variance", variance)] where a.count != c {
            throw EngineError.invalidShape("batchnorm: \(a.count) \(name) values for \(c) channels")
        }
        var scale = [Float](repeating: 0, count: c), shift = scale
        for i in 0..<c {
            let v = Double(variance[i]) + epsilon
            guard v > 0 else { throw EngineError.invalidParameter("batchnorm: variance + epsilon ≤ 0 at channel \(i)") }
            let s = Double(gamma[i]) / v.squareRoot()
            scale[i] = Float(s)
            shift[i] = Float(Double(beta[i]) - Double(mean[i]) * s)
        }
        return try ChannelAffineOp(input: input, output: output, scale: scale, shift: shift, activation: activation)
    }

    /// A standalone activation (ReLU, GELU).
    public static func activation(_ a: Activation, input: Tensor, output: ChannelSlice) throws -> ChannelAffineOp {
        try ChannelAffineOp(input: input, output: output, scale: nil, shift: nil, activation: a)
    }

    deinit {
        scale?.deallocate()
        shift?.deallocate()
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { split.count }
    func taskPosition(_ t: Int) -> Int { split.position(t) }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let (n, block, pixels) = split.task(t)
        let x = UnsafePointer(input.data) + n * input.imageStride + block * input.blockStride
        let a = scale.map { loadVector($0 + block * channelBlock) } ?? SIMD16<Float>(repeating: 1)
        let b = shift.map { loadVector($0 + block * channelBlock) } ?? SIMD16<Float>()
        let act = activation
        if let y = store.vectorPointer(n: n, block: block, pixel: 0) {
            for p in pixels {
                let v = act.apply(b.addingProduct(loadVector(x + p &* channelBlock), a))
                UnsafeMutableRawPointer(y + p &* channelBlock).storeBytes(of: v, as: SIMD16<Float>.self)
            }
        } else {
            for p in pixels {
                store.store(
                    act.apply(b.addingProduct(loadVector(x + p &* channelBlock), a)), n: n, block: block, pixel: p)
            }
        }
    }
}
