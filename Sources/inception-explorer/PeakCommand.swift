import ArgumentParser
import Foundation
import InceptionCore
import InceptionRuntime

/// `peak [--threads N]`: measures this machine's FP32 FMA peak and caches it for `bench`.
struct PeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak",
        abstract: "Measure this machine's FP32 FMA peak (GFLOP/s) at a thread count and cache it.",
        discussion: "Register-resident FMA chains on every thread (no memory traffic): the ceiling any conv kernel can reach. The cache lives in $XDG_CACHE_HOME/inception-explorer/peak.json (default ~/.cache)."
    )

    @Option(help: "Threads (default: all cores).") var threads: Int?

    func validate() throws { try requirePositive(threads, "threads") }

    func run() throws {
        let t = threads ?? EngineForwardTimer.defaultThreads
        let gflops = PeakCache.measure(threads: t)
        print("peak FP32 FMA: \(NumberFormat.fixed(gflops, decimals: 1)) GFLOP/s on \(t) thread\(t == 1 ? "" : "s") "
              + "(\(PeakCache.cpuModel)); cached in \(PeakCache.fileURL.path)")
    }
}
