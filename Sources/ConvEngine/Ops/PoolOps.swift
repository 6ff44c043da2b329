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

    public init(kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, padH: Int = 0, padW: Int = 0,
                ceilMode: Bool = false, countPad: Bool = true) {
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
            throw EngineError.invalidParameter("pool: kernel \(kernelH)x\(kernelW) and stride \(strideH)x\(strideW) must be ≥ 1")
        }
        guard padH >= 0, padW >= 0, 2 * padH <= kernelH, 2 * padW <= kernelW else {
            throw EngineError.invalidParameter("pool: pad \(padH)x\(padW) must be between 0 and half the kernel \(kernelH)x\(kernelW)")
        }
        guard h + 2 * padH >= kernelH, w + 2 * padW >= kernelW else {
            throw EngineError.invalidShape("pool: kernel \(kernelH)x\(kernelW) is larger than the padded input \(h + 2 * padH)x\(w + 2 * padW)")
        }
        return (PoolParams.outputLength(h, kernel: kernelH, stride: strideH, pad: padH, ceil: ceilMode),
                PoolParams.outputLength(w, kernel: kernelW, stride: strideW, pad: padW, ceil: ceilMode))
    }

    /// The window of output index `o` along an axis of length n: the clipped input range, and the
    /// count-pad divisor extent (window clipped to the padded input, n + p, but not to the input).
    @inline(__always)
    static func window(_ o: Int, n: Int, kernel k: Int, stride s: Int, pad p: Int)
        -> (lo: Int, hi: Int, padded: Int) {
        let start = o &* s &- p
        let end = min(start &+ k, n &+ p)
        return (max(start, 0), min(end, n), end &- start)
    }
}

public enum PoolKind: Sendable {
    case max
    case average
}

/// A planned max or average pool on NCHW16c tensors, 16 channels per vector, into a channel slice.
/// One task per (image, channel block, output row).
public final class PoolOp: EngineOp, @unchecked Sendable {
    public let kind: PoolKind
    public let params: PoolParams
    public let input: Tensor
    public let output: ChannelSlice
    public let outH: Int
    public let outW: Int
    public var flops: Int { 0 }
    private let store: SliceStore

    public init(_ kind: PoolKind, input: Tensor, output: ChannelSlice, params: PoolParams) throws {
        let s = input.shape
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w)
        try output.validate("pool", n: s.n, channels: s.c, h: oh, w: ow)
        try checkNotAliased(input, output, "pool")
        guard s.w * MemoryLayout<SIMD16<Float>>.stride <= ThreadPool.scratchBytes else {
            throw EngineError.invalidShape("pool: input width \(s.w) exceeds the engine's row scratch")
        }
        self.kind = kind
        self.params = params
        self.input = input
        self.output = output
        outH = oh
        outW = ow
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) {
        let perImage = input.blocks * outH
        pool.parallelFor(input.shape.n * perImage) { t, scratch in
            // One reduced row in the thread's scratch: [w] vectors, each the max/sum of its column over
            // the window's rows.
            let columns = scratch.assumingMemoryBound(to: SIMD16<Float>.self)
            row(n: t / perImage, block: (t % perImage) / outH, oy: t % outH, columns: columns)
        }
    }

    /// Separable: reduce each input column over the window's rows once, then each output over its
    /// window's columns — kh + kw vector ops per output instead of kh · kw. Windows are never empty
    /// (pad ≤ kernel / 2 and the ceil-mode rule), so each reduction starts from its first cell.
    private func row(n: Int, block: Int, oy: Int, columns: UnsafeMutablePointer<SIMD16<Float>>) {
        switch kind {
        case .max: reduceRow(MaxReducer.self, n: n, block: block, oy: oy, columns: columns)
        case .average: reduceRow(SumReducer.self, n: n, block: block, oy: oy, columns: columns)
        }
    }

    @inline(__always)
    private func reduceRow<R: PoolReducer>(_: R.Type, n: Int, block: Int, oy: Int,
                                           columns: UnsafeMutablePointer<SIMD16<Float>>) {
        let s = input.shape
        let p = params
        let plane = UnsafePointer(input.data) + n * input.imageStride + block * input.blockStride
        let wy = PoolParams.window(oy, n: s.h, kernel: p.kernelH, stride: p.strideH, pad: p.padH)
        let rowStride = s.w &* channelBlock
        for x in 0..<s.w {
            var cell = plane + (wy.lo &* s.w &+ x) &* channelBlock
            var v = loadVector(cell)
            var y = wy.lo &+ 1
            while y < wy.hi {
                cell += rowStride
                v = R.combine(v, loadVector(cell))
                y &+= 1
            }
            columns[x] = v
        }
        for ox in 0..<outW {
            let wx = PoolParams.window(ox, n: s.w, kernel: p.kernelW, stride: p.strideW, pad: p.padW)
            var v = columns[wx.lo]
            var x = wx.lo &+ 1
            while x < wx.hi {
                v = R.combine(v, columns[x])
                x &+= 1
            }
            if R.self == SumReducer.self {
                let count = p.countPad ? wy.padded &* wx.padded : (wy.hi &- wy.lo) &* (wx.hi &- wx.lo)
                v /= SIMD16(repeating: Float(count))
            }
            store.store(v, n: n, block: block, pixel: oy &* outW &+ ox)
        }
    }
}

/// How a pool combines two cells, 16 channels at a time.
protocol PoolReducer {
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
}

enum MaxReducer: PoolReducer {
    /// Not pointwiseMax: that is lane-by-lane generic code here, 30x slower.
    @inline(__always)
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a.replacing(with: b, where: b .> a) }
}

enum SumReducer: PoolReducer {
    @inline(__always)
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a + b }
}

/// Global average pool: N×C×H×W → N×C×1×1 (into a channel slice of an N×C′×1×1 tensor).
public final class GlobalAvgPoolOp: EngineOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let store: SliceStore

    public init(input: Tensor, output: ChannelSlice) throws {
        let s = input.shape
        try output.validate("global average pool", n: s.n, channels: s.c, h: 1, w: 1)
        try checkNotAliased(input, output, "global average pool")
        self.input = input
        self.output = output
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) {
        let s = input.shape
        let pixels = s.h * s.w
        pool.parallelFor(s.n * input.blocks) { t in
            let plane = UnsafePointer(input.data) + t * input.blockStride
            var sum = SIMD16<Float>.zero
            for p in 0..<pixels { sum += loadVector(plane + p * channelBlock) }
            store.store(sum / SIMD16(repeating: Float(pixels)), n: t / input.blocks, block: t % input.blocks, pixel: 0)
        }
    }
}
