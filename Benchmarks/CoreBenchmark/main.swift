// Speed of the layout core: load (parse + decode) and full analysis, median of many runs.
// Run in release: `swift run -c release core-benchmark [RUNS]`, or `... core-benchmark wide [BRANCHES ...]`
// for the wide-block benchmark (WideBlock.swift).
import Foundation
import InceptionCore

func medianMicros(_ runs: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    times.reserveCapacity(runs)
    for _ in 0..<runs {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
    }
    times.sort()
    return times[times.count / 2]
}

/// A generated layout of `n` layers in all (a block and each layer inside it count one each):
/// blocks of 3 branches (1x1, 1x1→3x3, pool→1x1) on a 14x14 map, 6 layers a block.
func generated(layers n: Int) -> Layout {
    var layers: [Layer] = []
    var i = 0
    while layers.count * 6 < n {
        let conv = { (out: Int, k: Int) in
            Layer(.conv(Conv(out: out, kernel: Pair(square: k), pad: .explicit(Pair(square: k / 2)))))
        }
        layers.append(
            Layer(
                name: "block\(i)",
                .inception(branches: [
                    Branch(name: "a", layers: [conv(16, 1)]),
                    Branch(name: "b", layers: [conv(16, 1), conv(16, 3)]),
                    Branch(
                        name: "c",
                        layers: [
                            Layer(.maxpool(Pool(kernel: Pair(square: 3), stride: Pair(1, 1), pad: Pair(1, 1)))),
                            conv(16, 1),
                        ]),
                ])))
        i += 1
    }
    return Layout(name: "generated", input: Shape(48, 14, 14), layers: layers)
}

if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "wide" {
    let counts = CommandLine.arguments.dropFirst(2).compactMap { Int($0) }
    runWideBlockBenchmark(counts.isEmpty ? [10_000, 100_000] : counts)
    exit(0)
}

let runs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200 : 200
let v3 = Array(BuiltInLayout.inceptionV3.json.utf8)
let v3Layout = try LayoutCodec.decode(v3)
var sink = 0
let load = medianMicros(runs) { sink &+= (try? LayoutCodec.decode(v3))?.layers.count ?? 0 }
let analyse = medianMicros(runs) { sink &+= Analysis(v3Layout).totals.macs }
let both = medianMicros(runs) { if let l = try? LayoutCodec.decode(v3) { sink &+= Analysis(l).totals.macs } }
let big = generated(layers: 10_000)
let huge = generated(layers: 60_000)
let bigText = Array(LayoutCodec.encode(big).utf8)
let bigAnalyse = medianMicros(max(5, runs / 20)) { sink &+= Analysis(big).totals.macs }
let bigBoth = medianMicros(max(5, runs / 20)) {
    if let l = try? LayoutCodec.decode(bigText) { sink &+= Analysis(l).totals.macs }
}
print(
    "inception-v3 (\(v3.count) bytes, \(Analysis(v3Layout).nodes.count) nodes): load \(Int(load)) µs, analysis \(Int(analyse)) µs, load+analysis \(Int(both)) µs (median of \(runs))"
)
let hugeAnalyse = medianMicros(5) { sink &+= Analysis(huge).totals.macs }
print(
    "generated 10,002 layers (\(Analysis(big).nodes.count) nodes, \(bigText.count) bytes): analysis \(NumberFormat.fixed(bigAnalyse / 1000, decimals: 1)) ms, load+analysis \(NumberFormat.fixed(bigBoth / 1000, decimals: 1)) ms"
)
print(
    "generated 60,000 layers (\(Analysis(huge).nodes.count) nodes): analysis \(NumberFormat.fixed(hugeAnalyse / 1000, decimals: 1)) ms"
)
if sink == 42 { print("") }
