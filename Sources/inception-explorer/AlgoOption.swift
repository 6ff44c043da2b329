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

extension ExecutionPlan {
    /// "direct 45, winograd F(4,3) 12": how many conv layers run each algorithm.
    var algorithmSummary: String {
        TimingResult.algorithmSummary(layers.lazy.filter { $0.kind == .conv }.map(\.algorithm))
    }
}
