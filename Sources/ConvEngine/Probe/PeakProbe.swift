import Foundation

/// Measures this machine's FMA peak in GFLOP/s on `threads` threads (a fraction of a second).
///
/// Each thread runs 24 independent register-resident FMA chains on SIMD16<Float> — enough chains to
/// cover FMA latency, no memory traffic — so the rate is the FMA units' throughput, the ceiling any
/// conv kernel can reach. The best of a few short trials is reported (trials absorb frequency ramp-up
/// and neighbours on a shared machine).
public func measurePeakGFLOPS(threads: Int = ThreadPool.defaultThreadCount) -> Double {
    let pool = ThreadPool(threads: threads)
    defer { pool.shutdown() }
    let iterations = 400_000
    let sink = UnsafeMutablePointer<Float>.allocate(capacity: pool.threadCount)
    defer { sink.deallocate() }
    var best = 0.0
    for _ in 0..<5 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        pool.parallelFor(pool.threadCount) { t in sink[t] = fmaChains(iterations, seed: Float(t)) }
        let ns = Double(DispatchTime.now().uptimeNanoseconds - t0)
        // 24 chains × 16 lanes × 2 flops per FMA.
        let flops = Double(pool.threadCount) * Double(iterations) * 24 * 16 * 2
        best = max(best, flops / ns)
    }
    return best
}

@inline(never)
private func fmaChains(_ iterations: Int, seed: Float) -> Float {
    var acc = InlineArray<24, SIMD16<Float>>(repeating: SIMD16(repeating: seed))
    let a = SIMD16<Float>(repeating: 0.999_999)
    let b = SIMD16<Float>(repeating: 1e-7)
    for _ in 0..<iterations {
        for i in 0..<24 { acc[i] = acc[i].addingProduct(a, b) }
    }
    var total = SIMD16<Float>.zero
    for i in 0..<24 { total += acc[i] }
    return total.sum()
}
