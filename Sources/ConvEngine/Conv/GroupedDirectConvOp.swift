/// A planned grouped convolution (groups > 1): the input's channels fall into `groups` equal
/// groups, and output group g (outChannels / groups channels) sees only input group g
/// (inChannels / groups channels). One `Conv2DOp` per group on the direct conv's micro-kernel,
/// each reading its channel range of the input in place (`Conv2DOp.inputChannels`, also a range
/// that starts inside a 16-channel block) and writing its channels of the output slice (lane by
/// lane where a group's output does not start on a block), all as one op: the groups' tasks run
/// in one parallel run.
///
/// Depthwise convs (groups = in = out channels) have their own, far faster op (`DepthwiseConvOp`:
/// here each group would be a 1-channel reduction with a lane-by-lane store); `makeGroupedConv`
/// picks it. The plain twin is `GroupedConvOp` / `Reference.groupedConv2d` in `Reference`.
public final class GroupedDirectConvOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public let groups: Int
    public let outChannels: Int
    public let flops: Int
    /// One direct conv per group.
    let convs: [Conv2DOp]
    /// `[groups + 1]`: first task (and first prologue task) of each group's conv.
    private let firstTask: [Int]
    private let firstPrologue: [Int]

    /// `weights`: PyTorch's grouped layout `[out][in / groups][kh][kw]` (inChannels = in / groups).
    /// `residual`: a fused shortcut (`Residual`), its channels split with the output's.
    /// Bytes of the weights this op keeps: one direct conv's packed weights per group (the plan's
    /// memory estimate).
    public static func weightBytes(
        outChannels: Int, inChannels: Int, groups: Int, kernelH: Int, kernelW: Int
    ) -> Int {
        groups
            * ConvAlgorithm.direct.weightBytes(
                outChannels: outChannels / groups, inChannels: inChannels / groups, kernelH: kernelH, kernelW: kernelW)
    }

    public init(
        input: Tensor, output: ChannelSlice, params: ConvParams, weights: ConvWeights, groups: Int,
        residual: Residual? = nil
    ) throws {
        let s = input.shape
        guard groups >= 1, s.c % groups == 0, weights.outChannels % groups == 0 else {
            throw EngineError.invalidParameter(
                "grouped conv: \(groups) groups do not divide \(s.c) input and \(weights.outChannels) output channels")
        }
        let cin = s.c / groups, cout = weights.outChannels / groups
        guard weights.inChannels == cin else {
            throw EngineError.invalidShape(
                "grouped conv: weights expect \(weights.inChannels) input channels per group, the input has \(cin) (\(s.c) / \(groups))"
            )
        }
        if residual != nil, groups > 1, cout % channelBlock != 0 {
            throw EngineError.invalidParameter(
                "grouped conv: a fused residual needs \(cout) output channels per group to be whole 16-channel blocks")
        }
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w, kh: weights.kernelH, kw: weights.kernelW)
        try output.validate("grouped conv", n: s.n, channels: weights.outChannels, h: oh, w: ow)
        let perGroup = cout * cin * weights.kernelH * weights.kernelW
        var convs: [Conv2DOp] = []
        for g in 0..<groups {
            let w = try ConvWeights(
                outChannels: cout, inChannels: cin, kernelH: weights.kernelH, kernelW: weights.kernelW,
                weight: Array(weights.weight[g * perGroup..<(g + 1) * perGroup]),
                bias: weights.bias.map { Array($0[g * cout..<(g + 1) * cout]) })
            let r = try residual.map { r in
                Residual(
                    shortcut: try r.shortcut.channelView(g * cout..<(g + 1) * cout).unwrap("grouped conv shortcut"),
                    scale: r.scale)
            }
            convs.append(
                try Conv2DOp(
                    input: input, output: ChannelSlice(output.tensor, offset: output.offset + g * cout),
                    params: params, weights: w, inputChannels: g * cin..<(g + 1) * cin, residual: r))
        }
        self.input = input
        self.output = output
        self.groups = groups
        outChannels = weights.outChannels
        flops = convs.reduce(0) { $0 + $1.flops }
        self.convs = convs
        var first = [0], firstP = [0]
        for c in convs {
            first.append(first[first.count - 1] + c.taskCount)
            firstP.append(firstP[firstP.count - 1] + c.prologueTaskCount)
        }
        firstTask = first
        firstPrologue = firstP
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var prologueTaskCount: Int { firstPrologue[groups] }
    func runPrologueTask(_ t: Int) {
        let g = group(of: t, in: firstPrologue)
        convs[g].runPrologueTask(t - firstPrologue[g])
    }
    var taskCount: Int { firstTask[groups] }
    /// Group by group (a group's weights are read by its tasks only).
    func taskPosition(_ t: Int) -> Int { t }
    var reads: [Tensor] { convs[0].reads }
    var writes: (slice: ChannelSlice, channels: Int) { (output, outChannels) }
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let g = group(of: t, in: firstTask)
        convs[g].runTask(t - firstTask[g], scratch: scratch)
    }

    /// The group whose range `[first[g], first[g + 1])` holds `t` (binary search).
    private func group(of t: Int, in first: [Int]) -> Int {
        var lo = 0, hi = groups - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if first[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// Plans a conv with `groups` groups: `Conv2DOp` for 1 group, `DepthwiseConvOp` for a depthwise conv
/// (groups = in = out channels, no residual), `GroupedDirectConvOp` otherwise.
public func makeGroupedConv(
    input: Tensor, output: ChannelSlice, params: ConvParams, weights: ConvWeights, groups: Int,
    residual: Residual? = nil, inputReLU: Bool = false
) throws -> any EngineOp {
    let depthwise =
        groups > 1 && groups == input.shape.c && weights.outChannels == groups && weights.inChannels == 1
        && residual == nil
    if inputReLU && !depthwise {
        throw EngineError.invalidParameter("grouped conv: only a depthwise conv applies a ReLU to its input")
    }
    if groups == 1 {
        return try Conv2DOp(input: input, output: output, params: params, weights: weights, residual: residual)
    }
    if depthwise {
        return try DepthwiseConvOp(
            input: input, output: output, params: params, weights: weights, inputReLU: inputReLU)
    }
    return try GroupedDirectConvOp(
        input: input, output: output, params: params, weights: weights, groups: groups, residual: residual)
}

/// Bytes of the weights the op `makeGroupedConv` picks for these shapes keeps (the plan's memory
/// estimate): the same choice, so the estimate counts what the plan will allocate.
public func groupedConvWeightBytes(
    inChannels: Int, outChannels: Int, groups: Int, kernelH: Int, kernelW: Int
) -> Int {
    if groups == 1 {
        return ConvAlgorithm.direct.weightBytes(
            outChannels: outChannels, inChannels: inChannels, kernelH: kernelH, kernelW: kernelW)
    }
    if groups == inChannels && outChannels == groups {
        return DepthwiseConvOp.weightBytes(channels: inChannels, kernelH: kernelH, kernelW: kernelW)
    }
    return GroupedDirectConvOp.weightBytes(
        outChannels: outChannels, inChannels: inChannels, groups: groups, kernelH: kernelH, kernelW: kernelW)
}

extension Optional {
    /// The value, or an invalid-parameter error naming `what`.
    func unwrap(_ what: String) throws -> Wrapped {
        guard let v = self else { throw EngineError.invalidParameter("\(what): not available") }
        return v
    }
}
