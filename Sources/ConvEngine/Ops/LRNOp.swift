import Foundation

/// Local response normalisation across channels (Caffe / ONNX / PyTorch definition):
/// y_c = x_c / (k + alpha/size · Σ x²)^beta, the sum over channels c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉
/// that exist.
public struct LRNParams: Hashable, Sendable {
    public var size: Int
    public var alpha: Float
    public var beta: Float
    public var k: Float

    public init(size: Int = 5, alpha: Float = 1e-4, beta: Float = 0.75, k: Float = 1) {
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
    }
}

/// A planned LRN on NCHW16c tensors. One task per (image, row), a few pixels at a time: the squares of
/// those pixels are written channel-contiguous to a stack scratch (zero margins of 16 channels either
/// side), so a window of channels is a sum of unaligned vector loads (sizes up to 33). The power uses
/// a vector inverse square root for beta = 0.75 and 0.5 (GoogLeNet's case), `powf` lane by lane
/// otherwise.
public final class LRNOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let params: LRNParams
    public let input: Tensor
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let store: SliceStore
    /// Pixels per scratch pass (up to 4, fewer for very wide channel counts).
    private let pixelsPerPass: Int

    public init(input: Tensor, output: ChannelSlice, params: LRNParams) throws {
        let s = input.shape
        guard params.size >= 1, params.size <= 33 else {
            throw EngineError.invalidParameter("lrn: size \(params.size) must be between 1 and 33")
        }
        guard params.k > 0, params.alpha >= 0 else {
            throw EngineError.invalidParameter("lrn: k = \(params.k) must be > 0 and alpha = \(params.alpha) ≥ 0")
        }
        try output.validate("lrn", n: s.n, channels: s.c, h: s.h, w: s.w)
        try checkNotAliased(input, output, "lrn")
        let perPixel = (input.blocks + 2) * MemoryLayout<SIMD16<Float>>.stride
        guard perPixel <= ThreadPool.scratchBytes else {
            throw EngineError.invalidShape("lrn: \(s.c) channels exceed the engine's scratch")
        }
        pixelsPerPass = min(4, ThreadPool.scratchBytes / perPixel)
        self.params = params
        self.input = input
        self.output = output
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n * input.shape.h }
    func taskPosition(_ t: Int) -> Int { t * input.shape.w }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    /// One row of one image. Thread scratch: [pixelsPerPass][16 zeros, blocks · 16 squares, 16 zeros].
    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        let h = input.shape.h
        let stride = (input.blocks + 2) * channelBlock
        let scratch = raw.assumingMemoryBound(to: Float.self)
        scratch.update(repeating: 0, count: pixelsPerPass * stride)
        row(n: t / h, y: t % h, scratch: scratch, stride: stride)
    }

    private func row(n: Int, y: Int, scratch: UnsafeMutablePointer<Float>, stride: Int) {
        let s = input.shape
        let before = (params.size - 1) / 2
        let after = params.size - 1 - before
        let scale = SIMD16<Float>(repeating: params.alpha / Float(params.size))
        let k = SIMD16<Float>(repeating: params.k)
        let image = UnsafePointer(input.data) + n * input.imageStride
        var x0 = 0
        while x0 < s.w {
            let count = min(pixelsPerPass, s.w - x0)
            for b in 0..<input.blocks {
                for i in 0..<count {
                    let v = loadVector(image + b * input.blockStride + (y * s.w + x0 + i) * channelBlock)
                    UnsafeMutableRawPointer(scratch + i * stride + (b + 1) * channelBlock).storeBytes(
                        of: v * v, as: SIMD16<Float>.self)
                }
            }
            for b in 0..<input.blocks {
                for i in 0..<count {
                    let centre = scratch + i * stride + (b + 1) * channelBlock
                    var sum = SIMD16<Float>.zero
                    for d in -before...after {
                        sum += UnsafeRawPointer(centre + d).loadUnaligned(as: SIMD16<Float>.self)
                    }
                    let pixel = y * s.w + x0 + i
                    let v = loadVector(image + b * input.blockStride + pixel * channelBlock)
                    store.store(v * power(k + scale * sum), n: n, block: b, pixel: pixel)
                }
            }
            x0 += count
        }
    }

    /// base^(−beta) for base > 0.
    @inline(__always)
    private func power(_ base: SIMD16<Float>) -> SIMD16<Float> {
        switch params.beta {
        case 0.75:
            let r = inverseSquareRoot(base)
            return r * r * inverseSquareRoot(r)
        case 0.5:
            return inverseSquareRoot(base)
        default:
            var out = SIMD16<Float>()
            for i in 0..<channelBlock { out[i] = powf(base[i], -params.beta) }
            return out
        }
    }
}

/// 1/√x for positive normal x, to float precision: the classic bit-level estimate refined by three
/// Newton steps (each squares the relative error: 3.4e-2 → 1.7e-3 → 4.4e-6 → float rounding).
/// SIMD16's own squareRoot() calls sqrtf lane by lane here (errno handling) and was 30x slower.
@inline(__always)
func inverseSquareRoot(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
    var y = unsafeBitCast(SIMD16<UInt32>(repeating: 0x5f37_59df) &- (bits &>> 1), to: SIMD16<Float>.self)
    let half = x * 0.5
    for _ in 0..<3 { y = y * (1.5 - half * y * y) }
    return y
}
