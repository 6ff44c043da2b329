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
    @Option(
        parsing: .unconditional,
        help: "Show nodes up to this depth (1: top-level layers and blocks, 2: + branches, 3: + their layers).")
    var depth: Int?
    @Option(parsing: .unconditional, help: "Batch size: MACs and activation memory scale with it.") var batch: Int = 1
    @Flag(help: "ASCII only (-> instead of →; '#' bars in charts).") var ascii = false
    @Flag(
        help:
            "Append charts (params and MACs per top-level layer, representation size and channels through depth) to table or markdown output."
    ) var chart = false
    @Option(parsing: .unconditional, help: "Chart width in columns (with --chart).") var width = 80

    /// Wider than any terminal; a chart line is allocated per column, so the bound keeps it small.
    static let maxWidth = 1000

    func validate() throws {
        try requirePositive(depth, "depth")
        try requirePositive(batch, "batch")
        if chart && (format == .csv || format == .json) {
            throw ValidationError("--chart goes with --format table or markdown, not \(format.rawValue)")
        }
        if width < 40 || width > SummaryCommand.maxWidth {
            throw ValidationError("--width must be between 40 and \(SummaryCommand.maxWidth) columns, got \(width)")
        }
    }

    func run() throws {
        let source = try LayoutArgument.load(layout)
        let summary = Summary(source.layout, batch: batch, depth: depth, ascii: ascii)
        switch format {
        case .table:
            print(summary.table(), terminator: "")
            if chart { print("\n" + charts(summary), terminator: "") }
        case .csv: print(summary.csv(), terminator: "")
        case .markdown:
            print(summary.markdown(), terminator: "")
            if chart { print("\n```text\n" + charts(summary) + "```\n", terminator: "") }
        case .json: print(summary.json(), terminator: "")
        }
        if let first = summary.analysis.errors.first {
            throw Failure(
                first.line(file: source.displayName)
                    + (summary.analysis.errors.count > 1 ? " (and \(summary.analysis.errors.count - 1) more)" : ""))
        }
    }

    func charts(_ summary: Summary) -> String {
        NetworkCharts(summary.layout, analysis: Analysis(summary.layout), width: width, ascii: ascii).text()
    }
}
