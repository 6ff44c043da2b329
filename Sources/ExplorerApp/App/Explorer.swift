import InceptionCore
import InceptionRuntime
import TerminalUI

/// The explorer: state, the reducer that turns keys into changes, and the loop that renders frames
/// into a backend. It never touches the terminal itself: a `Backend` does (ncurses in the binary,
/// `TestBackend` in tests), so a whole session is a unit test.
public final class Explorer {
    public internal(set) var state: ExplorerState
    /// What times forward passes (the engine); nil when none is available.
    let timer: (any ForwardTimer)?
    /// The background forward pass, while one runs.
    var run: BackgroundRun?
    /// The tree pane's height in rows at the last render (PgUp/PgDn move by it).
    var treePageRows = 10
    /// Where the tree pane was drawn last (for mouse clicks).
    var treeArea = Rect.zero
    /// Text width inside the panels at the last render (panel rows drop notes that do not fit).
    var panelTextWidth = 0
    public private(set) var shouldQuit = false
    /// Ctrl-L asked for a full repaint.
    var needsFullRedraw = false

    public init(state: ExplorerState, timer: (any ForwardTimer)? = nil) {
        self.state = state
        self.timer = timer
    }

    /// Runs until the user quits (or the backend reports `.terminate`): render, read a key with a
    /// short timeout so background progress shows, handle it.
    /// - Parameter frameLimit: stop after drawing this many frames (start-up benchmarks).
    public func run(on backend: any Backend, frameLimit: Int? = nil) {
        var frames = 0
        while !shouldQuit {
            if needsFullRedraw {
                backend.invalidate()
                needsFullRedraw = false
            }
            backend.draw(render(size: backend.size, capabilities: backend.capabilities))
            frames += 1
            if let frameLimit, frames >= frameLimit { break }
            let key = backend.readKey(timeoutMs: run == nil ? 250 : 50)
            poll()
            if let key { handle(key) }
        }
        run?.cancel()
    }

    /// Handles one key in the current mode.
    public func handle(_ key: Key) {
        if key == .terminate {  // SIGTERM / SIGHUP: leave at once, no questions
            shouldQuit = true
            return
        }
        if key == .resize { return }
        switch state.mode {
        case .normal:
            if case .mouse(let m) = key {
                handleMouse(m)
            } else if let action = KeyMap.normal.action(for: key) {
                perform(action)
            } else if case .char(let c) = key {
                state.message = .error("no key '\(c)' here (press ? for help)")
            }
        case .prompt(let purpose, var prompt):
            if key == .ctrl("c") {
                state.mode = .normal
                return
            }
            switch prompt.apply(key) {
            case .editing: state.mode = .prompt(purpose, prompt)
            case .cancelled:
                state.mode = .normal
                state.message = StatusMessage("cancelled", role: .dim)
            case .submitted(let text):
                state.mode = .normal
                submit(purpose, text.trimmingSpaces())
            }
        case .confirm(let purpose):
            guard let yes = ConfirmPrompt.answer(for: key) else {
                if key == .ctrl("c") { state.mode = .normal }
                return
            }
            state.mode = .normal
            confirm(purpose, yes)
        case .help(let offset), .compare(let offset), .roofline(let offset):
            let mode = state.mode
            let wrap: (Int) -> Mode = { o in
                switch mode {
                case .help: .help(offset: o)
                case .compare: .compare(offset: o)
                default: .roofline(offset: o)
                }
            }
            switch key {
            case .up, .char("k"): state.mode = wrap(max(0, offset - 1))
            case .down, .char("j"): state.mode = wrap(offset + 1)
            case .pageDown: state.mode = wrap(offset + 10)
            case .pageUp: state.mode = wrap(max(0, offset - 10))
            case .ctrl("c"), .char("q"): shouldQuitOrAsk()
            default: state.mode = .normal
            }
        }
    }

    /// Performs one action of the normal mode.
    public func perform(_ action: ExplorerAction) {
        state.message = nil
        switch action {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .pageUp: move(by: -max(1, treePageRows - 1))
        case .pageDown: move(by: max(1, treePageRows - 1))
        case .home: select(index: 0)
        case .end: select(index: state.visibleRows.count - 1)
        case .expand: expand()
        case .collapse: collapse()
        case .toggle: toggle()
        case .widen: changeWidth(by: 8)
        case .narrow: changeWidth(by: -8)
        case .promptWidth: promptWidth()
        case .factorize: promptFactorize()
        case .toggleReduction: toggleReduction()
        case .changeKernel: promptKernel()
        case .addBranch: addBranch()
        case .deleteBranch: deleteBranch()
        case .duplicateBlock: duplicateBlock()
        case .compare: state.mode = .compare(offset: 0)
        case .report: promptReport()
        case .runBlock: startTiming(network: false)
        case .runNetwork: startTiming(network: true)
        case .roofline: openRoofline()
        case .export: promptExport()
        case .save: save()
        case .undo: undo()
        case .redo: redo()
        case .search: state.mode = .prompt(.search, PromptState(text: ""))
        case .searchNext: searchAgain(forward: true)
        case .searchPrevious: searchAgain(forward: false)
        case .redraw: needsFullRedraw = true
        case .help: state.mode = .help(offset: 0)
        case .quit: shouldQuitOrAsk()
        case .cancel: cancel()
        case .click(let x, let y): click(x: x, y: y)
        case .scrollUp: move(by: -3)
        case .scrollDown: move(by: 3)
        }
    }

    func shouldQuitOrAsk() {
        if state.history.isModified {
            state.mode = .confirm(.quitWithoutSaving)
        } else {
            shouldQuit = true
        }
    }

    func cancel() {
        if let run {
            run.cancel()
            state.message = StatusMessage("cancelling the forward pass…", role: .warning)
        } else {
            state.message = nil
        }
    }

    func submit(_ purpose: PromptPurpose, _ text: String) {
        switch purpose {
        case .width(let target): applyWidth(text, target: target)
        case .exportPath: export(to: text)
        case .search: search(text)
        case .factorize(let target): factorize(text, target: target)
        case .reduction(let target): insertReduction(text, target: target)
        case .kernel(let target): changeKernel(text, target: target)
        case .reportPath: writeReport(to: text)
        }
    }

    func confirm(_ purpose: ConfirmPurpose, _ yes: Bool) {
        switch purpose {
        case .quitWithoutSaving:
            if yes { shouldQuit = true } else { state.message = StatusMessage("not quitting", role: .dim) }
        case .overwrite(let path):
            if yes { write(to: path) } else { state.message = StatusMessage("not written", role: .dim) }
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
