/// How a planned convolution computes its output: the direct conv (`Conv2DOp`) or Winograd's
/// F(m×m, 3×3) (`WinogradConvOp`, 3×3 stride-1 convs only). Both have the same contract (input
/// tensor, output slice, bias, ReLU); they differ in speed, memory and rounding error, so a planner
/// picks one per layer.
public enum ConvAlgorithm: Hashable, Sendable, CustomStringConvertible {
    case direct
    case winograd(tile: Int)

    /// "direct", "winograd F(4,3)".
    public var description: String {
        switch self {
        case .direct: "direct"
        case .winograd(let m): "winograd F(\(m),3)"
        }
    }

    /// Parses `description`.
    public init?(_ text: String) {
        if text == "direct" {
            self = .direct
            return
        }
        for m in [2, 4, 6] where text == "winograd F(\(m),3)" {
            self = .winograd(tile: m)
            return
        }
        return nil
    }

    public var isWinograd: Bool { if case .winograd = self { true } else { false } }

    /// The algorithms that can run a conv of this geometry: direct always; Winograd for 3×3 stride 1
    /// when a task's scratch fits.
    public static func candidates(kernelH: Int, kernelW: Int, params: ConvParams, inChannels: Int) -> [ConvAlgorithm] {
        [.direct] + [2, 4, 6].filter {
            WinogradConvOp.supports(kernelH: kernelH, kernelW: kernelW, params: params, inChannels: inChannels, tile: $0)
        }.map { .winograd(tile: $0) }
    }

    /// Plans the conv with this algorithm.
    public func makeOp(input: Tensor, output: ChannelSlice, params: ConvParams, weights: ConvWeights) throws -> any EngineOp {
        switch self {
        case .direct: try Conv2DOp(input: input, output: output, params: params, weights: weights)
        case .winograd(let m): try WinogradConvOp(input: input, output: output, params: params, weights: weights, tile: m)
        }
    }

    /// Bytes of the packed weights and bias the op keeps (for memory estimates): the direct conv's
    /// `[outBlock][reduction][16]` plus its offset table; Winograd's (m + 2)² / 9 times as many values.
    public func weightBytes(outChannels: Int, inChannels: Int, kernelH: Int, kernelW: Int) -> Int {
        let ob = (outChannels + channelBlock - 1) / channelBlock
        switch self {
        case .direct:
            let reduction = inChannels * kernelH * kernelW
            return (ob * channelBlock * reduction + ob * channelBlock + reduction) * MemoryLayout<Float>.stride
        case .winograd(let m):
            return WinogradWeights.bytes(outChannels: outChannels, inChannels: inChannels, tile: m)
                + inChannels * MemoryLayout<Int32>.stride + ob * channelBlock * MemoryLayout<Float>.stride
        }
    }

    /// MACs the algorithm really multiplies for one image of outH × outW outputs (transforms not
    /// counted): the direct count, or tiles · (m + 2)² · inChannels · outChannels.
    public func executedMACs(outChannels: Int, inChannels: Int, kernelH: Int, kernelW: Int, outH: Int, outW: Int) -> Int {
        switch self {
        case .direct:
            return outH * outW * outChannels * inChannels * kernelH * kernelW
        case .winograd(let m):
            let tiles = ((outH + m - 1) / m) * ((outW + m - 1) / m)
            return tiles * (m + 2) * (m + 2) * inChannels * outChannels
        }
    }
}
