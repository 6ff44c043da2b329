/// Fully connected layer on the flattened C·H·W features (PyTorch's flatten order), optional bias and
/// activation (ReLU, GELU). Output N×out×1×1.
///
/// A linear layer over a C×H×W input is exactly a conv with an H×W kernel and a 1×1 output, and the
/// PyTorch weight `[out][C·H·W]` is already the conv weight `[out][C][H][W]`; so this wraps `Conv2DOp`
/// and shares its kernels and packing (which also undoes the blocked layout's channel order).
public final class LinearOp: EngineOp, TaskedOp, @unchecked Sendable {
    private let conv: Conv2DOp
    public var flops: Int { conv.flops }

    /// `weight` is `[outFeatures][C·H·W]`, `bias` `[outFeatures]` or nil.
    /// `activation` (GELU for InceptionNeXt's MLP head) wins over `relu` when given.
    public init(
        input: Tensor, output: ChannelSlice, outFeatures: Int, weight: [Float], bias: [Float]?,
        relu: Bool, activation: Activation? = nil
    ) throws {
        let s = input.shape
        let w = try ConvWeights(
            outChannels: outFeatures, inChannels: s.c, kernelH: s.h, kernelW: s.w,
            weight: weight, bias: bias)
        try checkNotAliased(input, output, "linear")
        conv = try Conv2DOp(
            input: input, output: output, params: ConvParams(relu: relu, activation: activation), weights: w)
    }

    public func run(_ pool: ThreadPool) { conv.run(pool) }

    var prologueTaskCount: Int { conv.prologueTaskCount }
    func runPrologueTask(_ t: Int) { conv.runPrologueTask(t) }
    var taskCount: Int { conv.taskCount }
    func taskPosition(_ t: Int) -> Int { conv.taskPosition(t) }
    var reads: [Tensor] { conv.reads }
    var writes: (slice: ChannelSlice, channels: Int) { conv.writes }
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) { conv.runTask(t, scratch: scratch) }
}
