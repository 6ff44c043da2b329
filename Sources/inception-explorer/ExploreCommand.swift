import ArgumentParser
import CursesBackend
import ExplorerApp
import Foundation
import InceptionCore
import InceptionONNX
import TerminalUI

/// The default command: open the explorer on LAYOUT (the built-in GoogLeNet without one).
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the terminal explorer (the default command). Press ? inside for the keys."
    )

    @Argument(help: "A layout file, an ONNX model or builtin:NAME (default: the built-in GoogLeNet).") var layout:
        String?
    @Flag(help: "ASCII box drawing and bars, even in a UTF-8 locale.") var ascii = false
    @Flag(help: "Monochrome (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "Do not capture the mouse (click to select, wheel to scroll).") var noMouse = false
    @Option(help: "Engine threads for forward passes (default: all cores).") var threads: Int?
    /// Start-up benchmark: draw the first frame, then leave (docs/benchmarks.md).
    @Flag(help: .hidden) var exitAfterFirstFrame = false
    /// Crash-path test: trap after the first frame, to prove the terminal is restored and the
    /// crash report printed after it (Tests/CLITests/TmuxEndToEndTests).
    @Flag(help: .hidden) var crashAfterFirstFrame = false
    /// Stuck-loop test: after the first frame, stop reading keys for 30 s (as a long computation
    /// on the main thread would), to prove a second signal still restores the terminal and leaves
    /// (Tests/CLITests/TmuxSignalTests).
    @Flag(help: .hidden) var hangAfterFirstFrame = false

    func validate() throws { try requireThreads(threads) }

    func run() throws {
        // Before anything can trap (the layout's analysis included): see CursesBackend.
        CursesBackend.installCrashHandlers()
        let loaded = try LayoutArgument.loadModel(layout ?? "builtin:googlenet")
        let source = loaded.source
        let options = CursesBackend.Options.fromEnvironment(ascii: ascii, noColor: noColor, mouse: !noMouse)
        var state = ExplorerState(
            layout: source.layout, origin: DocumentOrigin(source),
            options: ExplorerOptions(
                ascii: ascii, mouse: !noMouse,
                threads: threads ?? 0))
        state.modelWeights = loaded.weights
        let explorer = Explorer(state: state, timer: EngineTimer.make(weights: loaded.weights), documents: .onnx)
        explorer.makeTimer = { EngineTimer.make(weights: $0) }
        let termination: CursesBackend.Termination?
        do {
            termination = try CursesBackend.withTerminal(options: options) { terminal in
                let firstFrameOnly = exitAfterFirstFrame || crashAfterFirstFrame || hangAfterFirstFrame
                explorer.run(on: terminal, frameLimit: firstFrameOnly ? 1 : nil)
                if crashAfterFirstFrame { fatalError("deliberate crash (--crash-after-first-frame)") }
                if hangAfterFirstFrame {
                    let end = ContinuousClock.now + .seconds(30)
                    while ContinuousClock.now < end { _ = usleep(100_000) }  // signals cut usleep short
                    explorer.run(on: terminal)
                }
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
