import ArgumentParser
import Foundation
import InceptionCore

/// `lint LAYOUT`: the notes' design principles checked against a layout (docs/lints.md).
/// Exit 0 with warnings printed; with --strict, exit 1 when any lint fires. An invalid layout is
/// exit 1 like everywhere else.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a layout against the design principles: bottlenecks, factorization, reductions, balance.",
        discussion: """
            Lints: bottleneck, factorization-grid, large-kernel, missing-reduction, width-depth-balance, residual-scaling. \
            Each names its principle, the node, the measured figures and a move. Only the inference \
            path is checked (aux heads are training-only). Rules and defaults: docs/lints.md.
            """
    )

    @Argument(help: LayoutArgument.help) var layout: String
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
    /// `--format json`, the spelling `summary`, `diff` and `bench` share; `--json` is kept as its alias.
    @Option(help: "Output format: table or json.") var format: Format = .table
    @Flag(help: "The same as --format json.") var json = false
    @Flag(help: "Exit 1 when any lint fires.") var strict = false
    @Option(help: "Run only these lints (comma-separated ids).") var only: String?
    @Option(
        parsing: .unconditional, help: "bottleneck: fire below this fraction of the input's C·H·W on the stride grid.")
    var bottleneckFraction = 0.25
    @Option(parsing: .unconditional, help: "bottleneck: fire for a main-path conv or pool with a stride this large.")
    var maxStride = 4
    @Option(parsing: .unconditional, help: "factorization-grid: smallest medium grid side.") var gridMin = 12
    @Option(parsing: .unconditional, help: "factorization-grid: largest medium grid side.") var gridMax = 20
    @Option(
        parsing: .unconditional, help: "large-kernel: fire when factorizing saves at least this fraction of params.")
    var factorizeSaving = 0.2
    @Option(
        parsing: .unconditional,
        help: "missing-reduction: fire when a 1x1 to in/4 cuts weights at least this many times.") var reductionSaving =
        2.0
    @Option(parsing: .unconditional, help: "missing-reduction: top-level convs need at least this many input channels.")
    var reductionMinChannels = 64
    @Option(
        parsing: .unconditional, help: "width-depth-balance: fire when a stage's share falls by more than this (0..1).")
    var balanceDrop = 0.10
    @Option(help: "width-depth-balance: measure the share in channels or macs.") var balanceMeasure = "channels"

    func options() throws -> LintOptions {
        var o = LintOptions()
        o.bottleneckFraction = bottleneckFraction
        o.maxStride = maxStride
        o.gridMin = gridMin
        o.gridMax = gridMax
        o.minFactorizeSaving = factorizeSaving
        o.minReductionSaving = reductionSaving
        o.reductionMinChannels = reductionMinChannels
        o.balanceDrop = balanceDrop
        guard let measure = BalanceMeasure(rawValue: balanceMeasure) else {
            throw ValidationError("--balance-measure must be channels or macs, got \(balanceMeasure)")
        }
        o.balanceMeasure = measure
        if let only {
            var ids = Set<LintID>()
            for part in only.split(separator: ",") {
                let name = part.trimmingCharacters(in: .whitespaces)
                guard let id = LintID(rawValue: name) else {
                    throw ValidationError(
                        "--only: unknown lint \"\(name)\" (have \(LintID.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                ids.insert(id)
            }
            o.enabled = ids
        }
        if let problem = o.problem() { throw ValidationError(problem) }
        return o
    }

    func validate() throws { _ = try options() }

    func run() throws {
        let asJSON = json || format == .json
        let source: LayoutSource
        do {
            source = try LayoutArgument.load(layout)
            if let first = Analysis(source.layout).errors.first { throw Failure(first.line(file: source.displayName)) }
        } catch {
            // A refused model or invalid layout: JSON readers get an error object on stdout; the
            // line goes to stderr as always (exit 1).
            if asJSON { print(LintReport.errorJSON((error as? Failure)?.message ?? "\(error)"), terminator: "") }
            throw error
        }
        let lints = source.layout.lints(options: try options())
        print(
            asJSON
                ? LintReport.json(lints, layoutName: source.layout.name)
                : LintReport.table(lints, layoutName: source.layout.name),
            terminator: "")
        if strict && !lints.isEmpty {
            throw Failure("\(source.displayName): \(lints.count) lint\(lints.count == 1 ? "" : "s") (--strict)")
        }
    }
}
