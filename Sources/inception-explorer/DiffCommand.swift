import ArgumentParser
import InceptionCore

/// `diff A B`: what changed between two layouts, matched by node path. Exits 0 when both load (a
/// difference is the answer, not an error), like `summary` on a valid layout; with `--exit-code`,
/// 1 when they differ, as `git diff --exit-code` and `diff(1)` do, so scripts can branch on it.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two layouts: added, removed and changed nodes, per top-level deltas and totals.",
        discussion: """
            Nodes are matched by path. Changed: a layer whose op, output shape, params or MACs differ \
            (blocks and branches are summed in the per-top-level rows). Deltas are signed, with \
            percentages against the first layout.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "The layout before (a file or builtin:NAME).") var before: String
    @Argument(help: "The layout after (a file or builtin:NAME).") var after: String
    @Option(help: "Output format: table or json.") var format: Format = .table
    @Flag(help: "Exit 1 when the layouts differ (0 when they do not), as git diff --exit-code.") var exitCode = false

    func run() throws {
        let a = try LayoutArgument.load(before), b = try LayoutArgument.load(after)
        let diff = LayoutDiff(before: a.layout, after: b.layout)
        switch format {
        case .table: print(diff.table(beforeName: a.displayName, afterName: b.displayName), terminator: "")
        case .json: print(diff.json(), terminator: "")
        }
        if exitCode && !(diff.entries.isEmpty && diff.topLevel.isEmpty) { throw ExitCode(1) }
    }
}
