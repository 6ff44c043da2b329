import ArgumentParser
import InceptionCore

/// `diff A B`: what changed between two layouts, matched by node path. Always exits 0 when both
/// load (a difference is the answer, not an error), like `summary` on a valid layout.
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

    func run() throws {
        let a = try LayoutArgument.load(before), b = try LayoutArgument.load(after)
        let diff = LayoutDiff(before: a.layout, after: b.layout)
        switch format {
        case .table: print(diff.table(beforeName: a.displayName, afterName: b.displayName), terminator: "")
        case .json: print(diff.json(), terminator: "")
        }
    }
}
