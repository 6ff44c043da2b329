import ArgumentParser
import Foundation
import InceptionCore
import InceptionRuntime

/// `bench LAYOUT [--block PATH]...`: times forward passes on the engine (release builds give the
/// real numbers) and prints a table, or one JSON object per line with --format json (or --json).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time forward passes of the whole network or of blocks on the built-in engine.",
        discussion: """
            Each node runs with seeded He-normal weights (an ONNX model: its own) on a seeded N(0,1) input: warm-up passes, then \
            passes until both --iterations and --min-time are reached; median, min and mean per pass. \
            GFLOP/s = 2 x MACs (conv and linear) / median time. An inception block also times each \
            branch alone. % of peak uses this machine's FMA peak (see `peak`; cached per thread count). \
            With --roofline, each conv and linear layer is also timed alone and a roofline table follows \
            (MACs per byte moved, achieved vs attainable GFLOP/s, memory- or compute-bound; see `peak` \
            for the measured bandwidth). With --profile, passes also run op by op with a clock read between \
            ops, and a table shows where a pass goes: the slowest ops and the time per kind of op. Ctrl-C stops after the current pass and prints the passes done \
            (exit 130).
            """
    )

    @Argument(help: LayoutArgument.help) var layout: String
    @Option(name: .customLong("block"), help: "A node path to time (repeatable; default: the whole network).")
    var blocks: [String] = []
    @Option(parsing: .unconditional, help: "Engine threads (default: all cores).") var threads: Int?
    @Option(parsing: .unconditional, help: "Batch size.") var batch = 1
    @Option(parsing: .unconditional, help: "Minimum number of timed passes.") var iterations = 10
    @Option(
        name: .customLong("min-time"), parsing: .unconditional,
        help: "Minimum seconds of timed passes (at most 1,000,000 passes per node; bench says when it stops there).")
    var minTime = 0.5
    @Option(parsing: .unconditional, help: "Untimed passes first.") var warmup = 2
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
    /// `--format json`, the spelling `summary`, `diff` and `lint` share; `--json` is kept as its alias.
    @Option(help: "Output format: table, or json (one JSON object per line per node).") var format: Format = .table
    @Flag(help: "The same as --format json.") var json = false
    @Flag(name: .customLong("no-peak"), help: "Do not measure or show the FMA peak.") var noPeak = false
    @Flag(help: "Also time each conv and linear layer alone and print a roofline table (needs the peak).")
    var roofline = false
    @Flag(help: "ASCII only in the roofline chart ('#' bars).") var ascii = false
    @Flag(help: "Also time every op inside passes run op by op and show where a pass goes.") var profile = false
    @Option(
        name: .customLong("max-memory"), parsing: .unconditional,
        help: "Refuse plans estimated above this many bytes (default: half of RAM).")
    var maxMemory: Int?
    @Option(name: .customLong("algo"), help: AlgorithmPolicy.help) var algo: AlgorithmPolicy = .auto
    @Flag(help: ReplanOption.help) var replan = false

    func validate() throws {
        try requireThreads(threads)
        try requirePositive(batch, "batch")
        try requirePositive(iterations, "iterations")
        if iterations > TimingOptions.maxIterations {
            throw ValidationError(
                "--iterations must be at most \(NumberFormat.grouped(TimingOptions.maxIterations)), got \(iterations)")
        }
        try requirePositive(maxMemory, "max-memory")
        if !(minTime >= 0 && minTime.isFinite) {
            throw ValidationError("--min-time must be a non-negative number of seconds, got \(minTime)")
        }
        if warmup < 0 || warmup > TimingOptions.maxIterations {
            throw ValidationError(
                "--warmup must be between 0 and \(NumberFormat.grouped(TimingOptions.maxIterations)), got \(warmup)")
        }
        try ReplanOption.validate(replan, algo: algo)
        if roofline && noPeak { throw ValidationError("--roofline needs the peak and bandwidth: drop --no-peak") }
    }

    /// One JSON object per line per node (`--format json` or its alias `--json`).
    var asJSON: Bool { json || format == .json }

    func run() throws {
        let loaded = try LayoutArgument.loadModel(layout)
        let source = loaded.source
        // An ONNX model runs with its own weights (the time is the same; the values are its own).
        var timer = EngineForwardTimer(
            weights: loaded.weights.map { .memory($0) } ?? .generated(seed: 0),
            maxMemoryBytes: maxMemory, peak: noPeak ? .none : .cachedOrMeasured,
            algorithm: algo)
        timer.replan = replan
        let options = TimingOptions(
            threads: threads ?? 0, batch: batch, warmup: warmup, minIterations: iterations,
            minSeconds: minTime, perLayer: roofline, perOp: profile)
        Interrupt.install()
        let progress = ProgressLine()
        var results: [TimingResult] = []
        for path in blocks.isEmpty ? [""] : blocks {
            progress.start(path.isEmpty ? source.layout.name : path)
            do {
                let r = try timer.time(
                    source.layout, path: path, options: options,
                    progress: { progress.update($0) }, isCancelled: { Interrupt.isSet })
                progress.clear()
                if r.iterations >= TimingOptions.maxIterations && r.medianMs * Double(r.iterations) < minTime * 1000 {
                    printError(
                        "note: \(path.isEmpty ? source.layout.name : path): stopped at the cap of "
                            + "\(NumberFormat.grouped(TimingOptions.maxIterations)) timed passes before --min-time \(NumberFormat.fixed(minTime, decimals: 1)) s"
                    )
                }
                results.append(r)
                if asJSON { print(BenchReport.jsonLine(r)) }
            } catch let cancelled as TimingCancelled {
                progress.clear()
                if !asJSON && !results.isEmpty {
                    print(BenchReport.table(results, layoutName: source.layout.name), terminator: "")
                }
                printError(
                    "interrupted: \(path.isEmpty ? source.layout.name : path) stopped after "
                        + "\(cancelled.iterationsDone) timed pass\(cancelled.iterationsDone == 1 ? "" : "es") (the node and its branches)"
                )
                Foundation.exit(Interrupt.exitStatus)
            } catch {
                progress.clear()
                throw Failure("\(source.displayName): \(error)")
            }
        }
        if !asJSON {
            print(BenchReport.table(results, layoutName: source.layout.name), terminator: "")
            if roofline {
                for r in results {
                    print("\n" + BenchReport.roofline(r, layoutName: source.layout.name, ascii: ascii), terminator: "")
                }
            }
            if profile {
                for r in results {
                    print("\n" + BenchReport.profile(r, layoutName: source.layout.name), terminator: "")
                }
            }
        }
    }
}
