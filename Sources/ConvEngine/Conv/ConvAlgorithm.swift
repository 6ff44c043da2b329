/// How a planned convolution computes its output: the direct conv (`Conv2DOp`) or Winograd
/// (`WinogradConvOp`: stride-1 3×3 and 5×5 in 2-D, 1×n / n×1 in 1-D). Both have the same contract (input
/// tensor, output slice, bias, ReLU); they differ in speed, memory and rounding error, so a planner
/// picks one per layer.
public enum ConvAlgorithm: Hashable, Sendable, CustomStringConvertible {
    case direct
    /// Output tile m along each axis with more than one tap, r = the kernel's taps along them.
    case winograd(tile: Int, taps: Int)

    /// "direct", "winograd F(4,3)" (F(m, r): m outputs per r-tap kernel along an axis).
    public var description: String {
        switch self {
        case .direct: "direct"
        case .winograd(let m, let r): "winograd F(\(m),\(r))"
        }
    }

    /// Parses `description`.
    public init?(_ text: String) {
        if text == "direct" {
            self = .direct
            return
        }
        for r in [3, 5, 7] {
            for m in [2, 4, 6] where text == "winograd F(\(m),\(r))" && WinogradTransform.tile(m, taps: r) != nil {
                self = .winograd(tile: m, taps: r)
                return
            }
        }
        return nil
    }

    public var isWinograd: Bool { if case .winograd = self { true } else { false } }

    /// The algorithms that can run a conv of this geometry: direct always; Winograd at stride 1 for
    /// every tile with a transform for the kernel's taps (3×3, 5×5, 1×n, n×1) whose task scratch fits.
    public static func candidates(kernelH: Int, kernelW: Int, params: ConvParams, inChannels: Int) -> [ConvAlgorithm] {
        [.direct]
            + [2, 4, 6].filter {
                WinogradConvOp.supports(
                    kernelH: kernelH, kernelW: kernelW, params: params, inChannels: inChannels, tile: $0)
            }.map { .winograd(tile: $0, taps: max(kernelH, kernelW)) }
    }

    /// Plans the conv with this algorithm (with a fused residual join when `residual` is given).
    public func makeOp(
        input: Tensor, output: ChannelSlice, params: ConvParams, weights: ConvWeights,
        residual: Residual? = nil
    ) throws -> any EngineOp {
        switch self {
        case .direct: try Conv2DOp(input: input, output: output, params: params, weights: weights, residual: residual)
        case .winograd(let m, _):
            try WinogradConvOp(
                input: input, output: output, params: params, weights: weights, tile: m, residual: residual)
        }
    }

    /// Bytes of the packed weights and bias the op keeps (for memory estimates): the direct conv's
    /// `[outBlock][reduction][16]` plus its offset table; Winograd's h.t · w.t / (kh · kw) times as
    /// many values ((m + 2)² / 9 for 3×3).
    public func weightBytes(outChannels: Int, inChannels: Int, kernelH: Int, kernelW: Int) -> Int {
        let ob = (outChannels + channelBlock - 1) / channelBlock
        switch self {
        case .direct:
            let reduction = inChannels * kernelH * kernelW
            return (ob * channelBlock * reduction + ob * channelBlock + reduction) * MemoryLayout<Float>.stride
        case .winograd(let m, _):
            let xi = WinogradTransform.pair(kernelH: kernelH, kernelW: kernelW, tile: m).map { $0.h.t * $0.w.t } ?? 0
            return WinogradWeights.bytes(outChannels: outChannels, inChannels: inChannels, xiCount: xi)
                + inChannels * MemoryLayout<Int32>.stride + ob * channelBlock * MemoryLayout<Float>.stride
        }
    }

    /// MACs the algorithm really multiplies for one image of outH × outW outputs (transforms not
    /// counted): the direct count, or tiles · (m + 2)² · inChannels · outChannels.
    public func executedMACs(outChannels: Int, inChannels: Int, kernelH: Int, kernelW: Int, outH: Int, outW: Int) -> Int
    {
        switch self {
        case .direct:
            return outH * outW * outChannels * inChannels * kernelH * kernelW
        case .winograd(let m, _):
            guard let (h, w) = WinogradTransform.pair(kernelH: kernelH, kernelW: kernelW, tile: m) else { return 0 }
            let tiles = ((outH + h.m - 1) / h.m) * ((outW + w.m - 1) / w.m)
            return tiles * h.t * w.t * inChannels * outChannels
        }
    }
}
