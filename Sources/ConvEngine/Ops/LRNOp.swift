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

/// A planned LRN on NCHW16c tensors. For each pixel it walks the channel blocks keeping the squares of
/// the previous, current and next block, so a window reaching up to 16 channels either side is a sum
/// of shifted vectors (sizes up to 33). The power uses sqrt for beta = 0.75 and 0.5 (GoogLeNet's
/// case), `powf` lane by lane otherwise. One task per (image, row).
public final class LRNOp: EngineOp, @unchecked Sendable {
    public let params: LRNParams
    public let input: Tensor
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let store: SliceStore

    public init(input: Tensor, output: ChannelSlice, params: LRNParams) throws {
        let s = input.shape
        guard params.size >= 1, params.size <= 33 else {
            throw EngineError.invalidParameter("lrn: size \(params.size) must be between 1 and 33")
        }
        guard params.k > 0 || params.beta == 0 else {
            throw EngineError.invalidParameter("lrn: k = \(params.k) must be > 0")
        }
        try output.validate("lrn", n: s.n, channels: s.c, h: s.h, w: s.w)
        try checkNotAliased(input, output, "lrn")
        self.params = params
        self.input = input
        self.output = output
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) {
        let s = input.shape
        pool.parallelFor(s.n * s.h) { t in
            // Squares of blocks b−1, b, b+1 side by side: [48], window sums are unaligned loads.
            withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 3) { buf in
                guard let base = buf.baseAddress else { return }
                row(n: t / s.h, y: t % s.h, squares: UnsafeMutableRawPointer(base).assumingMemoryBound(to: Float.self))
            }
        }
    }

    private func row(n: Int, y: Int, squares sq: UnsafeMutablePointer<Float>) {
        let s = input.shape
        let before = (params.size - 1) / 2
        let after = params.size - 1 - before
        let scale = SIMD16<Float>(repeating: params.alpha / Float(params.size))
        let k = SIMD16<Float>(repeating: params.k)
        let image = UnsafePointer(input.data) + n * input.imageStride
        for x in 0..<s.w {
            let pixel = y * s.w + x
            let at = { (b: Int) -> SIMD16<Float> in
                b < self.input.blocks ? loadVector(image + b * self.input.blockStride + pixel * channelBlock) : .zero
            }
            var prev = SIMD16<Float>.zero
            var cur = at(0)
            for b in 0..<input.blocks {
                let next = at(b + 1)
                let raw = UnsafeMutableRawPointer(sq)
                raw.storeBytes(of: prev * prev, as: SIMD16<Float>.self)
                raw.storeBytes(of: cur * cur, toByteOffset: 64, as: SIMD16<Float>.self)
                raw.storeBytes(of: next * next, toByteOffset: 128, as: SIMD16<Float>.self)
                var sum = SIMD16<Float>.zero
                for d in -before...after {
                    sum += UnsafeRawPointer(sq + channelBlock + d).loadUnaligned(as: SIMD16<Float>.self)
                }
                let base = k + scale * sum
                store.store(cur * power(base), n: n, block: b, pixel: pixel)
                prev = cur
                cur = next
            }
        }
    }

    /// base^(−beta).
    @inline(__always)
    private func power(_ base: SIMD16<Float>) -> SIMD16<Float> {
        switch params.beta {
        case 0.75:
            let r = 1 / base.squareRoot()
            return r * r.squareRoot()
        case 0.5:
            return 1 / base.squareRoot()
        default:
            var out = SIMD16<Float>()
            for i in 0..<channelBlock { out[i] = powf(base[i], -params.beta) }
            return out
        }
    }
}
