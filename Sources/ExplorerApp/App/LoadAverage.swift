import Foundation

/// The machine's load, read where a timing starts: a forward pass timed while other programs run
/// is slower than the engine is, and the Forward pass panel says so.
public enum LoadAverage {
    /// The 1-minute load average from /proc/loadavg; nil where there is none.
    public static func oneMinute() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
            let first = text.split(separator: " ").first
        else { return nil }
        return Double(first)
    }

    /// Busy when other work already fills a core's worth of the machine: load ≥ 1 when the run
    /// may use every core (`threads` 0 or ≥ cores), else load > cores − threads.
    public static func isBusy(
        _ load: Double, threads: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> Bool {
        let used = threads <= 0 ? cores : min(threads, cores)
        return load >= max(1, Double(cores - used) + 1)
    }
}
