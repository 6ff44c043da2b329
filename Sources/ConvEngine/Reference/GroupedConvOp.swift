/// A grouped convolution, plainly: output channel `o` of group `g = o / (out/groups)` sees input
/// channels `g·(in/groups) ..< (g+1)·(in/groups)` (depthwise when groups = in: Xception's separable
/// convs). Scalar loops over the NCHW16c tensors, one task per output channel block of one image,
/// written for correctness beside its NCHW twin `Reference.groupedConv2d`; fast grouped and
/// depthwise kernels are the engine's next step.
public final class GroupedConvOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let groups: Int
    public let params: ConvParams
    /// `[out][in/groups][kh][kw]`, and `[out]` (zeros without bias).
    public let weights: ConvWeights
    private let bias: [Float]
    private let outH: Int, outW: Int
    private let store: SliceStore

    public var flops: Int {
        2 * input.shape.n * weights.outChannels * outH * outW * weights.inChannels * weights.kernelH * weights.kernelW
    }

    public init(input: Tensor, output: ChannelSlice, groups: Int, params: ConvParams, weights: ConvWeights) throws {
        let s = input.shape
        guard groups >= 1, s.c % groups == 0, weights.outChannels % groups == 0, weights.inChannels * groups == s.c
        else {
            throw EngineError.invalidShape(
                "grouped conv: \(s.c) input channels, weights for \(weights.inChannels) per group, \(groups) groups")
        }
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w, kh: weights.kernelH, kw: weights.kernelW)
        try output.validate("grouped conv", n: s.n, channels: weights.outChannels, h: oh, w: ow)
        try checkNotAliased(input, output, "grouped conv")
        self.input = input
        self.output = output
        self.groups = groups
        self.params = params
        self.weights = weights
        bias = weights.bias ?? [Float](repeating: 0, count: weights.outChannels)
        outH = oh
        outW = ow
        store = SliceStore(output, channels: weights.outChannels)
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var outBlocks: Int { (weights.outChannels + channelBlock - 1) / channelBlock }
    var taskCount: Int { input.shape.n * outBlocks }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, weights.outChannels) }

    /// Output channels `16·block ..< 16·block + 16` of image `n = t / outBlocks`, every pixel.
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let n = t / outBlocks, block = t % outBlocks
        let s = input.shape
        let perGroupIn = weights.inChannels, perGroupOut = weights.outChannels / groups
        let (kh, kw) = (weights.kernelH, weights.kernelW)
        let x = UnsafePointer(input.data) + n * input.imageStride
        weights.weight.withUnsafeBufferPointer { w in
            for oy in 0..<outH {
                for ox in 0..<outW {
                    var v = SIMD16<Float>(repeating: 0)
                    for lane in 0..<channelBlock {
                        let o = block * channelBlock + lane
                        guard o < weights.outChannels else { break }
                        let first = (o / perGroupOut) * perGroupIn
                        var sum = bias[o]
                        for i in 0..<perGroupIn {
                            let c = first + i
                            let plane = x + (c / channelBlock) * input.blockStride + c % channelBlock
                            for ky in 0..<kh {
                                let iy = oy * params.strideH - params.pad.top + ky
                                guard iy >= 0, iy < s.h else { continue }
                                for kx in 0..<kw {
                                    let ix = ox * params.strideW - params.pad.left + kx
                                    guard ix >= 0, ix < s.w else { continue }
                                    sum +=
                                        w[((o * perGroupIn + i) * kh + ky) * kw + kx]
                                        * plane[(iy * s.w + ix) * channelBlock]
                                }
                            }
                        }
                        v[lane] = params.relu ? max(0, sum) : sum
                    }
                    store.store(v, n: n, block: block, pixel: oy * outW + ox)
                }
            }
        }
    }
}

extension Reference {
    /// A grouped conv on NCHW arrays: each group's input channels through `Reference.conv2d` with
    /// that group's filters, outputs concatenated: the oracle for `GroupedConvOp`.
    public static func groupedConv2d(
        _ x: [Float], _ shape: TensorShape, groups: Int, weights: ConvWeights,
        params: ConvParams
    ) throws -> (values: [Float], shape: TensorShape) {
        let cin = shape.c / groups, cout = weights.outChannels / groups
        let hw = shape.h * shape.w
        let k = weights.kernelH * weights.kernelW
        var parts: [(values: [Float], shape: TensorShape)] = []
        for g in 0..<groups {
            var slice: [Float] = []
            slice.reserveCapacity(shape.n * cin * hw)
            for n in 0..<shape.n {
                let start = (n * shape.c + g * cin) * hw
                slice += x[start..<start + cin * hw]
            }
            let w = Array(weights.weight[(g * cout * cin * k)..<((g + 1) * cout * cin * k)])
            let b = weights.bias.map { Array($0[(g * cout)..<((g + 1) * cout)]) }
            let gw = try ConvWeights(
                outChannels: cout, inChannels: cin, kernelH: weights.kernelH, kernelW: weights.kernelW,
                weight: w, bias: b)
            parts.append(
                try conv2d(slice, TensorShape(n: shape.n, c: cin, h: shape.h, w: shape.w), weights: gw, params: params))
        }
        let first = parts[0].shape
        return (concat(parts), TensorShape(n: shape.n, c: weights.outChannels, h: first.h, w: first.w))
    }
}
