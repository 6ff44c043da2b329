import Foundation

/// Softmax over each image's C·H·W values (the flattened features; after a classifier they are the
/// channels of an N×C×1×1 tensor). Subtracts the maximum first so exp never overflows.
public final class SoftmaxOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let input: Tensor
    public let output: ChannelSlice
    public var flops: Int { 0 }

    public init(input: Tensor, output: ChannelSlice) throws {
        let s = input.shape
        try output.validate("softmax", n: s.n, channels: s.c, h: s.h, w: s.w)
        try checkNotAliased(input, output, "softmax")
        self.input = input
        self.output = output
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    /// One image.
    func runTask(_ n: Int, scratch: UnsafeMutableRawPointer) {
        let s = input.shape
        let pixels = s.h * s.w
        let src = input
        let dst = output.tensor
        let offset = output.offset
        var top = -Float.infinity
        for c in 0..<s.c {
            for p in 0..<pixels { top = max(top, src.data[src.offset(n: n, c: c, y: 0, x: 0) + p * channelBlock]) }
        }
        var sum: Float = 0
        for c in 0..<s.c {
            let from = src.offset(n: n, c: c, y: 0, x: 0)
            let to = dst.offset(n: n, c: offset + c, y: 0, x: 0)
            for p in 0..<pixels {
                let e = expf(src.data[from + p * channelBlock] - top)
                dst.data[to + p * channelBlock] = e
                sum += e
            }
        }
        let inv = 1 / sum
        for c in 0..<s.c {
            let to = dst.offset(n: n, c: offset + c, y: 0, x: 0)
            for p in 0..<pixels { dst.data[to + p * channelBlock] *= inv }
        }
    }
}
