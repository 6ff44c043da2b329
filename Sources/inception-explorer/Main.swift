import ArgumentParser
import Foundation
import InceptionCore

/// The command-line entry point. Every subcommand is a thin call into the libraries.
///
/// Exit codes: 0 success, 1 invalid layout or bad input (one line on stderr), 2 usage error.
/// swift-argument-parser's own usage code is 64 (EX_USAGE); we map it to 2 as the issue and most
/// Unix tools do (grep, diff, curl's "bad usage").
@main
struct InceptionExplorer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inception-explorer",
        abstract: "Explore, count and time Inception networks: exact params, MACs, shapes and receptive fields.",
        discussion: """
            LAYOUT is an inception-layout/1 JSON file, an ONNX model (recognised by content; it runs with \
            its own weights), or a built-in: \(BuiltInLayout.references).

            Counting convention: MACs = multiply-accumulates of conv and linear layers (biases not \
            counted), FLOPs = 2 x MACs; params = weights + biases + 2 per batchnorm channel.
            """,
        version: "inception-explorer \(ExplorerVersion.current)",
        subcommands: [
            ExploreCommand.self, SummaryCommand.self, ValidateCommand.self, DiffCommand.self, LintCommand.self,
            BenchCommand.self, RunCommand.self, ExportCommand.self, ImportCommand.self, PeakCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self
    )

    static func main() {
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        if let message = UnknownCommand.message(arguments: Array(CommandLine.arguments.dropFirst()), commands: commands)
        {
            printError("Error: \(message) (see --help)")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            printError(failure.message)
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                // One line, like every other error: the message without the usage block (which
                // `--help` shows), newlines folded.
                let text = message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
                FileHandle.standardError.write(
                    Data(
                        ("Error: " + text.replacingOccurrences(of: "Error: ", with: "")
                            + " (see --help)\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// A user-facing failure: printed as one line on stderr, exit code 1.
struct Failure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Writes one line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
