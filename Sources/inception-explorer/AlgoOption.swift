import ArgumentParser
import InceptionCore
import InceptionRuntime

/// `--algo direct|winograd|auto` on `bench` and `run`.
extension AlgorithmPolicy: ExpressibleByArgument {
    static let help = ArgumentHelp(
        "Conv algorithm: direct, winograd (wherever it keeps the accuracy bound), or auto (per layer, the fastest "
            + "accurate candidate, timed once per machine and shape and cached).",
        valueName: "direct|winograd|auto")
}

/// `--replan` on `bench` and `run`.
enum ReplanOption {
    static let help = ArgumentHelp(
        "With --algo auto: time every conv's candidates again and replace their cached choices (e.g. "
            + "choices made while the machine was busy).")

    /// `--replan` re-decides `auto`'s choices: with a fixed algorithm it is a usage error.
    static func validate(_ replan: Bool, algo: AlgorithmPolicy) throws {
        if replan && algo != .auto {
            throw ValidationError("--replan re-decides --algo auto's choices: drop --algo \(algo.rawValue) or --replan")
        }
    }
}

extension BenchReport {
    /// One conv's algorithm and, when it was chosen among candidates, their errors and times.
    static func algorithmJSON(_ a: TimingResult.LayerAlgorithm) -> String {
        var fields = ["\"path\": \(JSONValue.quoted(a.path))", "\"algorithm\": \(JSONValue.quoted(a.algorithm.description))"]
        if let c = a.choice, !c.candidates.isEmpty {
            fields.append("\"cached\": \(c.cached)")
            fields.append("\"decided_in_pass\": \(c.decidedInPass)")
            fields.append("\"candidates\": [" + c.candidates.map { k in
                "{\"algorithm\": \(JSONValue.quoted(k.algorithm.description)), \"error\": \(k.error), \"keeps_bound\": \(k.keepsBound)"
                    + (k.ms.map { ", \"ms\": \(number($0))" } ?? "")
                    + (k.passMs.map { ", \"pass_ms\": \(number($0))" } ?? "") + "}"
            }.joined(separator: ", ") + "]")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

extension ExecutionPlan {
    /// "direct 45, winograd F(4,3) 12": how many conv layers run each algorithm.
    var algorithmSummary: String {
        TimingResult.algorithmSummary(layers.lazy.filter { $0.kind == .conv }.map(\.algorithm))
    }
}
