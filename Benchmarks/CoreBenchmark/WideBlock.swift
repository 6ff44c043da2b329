// The wide-block benchmark (issue 12, item 7): one inception block with many one-conv branches,
// through what `validate`, `summary` (table and --format json) and `lint` do, in process.
// `swift run -c release core-benchmark wide [BRANCHES ...]` (default 10000 100000).
import Foundation
import InceptionCore

/// One block of `n` branches, each a single 1x1 conv to 1 channel, on a 64x14x14 input, as the
/// file text the commands would read.
func wideBlockText(branches n: Int) -> [UInt8] {
    let branches = (0..<n).map { _ in Branch(layers: [Layer(.conv(Conv(out: 1, kernel: Pair(square: 1))))]) }
    let layout = Layout(
        name: "wide", input: Shape(64, 14, 14), layers: [Layer(name: "block", .inception(branches: branches))])
    return Array(LayoutCodec.encode(layout).utf8)
}

/// CPU seconds of this thread spent in `body`: on a shared machine (load 10 on 2 cores while
/// this was written) wall time mostly measures the neighbours; the wall time is printed too.
func seconds(_ body: () -> Void) -> Double {
    func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    let t0 = now()
    body()
    return now() - t0
}

func wallSeconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

/// Median of `runs` timings, in seconds.
func median(_ runs: Int, _ body: () -> Void) -> Double {
    let times = (0..<runs).map { _ in seconds(body) }.sorted()
    return times[times.count / 2]
}

func runWideBlockBenchmark(_ counts: [Int]) {
    var sink = 0
    for n in counts {
        let text = wideBlockText(branches: n)
        let runs = n <= 20_000 ? 5 : 3
        func load() -> Layout? { try? LayoutCodec.decode(text) }
        let decode = median(runs) { sink &+= load()?.layers.count ?? 0 }
        let validate = median(runs) { if let l = load() { sink &+= Analysis(l).nodes.count } }
        let json = median(runs) { if let l = load() { sink &+= Summary(l).json().utf8.count } }
        let table = median(runs) { if let l = load() { sink &+= Summary(l).table().utf8.count } }
        let lint = median(runs) {
            if let l = load() { sink &+= LintReport.table(l.lints(), layoutName: l.name).utf8.count }
        }
        let wall = wallSeconds { if let l = load() { sink &+= Summary(l).json().utf8.count } }
        func s(_ x: Double) -> String { NumberFormat.fixed(x, decimals: 3) + " s" }
        print(
            "wide block, \(NumberFormat.grouped(n)) one-conv branches (\(NumberFormat.bytes(text.count))), CPU time, median of \(runs): "
                + "decode \(s(decode)), validate \(s(validate)), summary \(s(table)), summary json \(s(json)) (wall \(s(wall))), lint \(s(lint))"
        )
    }
    if sink == 42 { print("") }
}
