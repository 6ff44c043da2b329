import ArgumentParser
import InceptionCore

/// The default command: open the explorer on LAYOUT (the built-in GoogLeNet without one).
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the terminal explorer (the default command)."
    )

    @Argument(help: "A layout file or builtin:NAME (default: the built-in GoogLeNet).") var layout: String?

    func run() throws {
        let source = try LayoutArgument.load(layout ?? "builtin:googlenet")
        print(Summary(source.layout, depth: 1).table(), terminator: "")
    }
}
