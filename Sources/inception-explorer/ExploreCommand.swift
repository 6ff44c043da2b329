import ArgumentParser
import CursesBackend
import ExplorerApp
import InceptionCore
import TerminalUI

/// The default command: open the explorer on LAYOUT (the built-in GoogLeNet without one).
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the terminal explorer (the default command). Press ? inside for the keys."
    )

    @Argument(help: "A layout file, an ONNX model or builtin:NAME (default: the built-in GoogLeNet).") var layout: String?
    @Flag(help: "ASCII box drawing and bars, even in a UTF-8 locale.") var ascii = false
    @Flag(help: "Monochrome (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "Do not capture the mouse (click to select, wheel to scroll).") var noMouse = false
    @Option(help: "Engine threads for forward passes (default: all cores).") var threads: Int?
    /// Start-up benchmark: draw the first frame, then leave (docs/benchmarks.md).
    @Flag(help: .hidden) var exitAfterFirstFrame = false
    /// Crash-path test: trap after the first frame, to prove the terminal is restored and the
    /// crash report printed after it (Tests/CLITests/TmuxEndToEndTests).
    @Flag(help: .hidden) var crashAfterFirstFrame = false

    func validate() throws { try requirePositive(threads, "threads") }

    func run() throws {
        let loaded = try LayoutArgument.loadModel(layout ?? "builtin:googlenet")
        let source = loaded.source
        let options = CursesBackend.Options.fromEnvironment(ascii: ascii, noColor: noColor, mouse: !noMouse)
        let state = ExplorerState(layout: source.layout, origin: DocumentOrigin(source),
                                  options: ExplorerOptions(ascii: ascii, mouse: !noMouse,
                                                           threads: threads ?? 0))
        let explorer = Explorer(state: state, timer: EngineTimer.make(weights: loaded.weights.map { .memory($0) } ?? .generated(seed: 0)))
        let termination: CursesBackend.Termination?
        do {
            termination = try CursesBackend.withTerminal(options: options) { terminal in
                explorer.run(on: terminal, frameLimit: exitAfterFirstFrame || crashAfterFirstFrame ? 1 : nil)
                if crashAfterFirstFrame { fatalError("deliberate crash (--crash-after-first-frame)") }
                return terminal.termination
            }
        } catch let error as CursesError {
            throw Failure(error.description)
        }
        // SIGTERM, SIGHUP, … or a vanished terminal: the terminal is restored now; leave as the
        // signal would (status 128 + signal, 143 for SIGTERM), so scripts and shells see why.
        if let termination { CursesBackend.exit(for: termination) }
    }
}
