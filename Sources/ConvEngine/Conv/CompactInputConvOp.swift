/// A direct convolution of a network's input image (3 colour channels, at most 4): the stem conv,
/// reading its own compact copy of the image instead of the NCHW16c tensor.
///
/// Why: in NCHW16c a 3-channel image fills 3 of every 16 lanes, so GoogLeNet's 7×7/2 conv1 reads
/// 3.2 MB (224² pixels × 64 B) for 0.6 MB of values, and inside a network pass the image comes from
/// memory (the pass streams every layer's weights through the caches in between). Here the image is
/// kept `[n][h + top + bottom][w + left + right][c]`: pixels of c floats, zero-bordered once, so
/// the conv is an unpadded one over it and every window reads only real values (onnxruntime's first
/// conv likewise reads the NCHW input directly). `load(nchw:)` fills it where the plan sets its input.
///
/// The reduction runs in the direct conv's order (kernel row, column, channel) on the same
/// micro-kernel, so each output equals `Conv2DOp`'s: the padded taps add products of zero where
/// `Conv2DOp` skips them.
public final class CompactInputConvOp: EngineOp, TaskedOp, @unchecked Sendable {
    /// The image's NCHW16c tensor: what the op stands for (its shape; `reads` for dependencies). The
    /// op itself reads only its compact copy.
    public let input: Tensor
    public let output: ChannelSlice
    public let params: ConvParams
    public let outChannels: Int
    public let kernelH: Int
    public let kernelW: Int
    public let outH: Int
    public let outW: Int
    public let flops: Int

    /// The most channels an image may have to be read compactly (RGB, RGBA, grey).
    public static let maxChannels = 4

    private let packed: PackedConvWeights
    private let xOffsets: UnsafeMutablePointer<Int32>
    /// The zero-bordered compact image `[n][paddedH][paddedW][c]`.
    private let image: UnsafeMutablePointer<Float>
    private let paddedH: Int
    private let paddedW: Int
    private let groups: [(first: Int, count: Int)]

    public init(input: Tensor, output: ChannelSlice, params: ConvParams, weights: ConvWeights) throws {
        let s = input.shape
        guard s.c <= CompactInputConvOp.maxChannels else {
            throw EngineError.invalidShape(
                "compact-input conv: at most \(CompactInputConvOp.maxChannels) input channels, got \(s.c)")
        }
        guard weights.inChannels == s.c else {
            throw EngineError.invalidShape(
                "conv: weights expect \(weights.inChannels) input channels, input has \(s.c)")
        }
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w, kh: weights.kernelH, kw: weights.kernelW)
        try output.validate("conv", n: s.n, channels: weights.outChannels, h: oh, w: ow)
        try checkNotAliased(input, output, "conv")
        guard params.activation != .gelu else {
            throw EngineError.invalidParameter(
                "compact input conv: a GELU epilogue is not supported here; plan Conv2DOp")
        }
        let p = params.pad
        paddedH = s.h + p.top + p.bottom
        paddedW = s.w + p.left + p.right
        // A window of the last output row / column ends inside the bordered image (outputSize floors).
        guard (oh - 1) * params.strideH + weights.kernelH <= paddedH,
            (ow - 1) * params.strideW + weights.kernelW <= paddedW,
            s.n * paddedH * paddedW * s.c < Int(Int32.max)
        else {
            throw EngineError.invalidShape("compact-input conv: input \(s) does not fit the compact image")
        }
        self.input = input
        self.output = output
        self.params = params
        outChannels = weights.outChannels
        kernelH = weights.kernelH
        kernelW = weights.kernelW
        outH = oh
        outW = ow
        flops = 2 * s.n * oh * ow * weights.outChannels * weights.inChannels * weights.kernelH * weights.kernelW
        packed = PackedConvWeights(weights)
        image = allocateFloats(max(1, s.n * paddedH * paddedW * s.c))
        // The reduction order of `PackedConvWeights` for one input block: (kh, kw, c).
        xOffsets = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, packed.reduction))
        var k = 0
        for kh in 0..<kernelH {
            for kw in 0..<kernelW {
                for c in 0..<s.c {
                    xOffsets[k] = Int32((kh * paddedW + kw) * s.c + c)
                    k += 1
                }
            }
        }
        groups = Conv2DOp.outputGroups(outChannels: weights.outChannels)
    }

    deinit {
        packed.deallocate()
        xOffsets.deallocate()
        image.deallocate()
    }

    /// Copies the image from `n · c · h · w` NCHW floats into the bordered compact copy (the border
    /// stays zero).
    public func load(nchw src: UnsafePointer<Float>) {
        let s = input.shape
        let p = params.pad
        for n in 0..<s.n {
            for c in 0..<s.c {
                let plane = src + (n * s.c + c) * s.h * s.w
                for y in 0..<s.h {
                    let row = image + ((n * paddedH + y + p.top) * paddedW + p.left) * s.c + c
                    for x in 0..<s.w { row[x * s.c] = plane[y * s.w + x] }
                }
            }
        }
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    /// One task per (image, group, output row).
    var taskCount: Int { input.shape.n * groups.count * outH }
    func taskPosition(_ t: Int) -> Int { (t / (groups.count * outH) * outH + t % outH) * outW }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, outChannels) }

    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        let scratch = raw.assumingMemoryBound(to: Float.self)
        let c = input.shape.c
        let n = t / (groups.count * outH)
        let group = groups[t / outH % groups.count]
        let row = t % outH
        let x = UnsafePointer(image) + ((n * paddedH + row * params.strideH) * paddedW) * c
        let args = ConvKernelArgs(
            x: x, xPixel: params.strideW * c, reduction: packed.reduction, xOffsets: xOffsets, packed: packed,
            group: group, relu: params.relu, output: output, outChannels: outChannels, n: n, pixel0: row * outW)
        ConvRowDriver.run(args, blocks: group.count, pixels: outW, edge: nil, scratch: scratch)
    }
}
