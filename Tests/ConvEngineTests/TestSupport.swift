import ConvEngine
import XCTest

/// Deterministic pseudo-random floats in [-1, 1) (LCG), so failures reproduce.
struct TestRNG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 23) - 1
    }
    mutating func array(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in next() * scale } }
}

/// Pools shared by all tests (threads are created once).
enum Pools {
    static let one = ThreadPool(threads: 1)
    static let two = ThreadPool(threads: 2)
    static let four = ThreadPool(threads: 4)
    static let all = [one, two, four]
}

/// Error metric used throughout: max |a − b| / max(1e-6, max |ref|) — relative to the reference's
/// largest magnitude, so values near zero are judged on the tensor's scale. Tolerance 1e-4.
func relativeError(_ got: [Float], _ ref: [Float]) -> Double {
    precondition(got.count == ref.count, "size mismatch \(got.count) vs \(ref.count)")
    var diff = 0.0
    var scale = 1e-6
    for (a, b) in zip(got, ref) {
        diff = max(diff, abs(Double(a) - Double(b)))
        scale = max(scale, abs(Double(b)))
    }
    return diff / scale
}

func assertClose(
    _ got: [Float], _ ref: [Float], tolerance: Double = 1e-4, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(got.count, ref.count, "count " + message, file: file, line: line)
    guard got.count == ref.count else { return }
    let e = relativeError(got, ref)
    XCTAssertLessThanOrEqual(e, tolerance, "relative error \(e) " + message, file: file, line: line)
}

/// A tensor filled with `values` (NCHW).
func makeTensor(_ shape: TensorShape, _ values: [Float]) throws -> Tensor {
    let t = try Tensor(shape: shape)
    try t.load(nchw: values)
    return t
}

/// Runs `op` on each pool and returns the NCHW output of each run, after checking all are bitwise
/// identical (the engine's reduction order does not depend on the thread count).
func runOnAllPools(_ op: EngineOp, output: Tensor, file: StaticString = #filePath, line: UInt = #line) -> [Float] {
    var results: [[Float]] = []
    for pool in Pools.all {
        op.run(pool)
        results.append(output.toNCHW())
    }
    for (i, r) in results.enumerated().dropFirst() {
        XCTAssertEqual(
            r.map(\.bitPattern), results[0].map(\.bitPattern),
            "\(Pools.all[i].threadCount) threads differ from 1 thread", file: file, line: line)
    }
    return results[0]
}

/// Channels `offset ..< offset + count` of an NCHW array with `total` channels.
func channelSlice(_ x: [Float], n: Int, total: Int, hw: Int, offset: Int, count: Int) -> [Float] {
    var out: [Float] = []
    for i in 0..<n {
        let base = (i * total + offset) * hw
        out += x[base..<(base + count * hw)]
    }
    return out
}

/// A same-size conv (padding k / 2, stride 1) on a c × hw × hw input, all weights 0.01, no bias: for
/// tests of how an op splits and orders its work, not of its values.
func sameSizeConv(c: Int, hw: Int, out: Int, k: Int) throws -> Conv2DOp {
    let input = try Tensor(shape: TensorShape(c: c, h: hw, w: hw))
    let output = try Tensor(shape: TensorShape(c: out, h: hw, w: hw))
    let w = try ConvWeights(
        outChannels: out, inChannels: c, kernelH: k, kernelW: k,
        weight: [Float](repeating: 0.01, count: out * c * k * k), bias: nil)
    return try Conv2DOp(
        input: input, output: ChannelSlice(output), params: ConvParams(pad: Padding2D(h: k / 2, w: k / 2)),
        weights: w)
}
