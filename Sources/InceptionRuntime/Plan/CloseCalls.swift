import ConvEngine
import Dispatch
import InceptionCore

/// The close calls of an `auto` plan (`AlgorithmChooser.refineMargin`), decided where they matter:
/// inside whole passes of the plan, once its ops exist.
extension ExecutionPlan {
    /// Decides the close calls (`AlgorithmChooser.refineMargin`) inside whole passes: passes run op by
    /// op, in pass v every close conv runs its v-th variant (0: its pick alone, then its rivals;
    /// a conv with fewer variants runs its pick), and each close conv's time is read off in place,
    /// where it meets the caches as the ops before it left them. Variants alternate in rounds: at
    /// least 3 (after one warm-up pass each), more while under about 1 s, at most 12, so a network
    /// whose pass takes a second costs a few seconds, once per machine and set of shapes. The
    /// fastest median wins and is cached; the other variants are freed here.
    static func settle(
        _ calls: [Int: AlgorithmChooser.CloseCall], ops: inout [any EngineOp],
        choices: inout [Int: AlgorithmChoice], chooser: AlgorithmChooser
    ) {
        let pool = chooser.timingPool
        let variants = 1 + (calls.values.map(\.rivals.count).max() ?? 0)
        func pass(_ v: Int, into samples: inout [Int: [[Double]]]) {
            var t0 = DispatchTime.now().uptimeNanoseconds
            for (i, op) in ops.enumerated() {
                let call = calls[i]
                let runs = v > 0 && v <= call?.rivals.count ?? 0 ? call!.rivals[v - 1].op : op
                runs.run(pool)
                let t1 = DispatchTime.now().uptimeNanoseconds
                if let call, v <= call.rivals.count {
                    samples[i, default: Array(repeating: [], count: 1 + call.rivals.count)][v].append(
                        Double(t1 - t0) / 1e6)
                }
                t0 = t1
            }
        }
        var warm: [Int: [[Double]]] = [:]
        for v in 0..<variants { pass(v, into: &warm) }
        var samples: [Int: [[Double]]] = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        var round = 0
        while round < 3 || (round < 12 && DispatchTime.now().uptimeNanoseconds - start < 1_000_000_000) {
            for k in 0..<variants { pass((k + round) % variants, into: &samples) }
            round += 1
        }
        // One choice per shape: the convs of a shape share their variants, and the variant with
        // the least summed median over them wins for all.
        var byKey: [String: [Int]] = [:]
        for (i, call) in calls { byKey[call.key, default: []].append(i) }
        var decided: [String: ConvAlgorithm] = [:]
        for (key, convs) in byKey {
            guard let first = convs.first, let call = calls[first],
                let pick = choices[first].map({ ConvAlgorithm($0.algorithm) })
            else { continue }
            // Each conv's variants in pass order (its pick, then its rivals), and their medians.
            var order: [Int: [ConvAlgorithm]] = [:], medians: [Int: [Double]] = [:]
            for i in convs {
                order[i] =
                    [choices[i].map { ConvAlgorithm($0.algorithm) } ?? pick] + (calls[i]?.rivals.map(\.algorithm) ?? [])
                medians[i] = (samples[i] ?? []).map { SampleStats($0).median }
            }
            func total(_ a: ConvAlgorithm) -> Double {
                convs.reduce(0.0) { sum, i in
                    sum + (order[i]?.firstIndex(of: a).flatMap { medians[i]?[safe: $0] } ?? .infinity)
                }
            }
            let candidates = [pick] + call.rivals.map(\.algorithm)
            let winner = candidates.min { total($0) < total($1) } ?? pick
            for i in convs {
                guard var choice = choices[i], let c = calls[i], let v = order[i] else { continue }
                for (k, candidate) in choice.candidates.enumerated() {
                    if let j = v.firstIndex(where: { ConvMethod($0) == candidate.algorithm }) {
                        choice.candidates[k].passMs = medians[i]?[safe: j]
                    }
                }
                if let j = v.firstIndex(of: winner), j > 0 {
                    ops[i] = c.rivals[j - 1].op
                    choice.algorithm = ConvMethod(winner)
                }
                choice.decidedInPass = true
                choices[i] = choice
            }
            decided[key] = winner
        }
        chooser.settle(decided)
    }
}

private extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
