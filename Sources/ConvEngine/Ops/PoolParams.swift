/// Window, stride, padding and rounding of a max or average pool (PyTorch semantics).
public struct PoolParams: Hashable, Sendable {
    public var kernelH: Int
    public var kernelW: Int
    public var strideH: Int
    public var strideW: Int
    /// Symmetric pads per axis (PyTorch requires pad ≤ kernel / 2; so does this engine).
    public var padH: Int
    public var padW: Int
    /// Round the output size up; the last window is dropped when it would start in the end padding.
    public var ceilMode: Bool
    /// Average pool: padded cells count in the divisor (PyTorch `count_include_pad`, Caffe default).
    public var countPad: Bool

    public init(
        kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, padH: Int = 0, padW: Int = 0,
        ceilMode: Bool = false, countPad: Bool = true
    ) {
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.strideH = strideH
        self.strideW = strideW
        self.padH = padH
        self.padW = padW
        self.ceilMode = ceilMode
        self.countPad = countPad
    }

    /// Output extent along one axis, PyTorch's `pooling_output_shape`:
    /// out = ⌊(n + 2p − k + (ceil ? s − 1 : 0)) / s⌋ + 1, minus one in ceil mode when (out − 1)·s ≥ n + p.
    static func outputLength(_ n: Int, kernel k: Int, stride s: Int, pad p: Int, ceil: Bool) -> Int {
        var out = (n + 2 * p - k + (ceil ? s - 1 : 0)) / s + 1
        if ceil && (out - 1) * s >= n + p { out -= 1 }
        return out
    }

    /// Output height and width for an h × w input. Throws on a bad kernel, stride or pad.
    public func outputSize(h: Int, w: Int) throws -> (h: Int, w: Int) {
        guard kernelH > 0, kernelW > 0, strideH > 0, strideW > 0 else {
            throw EngineError.invalidParameter(
                "pool: kernel \(kernelH)x\(kernelW) and stride \(strideH)x\(strideW) must be ≥ 1")
        }
        guard padH >= 0, padW >= 0, 2 * padH <= kernelH, 2 * padW <= kernelW else {
            throw EngineError.invalidParameter(
                "pool: pad \(padH)x\(padW) must be between 0 and half the kernel \(kernelH)x\(kernelW)")
        }
        guard h + 2 * padH >= kernelH, w + 2 * padW >= kernelW else {
            throw EngineError.invalidShape(
                "pool: kernel \(kernelH)x\(kernelW) is larger than the padded input \(h + 2 * padH)x\(w + 2 * padW)")
        }
        return (
            PoolParams.outputLength(h, kernel: kernelH, stride: strideH, pad: padH, ceil: ceilMode),
            PoolParams.outputLength(w, kernel: kernelW, stride: strideW, pad: padW, ceil: ceilMode)
        )
    }

    /// The window of output index `o` along an axis of length n: the clipped input range, and the
    /// count-pad divisor extent (window clipped to the padded input, n + p, but not to the input).
    @inline(__always)
    static func window(
        _ o: Int, n: Int, kernel k: Int, stride s: Int, pad p: Int
    )
        -> (lo: Int, hi: Int, padded: Int)
    {
        let start = o &* s &- p
        let end = min(start &+ k, n &+ p)
        return (max(start, 0), min(end, n), end &- start)
    }
}
