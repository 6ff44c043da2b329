import Foundation

/// Measures this machine's sustained main-memory bandwidth in GB/s (10⁹ bytes per second) on
/// `threads` threads, with a STREAM-triad-like loop: `a[i] = b[i] + s·c[i]` over three float arrays
/// of `megabytesPerArray` MiB each (default 64 MiB, well beyond any L3 of this class of machine, so
/// every pass streams from DRAM). A fraction of a second; the best of a few passes is reported, as
/// STREAM does (passes absorb page faults, frequency ramp-up and neighbours on a shared machine).
///
/// Bytes are counted as STREAM counts them: 3 × 4 × n per pass (read b, read c, write a). The
/// write-allocate read of `a` that a cache without non-temporal stores also performs is not
/// counted, so this is the bandwidth a kernel sees for the bytes it asks for — the figure the
/// roofline's memory roof wants.
///
/// The arrays split into one contiguous chunk per thread; the chunks are first touched in parallel
/// too, so no one thread faults in all the pages.
public func measureBandwidthGBs(
    threads: Int = ThreadPool.defaultThreadCount, megabytesPerArray: Int = 64,
    passes: Int = 10
) -> Double {
    let pool = ThreadPool(threads: threads)
    defer { pool.shutdown() }
    // Floats per array, a multiple of 16 per thread so the SIMD loop has no tail.
    let perThread = max(16, (max(1, megabytesPerArray) << 20) / 4 / pool.threadCount / 16 * 16)
    let n = perThread * pool.threadCount
    let a = UnsafeMutablePointer<Float>.allocate(capacity: n)  // [n] output
    let b = UnsafeMutablePointer<Float>.allocate(capacity: n)  // [n] input
    let c = UnsafeMutablePointer<Float>.allocate(capacity: n)  // [n] input
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    pool.parallelFor(pool.threadCount) { t in
        let start = t * perThread
        (a + start).initialize(repeating: 0, count: perThread)
        (b + start).initialize(repeating: 1, count: perThread)
        (c + start).initialize(repeating: 2, count: perThread)
    }
    let bytesPerPass = 3.0 * 4.0 * Double(n)
    var best = 0.0
    for _ in 0..<max(1, passes) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        pool.parallelFor(pool.threadCount) { t in
            triad(a + t * perThread, b + t * perThread, c + t * perThread, count: perThread, scalar: 3)
        }
        let ns = Double(DispatchTime.now().uptimeNanoseconds - t0)
        if ns > 0 { best = max(best, bytesPerPass / ns) }  // bytes per ns = GB/s
    }
    // b + 3·c = 1 + 3·2: reading the output keeps the passes from being optimised away, and a
    // wrong value (a broken loop) reports 0 rather than a fast-looking number.
    if a[0] != 7 || a[n - 1] != 7 { return 0 }
    return best
}

/// `a[i] = b[i] + s·c[i]` for `count` floats (a multiple of 16), sixteen lanes at a time.
@inline(never)
private func triad(
    _ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
    count: Int, scalar: Float
) {
    let s = SIMD16<Float>(repeating: scalar)
    let ra = UnsafeMutableRawPointer(a), rb = UnsafeRawPointer(b), rc = UnsafeRawPointer(c)
    var i = 0
    while i < count {
        let offset = i * 4
        let vb = rb.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
        let vc = rc.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
        ra.storeBytes(of: vb.addingProduct(s, vc), toByteOffset: offset, as: SIMD16<Float>.self)
        i += 16
    }
}
