import Foundation
import InceptionCore

/// Times one body: `warmup` untimed runs, then timed runs until at least `minIterations` runs and
/// `minSeconds` of timed running (whichever comes later; capped at `maxIterations` so a microsecond
/// node with a long minimum time cannot grow the sample list without bound). Polls `isCancelled`
/// before every run.
struct IterationLoop {
    var warmup: Int
    var minIterations: Int
    var minSeconds: Double
    var maxIterations = TimingOptions.maxIterations

    /// Per-run milliseconds. `progress` gets 0...1 of this loop; `done` is the number of timed runs
    /// finished before this loop (reported when cancelled).
    func run(
        _ body: () -> Void, done: Int, progress: (Double) -> Void,
        isCancelled: () -> Bool
    ) throws(TimingCancelled) -> [Double] {
        for _ in 0..<max(0, warmup) {
            if isCancelled() { throw TimingCancelled(iterationsDone: done) }
            body()
        }
        let wanted = max(1, minIterations)
        var samples: [Double] = []
        samples.reserveCapacity(min(wanted, maxIterations))
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        while samples.count < maxIterations && (samples.count < wanted || elapsed < minSeconds) {
            if isCancelled() { throw TimingCancelled(iterationsDone: done + samples.count) }
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            let t1 = DispatchTime.now().uptimeNanoseconds
            samples.append(Double(t1 - t0) / 1e6)
            elapsed = Double(t1 - start) / 1e9
            let byCount = Double(samples.count) / Double(wanted)
            let byTime = minSeconds > 0 ? elapsed / minSeconds : 1
            progress(min(1, min(byCount, byTime)))
        }
        return samples
    }
}

/// Median, minimum and mean of a sample list (0 for an empty one).
struct SampleStats: Equatable {
    var median: Double
    var min: Double
    var mean: Double
    /// 10th / 90th percentile, nearest rank (the ⌈p·n⌉-th smallest sample).
    var p10: Double = 0
    var p90: Double = 0

    init(_ samples: [Double]) {
        guard !samples.isEmpty else {
            (median, min, mean) = (0, 0, 0)
            return
        }
        let s = samples.sorted()
        let mid = s.count / 2
        median = s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
        min = s[0]
        mean = s.reduce(0, +) / Double(s.count)
        func rank(_ p: Double) -> Double {
            s[Swift.min(s.count - 1, Swift.max(0, Int((p * Double(s.count)).rounded(.up)) - 1))]
        }
        p10 = rank(0.1)
        p90 = rank(0.9)
    }
}
