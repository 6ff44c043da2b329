import ArgumentParser
import InceptionCore

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print every layer's shape, params and MACs, with totals (table, csv, markdown or json)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, markdown, json
    }

    @Argument(help: LayoutArgument.help) var layout: String
    @Option(help: "Output format: table, csv, markdown or json.") var format: Format = .table
    @Option(help: "Show nodes up to this depth (1: top-level layers and blocks, 2: + branches, 3: + their layers).") var depth: Int?
    @Option(help: "Batch size: MACs and activation memory scale with it.") var batch: Int = 1
    @Flag(help: "ASCII only (-> instead of →).") var ascii = false

    func validate() throws {
        try requirePositive(depth, "depth")
        try requirePositive(batch, "batch")
    }

    func run() throws {
        let source = try LayoutArgument.load(layout)
        let summary = Summary(source.layout, batch: batch, depth: depth, ascii: ascii)
        switch format {
        case .table: print(summary.table(), terminator: "")
        case .csv: print(summary.csv(), terminator: "")
        case .markdown: print(summary.markdown(), terminator: "")
        case .json: print(summary.json(), terminator: "")
        }
        if let first = summary.analysis.errors.first {
            throw Failure(first.line(file: source.displayName)
                          + (summary.analysis.errors.count > 1 ? " (and \(summary.analysis.errors.count - 1) more)" : ""))
        }
    }
}
