import ArgumentParser
import InceptionCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract:
            "Check a layout: exit 0 with one line when valid, else exit 1 with one line: the first problem, located, and how many more."
    )

    @Argument(help: LayoutArgument.help) var layout: String

    func run() throws {
        let source = try LayoutArgument.load(layout)
        let analysis = Analysis(source.layout)
        guard analysis.isValid else {
            // One line, whatever the count (scripts read the first line; `summary` shows them all).
            let more = analysis.errors.count - 1
            throw Failure(
                analysis.errors[0].line(file: source.displayName)
                    + (more > 0 ? " (and \(more) more problem\(more == 1 ? "" : "s"); `summary` marks them all)" : ""))
        }
        let t = analysis.totals
        print(
            "\(source.displayName): valid inception-layout/1 \"\(source.layout.name)\", \(analysis.nodes.count) nodes, "
                + "output \(analysis.output?.description ?? "?"), \(NumberFormat.grouped(t.params)) params, "
                + "\(NumberFormat.grouped(t.macs)) MACs")
    }
}
