import ArgumentParser
import Foundation
import InceptionCore
import InceptionONNX
import InceptionRuntime

/// Loads LAYOUT arguments for every command, turning load errors into one-line failures.
enum LayoutArgument {
    static let help = ArgumentHelp(
        "An inception-layout/1 JSON file, an ONNX model, or a built-in (\(BuiltInLayout.references)).")

    static func load(_ reference: String) throws(Failure) -> LayoutSource { try loadModel(reference).source }

    /// The layout and, for an ONNX model, the model's own weights (what run, bench and the explorer use).
    static func loadModel(_ reference: String) throws(Failure) -> ModelLoader.Loaded {
        do {
            return try ModelLoader.load(reference)
        } catch {
            throw Failure(error.description)
        }
    }
}

/// The most engine threads a command starts: far above any core count here, low enough that a typo
/// (`--threads 1000000`) is a usage error instead of a million threads and 2 TB of scratch.
let maxThreads = 1024

/// --threads: 1...maxThreads. More threads than cores is allowed (a user may want to see the cost
/// of oversubscription) but warned about, since its timings mislead.
func requireThreads(_ value: Int?) throws {
    try requirePositive(value, "threads")
    if let v = value, v > maxThreads { throw ValidationError("--threads must be at most \(maxThreads), got \(v)") }
    if let warning = threadsWarning(value, cores: ProcessInfo.processInfo.activeProcessorCount) { printError(warning) }
}

/// The warning for `--threads N` on a machine with `cores` cores, or nil when N fits.
func threadsWarning(_ value: Int?, cores: Int) -> String? {
    guard let v = value, v > cores else { return nil }
    return
        "warning: --threads \(v) exceeds this machine's \(cores) cores; threads will share cores and the timings will mislead"
}

/// Positive integer options (--batch, --depth, ...), validated with a one-line message.
func requirePositive(_ value: Int?, _ name: String) throws {
    if let v = value, v < 1 { throw ValidationError("--\(name) must be a positive integer, got \(v)") }
}
