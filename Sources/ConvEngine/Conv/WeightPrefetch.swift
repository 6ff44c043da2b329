import CPrefetch

/// A cursor that software-prefetches a weight stream ahead of the kernels that read it.
///
/// Inside a network pass a conv's weights come from memory (the ~60 layers' weights evict each
/// other from the caches), and the micro-kernel's first sweep over them wants ~100 GB/s — more
/// than memory gives, so it stalls on every line while compute waits. Measured with
/// `engine-microbench --cold-weights`, a cold Winograd conv took its warm time plus its weight bytes
/// at memory bandwidth: nothing overlapped. So each micro-kernel call takes a share of the next
/// matrix (`share`) and requests it a line every few reduction steps, and the lines arrive while
/// this matrix's products run; between calls, `step` requests a few lines itself. A prefetch never
/// faults; `end` keeps the shares inside the stream.
struct WeightPrefetch {
    static let lineBytes = 64
    /// The next line to request, and the stream's end.
    private(set) var next: UnsafeRawPointer
    let end: UnsafeRawPointer
    /// Lines `step()` requests.
    var linesPerStep: Int

    init(_ start: UnsafePointer<Float>, floats: Int, linesPerStep: Int = 0) {
        next = UnsafeRawPointer(start)
        end = UnsafeRawPointer(start + floats)
        self.linesPerStep = linesPerStep
    }

    @inline(__always)
    mutating func step() { step(lines: linesPerStep) }

    /// Whether a kernel call of `steps` reduction steps may prefetch `lines` lines.
    @inline(__always)
    static func spreads(lines: Int, over steps: Int) -> Bool { 2 &* lines <= steps }

    /// Hands the next `linesPerStep` lines to one kernel call, which requests them spread over its
    /// `reduction` steps (`ConvKernelArgs.aheadEvery`). Only when that is at most one line per two
    /// steps (`spreads`): a call with a larger share asks for memory near its bandwidth, and there
    /// prefetching measured slower than none (1.1–1.35× on 7×7 and 14×14 maps, partial prefetch too).
    @inline(__always)
    mutating func share(_ a: inout ConvKernelArgs) {
        guard next < end, linesPerStep > 0, WeightPrefetch.spreads(lines: linesPerStep, over: a.reduction) else {
            a.aheadEvery = 0
            return
        }
        a.ahead = next
        // ⌊R / lines⌋ ≥ 2 steps apart: all `linesPerStep` lines are requested within the call (a few
        // more when R / lines is not whole, which are the next call's first: harmless).
        a.aheadEvery = a.reduction / linesPerStep
        next += linesPerStep &* WeightPrefetch.lineBytes
    }

    /// Requests the next `n` lines now (at most up to `end`).
    @inline(__always)
    mutating func step(lines n: Int) {
        var k = 0
        while k < n && next < end {
            ie_prefetch(next)
            next += WeightPrefetch.lineBytes
            k &+= 1
        }
    }
}
