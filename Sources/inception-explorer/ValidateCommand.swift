import ArgumentParser
import InceptionCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a layout: exit 0 with one line when valid, else exit 1 with each problem located."
    )

    @Argument(help: LayoutArgument.help) var layout: String

    func run() throws {
        let source = try LayoutArgument.load(layout)
        let analysis = Analysis(source.layout)
        guard analysis.isValid else {
            for e in analysis.errors.dropLast() { printError(e.line(file: source.displayName)) }
            throw Failure(analysis.errors.last!.line(file: source.displayName))
        }
        let t = analysis.totals
        print("\(source.displayName): valid inception-layout/1 \"\(source.layout.name)\", \(analysis.nodes.count) nodes, "
              + "output \(analysis.output?.description ?? "?"), \(NumberFormat.grouped(t.params)) params, "
              + "\(NumberFormat.grouped(t.macs)) MACs")
    }
}
