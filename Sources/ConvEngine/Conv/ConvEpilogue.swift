/// A fused residual join at the end of a conv: `out = act(shortcut + scale · (W·x + b))`, written
/// straight into the output slice by the conv itself (Inception-ResNet: 1×1 conv with bias, ·0.17 /
/// 0.10 / 0.20, + block input, ReLU; the last block ×1.0 and no activation; Xception's and
/// InceptionNeXt's shortcuts, the latter with its per-channel layer scale γ folded into the weights
/// by the caller: `ConvWeights.scalingOutputs`).
///
/// `scale` is folded into the weights and bias at plan time (s·(W·x + b) = (s·W)·x + s·b), so the
/// kernel's reduction is untouched; the shortcut is added and the activation applied to each run of
/// output pixels right after the kernel stored it, while it is in L1 (`ConvEpilogue`) — no pass
/// over the output tensor.
public struct Residual: @unchecked Sendable {
    /// Same batch, height and width as the conv's output, exactly its channel count. It may be the
    /// output slice itself (an in-place sum: the output tensor, or a view of the output slice).
    public let shortcut: Tensor
    public let scale: Float

    public init(shortcut: Tensor, scale: Float = 1) {
        self.shortcut = shortcut
        self.scale = scale
    }

    /// Throws unless the shortcut matches the conv's output and does not alias its input.
    func validate(_ what: String, input: Tensor, output: ChannelSlice, outChannels: Int, h: Int, w: Int) throws {
        let s = shortcut.shape
        guard s.n == input.shape.n, s.c == outChannels, s.h == h, s.w == w else {
            throw EngineError.invalidShape(
                "\(what): shortcut is \(s), expected \(input.shape.n)x\(outChannels)x\(h)x\(w) like the output")
        }
        guard shortcut.root !== input.root else {
            throw EngineError.invalidParameter("\(what): the shortcut must not share the conv's input buffer")
        }
        // In place: each output element reads its own shortcut element just before writing it.
        guard
            shortcut.root !== output.tensor.root
                || shortcut.parentChannelOffset == output.tensor.parentChannelOffset + output.offset
        else {
            throw EngineError.invalidParameter(
                "\(what): a shortcut in the output's buffer must be the output slice itself (channel \(output.offset))")
        }
        guard scale.isFinite else {
            throw EngineError.invalidParameter("\(what): residual scale \(scale) is not finite")
        }
    }
}

/// What a direct conv does to its stored output after the micro-kernel: add the shortcut (if any),
/// then the activation. Only for the cases the kernel's own store does not cover (it adds the bias
/// and applies ReLU itself): a residual, or GELU. Applied per task's run of pixels (a row or a
/// chunk, just written, in L1), or per tile where tiles go through scratch (`ConvRowDriver.run`).
struct ConvEpilogue {
    /// Shortcut at image n, the group's first output block, the task's first pixel (nil: none).
    var shortcut: UnsafePointer<Float>?
    /// Between the shortcut's channel blocks.
    var shortcutBlock: Int
    var activation: Activation
    /// The shortcut is the output slice itself: the kernel must not store into it before the
    /// shortcut is read (`ConvRowDriver.tile` then goes through scratch).
    var inPlace = false

    /// The epilogue a conv with these params needs beyond its kernel's store, or nil.
    static func needed(_ params: ConvParams, residual: Residual?) -> Bool {
        residual != nil || params.activation == .gelu
    }

    /// Whether the micro-kernel itself should apply ReLU (only when no epilogue runs after it).
    static func kernelReLU(_ params: ConvParams, residual: Residual?) -> Bool {
        params.relu && residual == nil
    }

    /// Applies the epilogue to `fb` blocks × `p` pixels at `tile` (block stride `tileBlock`, pixel
    /// stride 16); the tile's pixels start `pixelOffset` pixels after the shortcut origin.
    @inline(__always)
    func apply(_ tile: UnsafeMutablePointer<Float>, tileBlock: Int, blocks fb: Int, pixels p: Int, pixelOffset: Int) {
        for f in 0..<fb {
            let row = tile + f &* tileBlock
            let sc = shortcut.map { $0 + (f &* shortcutBlock &+ pixelOffset &* channelBlock) }
            for i in 0..<p {
                let at = UnsafeMutableRawPointer(row + i &* channelBlock)
                var v = at.load(as: SIMD16<Float>.self)
                if let sc { v += loadVector(sc + i &* channelBlock) }
                at.storeBytes(of: activation.apply(v), as: SIMD16<Float>.self)
            }
        }
    }
}
