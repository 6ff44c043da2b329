import ConvEngine
import Foundation

/// This machine's measured FP32 FMA peak per thread count, cached in
/// `$XDG_CACHE_HOME/inception-explorer/peak.json` (default `~/.cache/...`) keyed by CPU model and
/// thread count, so every timing can say "% of peak" without re-probing. The probe
/// (`measurePeakGFLOPS`) takes a fraction of a second; a missing or unreadable cache is simply
/// re-measured, and a cache that cannot be written is not an error.
public enum PeakCache {
    /// `{"entries": {"AMD EPYC / 2 threads": 224.3, ...}}`.
    struct File: Codable {
        var entries: [String: Double] = [:]
    }

    public static var fileURL: URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("inception-explorer/peak.json")
    }

    /// The CPU model from /proc/cpuinfo ("unknown CPU" where there is none).
    public static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimming(" \t")
            }
        }
        return "unknown CPU"
    }

    static func key(threads: Int) -> String { "\(cpuModel) / \(threads) thread\(threads == 1 ? "" : "s")" }

    /// The cached peak for `threads`, if any.
    public static func cached(threads: Int) -> Double? {
        guard let data = try? Data(contentsOf: fileURL), let file = try? JSONDecoder().decode(File.self, from: data) else {
            return nil
        }
        return file.entries[key(threads: threads)]
    }

    /// Measures the peak for `threads` and stores it (replacing any cached value).
    @discardableResult
    public static func measure(threads: Int) -> Double {
        let gflops = measurePeakGFLOPS(threads: threads)
        store(gflops, threads: threads)
        return gflops
    }

    /// The cached peak, or a fresh measurement (then cached).
    public static func peak(threads: Int) -> Double {
        cached(threads: threads) ?? measure(threads: threads)
    }

    static func store(_ gflops: Double, threads: Int) {
        var file = (try? Data(contentsOf: fileURL)).flatMap { try? JSONDecoder().decode(File.self, from: $0) } ?? File()
        file.entries[key(threads: threads)] = gflops
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(file) else { return }
        try? FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: fileURL, options: .atomic)
    }
}
