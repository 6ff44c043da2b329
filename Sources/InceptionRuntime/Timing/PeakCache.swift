import ConvEngine
import Foundation

/// This machine's measured FP32 FMA peak and memory bandwidth per thread count, cached in
/// `$XDG_CACHE_HOME/inception-explorer/peak.json` (default `~/.cache/...`) keyed by CPU
/// (`cpuModel`) and thread count, so every timing can say "% of peak" (and draw a roofline)
/// without re-probing. The probes (`measurePeakGFLOPS`, `measureBandwidthGBs`) take a fraction of
/// a second each; a missing or unreadable cache is simply re-measured, and a cache that cannot be
/// written is not an error.
public enum PeakCache {
    /// `{"entries": {"AMD EPYC (family 25, model 17) / 2 threads": 224.3, ...}, "bandwidth": {...}}`:
    /// peaks in GFLOP/s under `entries`, bandwidths in GB/s under `bandwidth`, keyed the same way.
    /// `bandwidth` is optional so files written before it existed still read (and older builds,
    /// which ignore unknown keys, still read files written now).
    struct File: Codable {
        var entries: [String: Double] = [:]
        var bandwidth: [String: Double]?
    }

    public static var fileURL: URL {
        let env = ProcessInfo.processInfo.environment
        let base =
            env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("inception-explorer/peak.json")
    }

    /// This CPU as the caches name it: /proc/cpuinfo's "model name" with its family and model
    /// numbers ("AMD EPYC (family 25, model 17)"; "unknown CPU" where there is no such file).
    /// Read once per process: every conv's algorithm-cache key names it, and the kernel builds
    /// /proc/cpuinfo anew on each read, a block per core.
    public static let cpuModel: String =
        identity(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")

    /// The identity of the first processor listed in a /proc/cpuinfo text. The name alone is not
    /// enough: under a hypervisor different generations report one name (a Zen 4 and a Zen 5 host
    /// both say "AMD EPYC"), and a cache in a home directory that moves between them would keep
    /// the faster one's peak (the cache keeps the best figure seen) and its algorithm choices
    /// (different on each: F(4,3) vs F(2,3) for GoogLeNet's 14×14 3×3s). So the x86 family and
    /// model numbers, or an Arm core's implementer and part, are part of it.
    static func identity(cpuinfo text: String) -> String {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if fields.isEmpty { continue } else { break }  // the first processor's block ends
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimming(" \t"), value = line[line.index(after: colon)...].trimming(" \t")
            if fields[name] == nil { fields[name] = value }
        }
        let model = fields["model name"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown CPU"
        if let family = fields["cpu family"], let number = fields["model"] {
            return "\(model) (family \(family), model \(number))"
        }
        if let implementer = fields["CPU implementer"], let part = fields["CPU part"] {
            return "\(model) (implementer \(implementer), part \(part))"
        }
        return model
    }

    static func key(threads: Int) -> String { "\(cpuModel) / \(threads) thread\(threads == 1 ? "" : "s")" }

    /// The plausible range of a peak (GFLOP/s) or a bandwidth (GB/s): from 0.01 (a slow emulator) to
    /// 1,000,000 (far above any CPU; a 2-core Zen 4 measures 224 GFLOP/s and 31 GB/s). A cached
    /// value outside it (a hand-edited or corrupt file: 1e308, 5e-324, NaN) is ignored and measured
    /// again, so no chart or "% of peak" is computed from it.
    public static let plausible: ClosedRange<Double> = 0.01...1_000_000

    static func plausible(_ x: Double?) -> Double? {
        guard let x, x.isFinite, plausible.contains(x) else { return nil }
        return x
    }

    /// The cached peak for `threads`, if any (and plausible).
    public static func cached(threads: Int) -> Double? {
        plausible(read()?.entries[key(threads: threads)])
    }

    /// Measures the peak for `threads` and caches the best figure seen for this CPU and thread
    /// count: a measurement can only come out low (other processes on the cores, frequency still
    /// ramping), never above what the FMA units do, so a run on a busy machine must not replace a
    /// higher figure — `bench` would then report layers at 150-190% of "peak". Returns the fresh
    /// measurement; `cached(threads:)` has the figure kept. (Delete the cache file to start over.)
    @discardableResult
    public static func measure(threads: Int) -> Double {
        let gflops = measurePeakGFLOPS(threads: threads)
        if let old = cached(threads: threads), old >= gflops { return gflops }
        store(gflops, threads: threads)
        return gflops
    }

    /// A fresh measurement that leaves the cache as it is (`peak`'s busy-machine check).
    public static func measureWithoutCaching(threads: Int) -> Double { measurePeakGFLOPS(threads: threads) }

    /// The cached peak, or a fresh measurement (then cached).
    public static func peak(threads: Int) -> Double {
        cached(threads: threads) ?? measure(threads: threads)
    }

    /// The cached memory bandwidth (GB/s) for `threads`, if any (and plausible).
    public static func cachedBandwidth(threads: Int) -> Double? {
        plausible(read()?.bandwidth?[key(threads: threads)])
    }

    /// Measures the bandwidth for `threads` and stores it (replacing any cached value).
    @discardableResult
    public static func measureBandwidth(threads: Int) -> Double {
        let gbs = measureBandwidthGBs(threads: threads)
        storeBandwidth(gbs, threads: threads)
        return gbs
    }

    /// The cached bandwidth, or a fresh measurement (then cached).
    public static func bandwidth(threads: Int) -> Double {
        cachedBandwidth(threads: threads) ?? measureBandwidth(threads: threads)
    }

    static func read() -> File? {
        (try? Data(contentsOf: fileURL)).flatMap { try? JSONDecoder().decode(File.self, from: $0) }
    }

    static func store(_ gflops: Double, threads: Int) {
        update { $0.entries[key(threads: threads)] = gflops }
    }

    static func storeBandwidth(_ gbs: Double, threads: Int) {
        update { file in
            var map = file.bandwidth ?? [:]
            map[key(threads: threads)] = gbs
            file.bandwidth = map
        }
    }

    /// Read, change, write back atomically (a lost race between two processes loses one figure,
    /// which is then simply measured again).
    static func update(_ change: (inout File) -> Void) {
        var file = read() ?? File()
        change(&file)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(file) else { return }
        try? FileManager.default.createDirectory(
            at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: fileURL, options: .atomic)
    }
}
