import ArgumentParser
import Foundation
import InceptionCore
import InceptionRuntime

/// `peak [--threads N]`: measures this machine's FP32 FMA peak and caches it for `bench`.
struct PeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak",
        abstract: "Measure this machine's FP32 FMA peak (GFLOP/s) and memory bandwidth (GB/s) at a thread count and cache them.",
        discussion: "Peak: register-resident FMA chains on every thread (no memory traffic), the ceiling any conv kernel can reach. Bandwidth: a STREAM triad a[i] = b[i] + s*c[i] over three 64 MiB float arrays, counting 3 x 4 bytes per element per pass (the write-allocate read is not counted), best of 10 passes. Both feed `bench --roofline`. The cache lives in $XDG_CACHE_HOME/inception-explorer/peak.json (default ~/.cache)."
    )

    @Option(parsing: .unconditional, help: "Threads (default: all cores).") var threads: Int?

    func validate() throws { try requireThreads(threads) }

    func run() throws {
        let t = threads ?? EngineForwardTimer.defaultThreads
        let gflops = PeakCache.measure(threads: t)
        let threadsText = "\(t) thread\(t == 1 ? "" : "s")"
        print("peak FP32 FMA: \(NumberFormat.fixed(gflops, decimals: 1)) GFLOP/s on \(threadsText) "
              + "(\(PeakCache.cpuModel)); cached in \(PeakCache.fileURL.path)")
        let gbs = PeakCache.measureBandwidth(threads: t)
        print("memory bandwidth: \(NumberFormat.fixed(gbs, decimals: 1)) GB/s on \(threadsText) "
              + "(STREAM triad over 3 x 64 MiB, 12 bytes per element); ridge point "
              + "\(NumberFormat.fixed(gflops / max(gbs, 1e-9), decimals: 2)) FLOP/B")
    }
}
