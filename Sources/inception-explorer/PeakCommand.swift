import ArgumentParser
import Foundation
import InceptionCore
import InceptionRuntime

/// `peak [--threads N]`: measures this machine's FP32 FMA peak and caches it for `bench`.
struct PeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak",
        abstract:
            "Measure this machine's FP32 FMA peak (GFLOP/s) and memory bandwidth (GB/s) at a thread count and cache them.",
        discussion:
            "Peak: register-resident FMA chains on every thread (no memory traffic), the ceiling any conv kernel can reach. Bandwidth: a STREAM triad a[i] = b[i] + s*c[i] over three 64 MiB float arrays, counting 3 x 4 bytes per element per pass (the write-allocate read is not counted), best of 10 passes. Both feed `bench --roofline`. The cache lives in $XDG_CACHE_HOME/inception-explorer/peak.json (default ~/.cache)."
    )

    @Option(parsing: .unconditional, help: "Threads (default: all cores).") var threads: Int?

    func validate() throws { try requireThreads(threads) }

    func run() throws {
        let t = threads ?? EngineForwardTimer.defaultThreads
        let measured = PeakCache.measure(threads: t)
        let gflops = PeakCache.cached(threads: t) ?? measured
        let threadsText = "\(t) thread\(t == 1 ? "" : "s")"
        let kept =
            gflops > measured
            ? "; the cache keeps the best figure seen, \(NumberFormat.fixed(gflops, decimals: 1)) GFLOP/s"
            : "; cached"
        print(
            "peak FP32 FMA: \(NumberFormat.fixed(measured, decimals: 1)) GFLOP/s on \(threadsText) of "
                + "\(PeakCache.cpuModel)\(kept) in \(PeakCache.fileURL.path)")
        // Every thread runs the same register-only loop, so N threads should give ~N times one
        // thread's rate; much less means other processes had the cores.
        if t > 1 {
            let one = PeakCache.measureWithoutCaching(threads: 1)
            if measured < 0.75 * Double(t) * one {
                printError(
                    "warning: \(threadsText) gave only \(NumberFormat.fixed(measured / one, decimals: 2))x one thread's "
                        + "\(NumberFormat.fixed(one, decimals: 1)) GFLOP/s: the machine looks busy; measure again when it is idle"
                )
            }
        }
        let gbs = PeakCache.measureBandwidth(threads: t)
        print(
            "memory bandwidth: \(NumberFormat.fixed(gbs, decimals: 1)) GB/s on \(threadsText) "
                + "(STREAM triad over 3 x 64 MiB, 12 bytes per element); ridge point "
                + "\(NumberFormat.fixed(gflops / max(gbs, 1e-9), decimals: 2)) FLOP/B")
    }
}
