import ArgumentParser
import InceptionCore

@main
struct InceptionExplorer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inception-explorer")
    func run() throws { print("inception-explorer") }
}
