import InceptionCore
import InceptionWeights
import TerminalUI

/// The explorer as a model–update–view loop: `state` is the model, `update` turns one key into a
/// new state plus the effects it asks for (write a file, start a timing), `execute` performs an
/// effect and feeds its outcome back, and `render` draws the state into a buffer. It never
/// touches the terminal itself: a `Backend` does (ncurses in the binary, `TestBackend` in tests),
/// so a whole session is a unit test.
public final class Explorer {
    public internal(set) var state: ExplorerState
    /// What times forward passes (the engine); nil when none is available.
    var timer: (any ForwardTimer)?
    /// The background forward pass, while one runs.
    var run: BackgroundRun?
    /// `O`'s background read, while one runs.
    var loading: BackgroundLoad?
    /// The screen geometry keys are handled against: the backend's size, set by the loop before
    /// each key (tests set it directly). Never written by rendering.
    public var viewport = Viewport(size: Size(width: 100, height: 32))
    public private(set) var shouldQuit = false
    /// Effects asked for by the key being handled (returned by `update`).
    var effects: [Effect] = []
    /// How `O` reads a document and `e` renders a .onnx or .py file: the executable wires the
    /// ONNX codec (built-ins, JSON files and ONNX models told apart by content, as every command
    /// does); the default knows the core's formats only (`DocumentIO.layoutsOnly`).
    public var documents: DocumentIO
    /// Makes the timer for a document opened with `O` from its own weights (nil: seeded), so a
    /// model opened later runs with its weights, not the first document's. Nil keeps `timer`.
    public var makeTimer: (@Sendable (ModelWeights?) -> (any ForwardTimer)?)?
    /// The machine's 1-minute load average when a timing starts (nil when unknown): a timing taken
    /// on a busy machine says so. Tests hand in a fixed value.
    public var loadAverage: @Sendable () -> Double? = { LoadAverage.oneMinute() }

    public init(state: ExplorerState, timer: (any ForwardTimer)? = nil, documents: DocumentIO = .layoutsOnly) {
        self.state = state
        self.timer = timer
        self.documents = documents
    }

    /// Runs until the user quits (or the backend reports `.terminate`): render, read a key with a
    /// short timeout so background progress shows, update, perform the effects.
    /// - Parameter frameLimit: stop after drawing this many frames (start-up benchmarks).
    public func run(on backend: any Backend, frameLimit: Int? = nil) {
        var frames = 0
        while !shouldQuit {
            viewport = Viewport(size: backend.size)
            backend.draw(render(viewport: viewport, capabilities: backend.capabilities))
            frames += 1
            if let frameLimit, frames >= frameLimit { break }
            let key = backend.readKey(timeoutMs: run == nil && loading == nil ? 250 : 50)
            poll()
            guard let key else { continue }
            viewport = Viewport(size: backend.size)
            for effect in update(key) { execute(effect, on: backend) }
        }
        run?.cancel()
    }

    /// The frame for `size`: a pure function of the state.
    public func render(size: Size, capabilities: TerminalCapabilities) -> Buffer {
        render(viewport: Viewport(size: size), capabilities: capabilities)
    }

    public func render(viewport: Viewport, capabilities: TerminalCapabilities) -> Buffer {
        Screen(state: state, viewport: viewport, capabilities: capabilities).render()
    }

    /// Handles one key and performs its effects at once (tests and the benchmark; the loop uses
    /// `update` and `execute`).
    public func handle(_ key: Key) {
        for effect in update(key) { execute(effect, on: nil) }
        waitForOpen()
    }

    /// The reducer: one key in the current mode changes the state; returns what it asks the
    /// loop to do outside it.
    public func update(_ key: Key) -> [Effect] {
        effects = []
        reduce(key)
        clampScroll()
        defer { effects = [] }
        return effects
    }

    func reduce(_ key: Key) {
        switch key {
        case .terminate:  // SIGTERM / SIGHUP / the terminal went away: leave at once, no questions
            shouldQuit = true
            return
        case .resize:
            return
        case .ctrl("l"):
            effects.append(.repaint)
            return
        default:
            break
        }
        if let loading { return reduceWhileLoading(key, loading) }
        guard viewport.fits else { return reduceTooSmall(key) }
        switch state.mode {
        case .normal: reduceNormal(key)
        case .prompt(let purpose, let prompt): reducePrompt(key, purpose, prompt)
        case .confirm(let purpose): reduceConfirm(key, purpose)
        case .help, .compare, .roofline, .messages, .problems: reduceOverlay(key)
        }
    }

    /// The "terminal too small" notice hides everything: keys that would act unseen are ignored;
    /// only quitting (and answering the quit question it may ask) works.
    func reduceTooSmall(_ key: Key) {
        if case .confirm(let purpose) = state.mode { return reduceConfirm(key, purpose) }
        if key == .char("q") || key == .ctrl("c") {
            state.mode = .normal
            shouldQuitOrAsk()
        }
    }

    func reduceNormal(_ key: Key) {
        if case .mouse(let m) = key {
            if state.pane == .diagram, m.kind == .leftClick, state.options.mouse { return clickDiagram(x: m.x, y: m.y) }
            handleMouse(m)
        } else if state.pane == .diagram, let action = KeyMap.diagram.action(for: key) {
            performDiagram(action)
        } else if let action = KeyMap.normal.action(for: key) {
            perform(action)
        } else if case .char(let c) = key {
            state.message = .error("no key '\(c)' here (press ? for help)")
        }
    }

    func reducePrompt(_ key: Key, _ purpose: PromptPurpose, _ prompt: PromptState) {
        if key == .ctrl("c") {  // as q in the tree: leave the prompt, quit (asking when edited)
            state.mode = .normal
            return shouldQuitOrAsk()
        }
        var prompt = prompt
        if key == .tab, PromptPurpose.takesPath(purpose) {
            completePath(&prompt, builtins: purpose == .openPath)
            state.mode = .prompt(purpose, prompt)
            return
        }
        state.completions = []
        // A width prompt takes digits only: a letter typed there is dropped, not refused later.
        if PromptPurpose.takesCount(purpose), case .char(let c) = key, !(c.isASCII && c.isNumber) { return }
        switch prompt.apply(key) {
        case .editing:
            state.mode = .prompt(purpose, prompt)
            if purpose == .search { searchIncrementally(prompt.text) }
        case .cancelled:
            state.mode = .normal
            if purpose == .search {
                // Esc puts the selection back where the search began, as less and vim do.
                if let start = state.searchStart { state.selection = start }
                state.searchStart = nil
                state.searchMatches = state.lastSearch.map { ExplorerState.matches(of: $0, in: state.layout) } ?? []
            }
            state.message = StatusMessage("cancelled", role: .dim)
        case .submitted(let text):
            state.mode = .normal
            submit(purpose, text.trimmingSpaces())
        }
    }

    func reduceConfirm(_ key: Key, _ purpose: ConfirmPurpose) {
        guard let yes = ConfirmPrompt.answer(for: key) else { return }
        state.mode = .normal
        confirm(purpose, yes)
        // Ctrl-C answers "no", then acts as q does (a second question when there are unsaved edits;
        // at the quit question itself it only says no, so edits are never lost to a stray ^C).
        if key == .ctrl("c"), purpose != .quitWithoutSaving { shouldQuitOrAsk() }
    }

    func reduceOverlay(_ key: Key) {
        // The mouse wheel scrolls an overlay as the arrows do (three lines a notch, as in the tree).
        if case .mouse(let m) = key, state.options.mouse, m.kind == .wheelUp || m.kind == .wheelDown {
            for _ in 0..<3 { reduceOverlay(m.kind == .wheelUp ? .up : .down) }
            return
        }
        let problems: Bool
        if case .problems = state.mode { problems = true } else { problems = false }
        guard let action = (problems ? KeyMap.problems : KeyMap.overlay).action(for: key) else { return }
        switch action {
        case .close: state.mode = .normal
        case .quit:
            state.mode = .normal
            shouldQuitOrAsk()
        case .open: openSelectedProblem()
        default:
            if case .problems(let i) = state.mode {
                let last = max(0, state.problems.count - 1)
                let page = max(1, viewport.body.height / 3)
                let next: Int =
                    switch action {
                    case .up: i - 1
                    case .down: i + 1
                    case .pageUp: i - page
                    case .pageDown: i + page
                    case .top: 0
                    default: last
                    }
                state.mode = .problems(selected: min(max(0, next), last))
            } else if let o = state.mode.overlayOffset {
                let page = max(1, viewport.body.height - 5)
                let next: Int =
                    switch action {
                    case .up: o - 1
                    case .down: o + 1
                    case .pageUp: o - page
                    case .pageDown: o + page
                    case .top: 0
                    default: Int.max / 2  // clamped to the last page below
                    }
                state.mode = state.mode.withOverlayOffset(max(0, next))
            }
        }
    }

    /// Keeps the tree's selection on screen and an overlay's offset within its content, for the
    /// current viewport. The one place scroll offsets change.
    func clampScroll() {
        let rows = state.visibleRows
        state.treeScroll = TreeView.scrollOffset(
            selected: state.selectedIndex(in: rows), current: state.treeScroll,
            visibleRows: viewport.treePageRows, rowCount: rows.count)
        if let offset = state.mode.overlayOffset,
            let content = Screen.overlay(for: state, width: viewport.body.width - 6, ascii: false)
        {
            let visible = Overlay(title: content.title, lines: content.lines, glyphs: .unicode).visibleLines(
                in: viewport.body)
            state.mode = state.mode.withOverlayOffset(min(offset, max(0, content.lines.count - visible)))
        }
    }

    /// Performs one action of the normal mode (inside `update`, which returns the effects it asks for).
    func perform(_ action: ExplorerAction) {
        state.message = nil
        switch action {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .pageUp: move(by: -max(1, viewport.treePageRows - 1))
        case .pageDown: move(by: max(1, viewport.treePageRows - 1))
        case .home: select(index: 0)
        case .end: select(index: state.visibleRows.count - 1)
        case .expand: expand()
        case .collapse: collapse()
        case .toggle: toggle()
        case .expandAll: expandTree(toDepth: nil)
        case .expandToDepth(let d): expandTree(toDepth: d)
        case .cycleSort: cycleSort()
        case .diagram: openDiagram()
        case .widen: changeWidth(by: InceptionCore.Layout.widthStep)
        case .narrow: changeWidth(by: -InceptionCore.Layout.widthStep)
        case .promptWidth: promptWidth()
        case .factorize: promptFactorize()
        case .toggleReduction: toggleReduction()
        case .changeKernel: promptKernel()
        case .addBranch: addBranch()
        case .deleteBranch: deleteBranch()
        case .duplicateBlock: duplicateBlock()
        case .rename: promptRename()
        case .compare:
            // Nothing to compare: say so rather than open an empty table.
            if state.layout == state.history.original {
                state.message = StatusMessage("no changes since load", role: .dim)
            } else {
                state.mode = .compare(offset: 0)
            }
        case .report: promptReport()
        case .runBlock: startTiming(network: false)
        case .runNetwork: startTiming(network: true)
        case .roofline: openRoofline()
        case .export: promptExport()
        case .save: save()
        case .open: state.mode = .prompt(.openPath, PromptState(text: ""))
        case .undo: undo()
        case .redo: redo()
        case .search: state.mode = .prompt(.search, PromptState(text: ""))
        case .searchNext: searchAgain(forward: true)
        case .searchPrevious: searchAgain(forward: false)
        case .problems: openProblems()
        case .nextProblem: jumpToProblem(forward: true)
        case .previousProblem: jumpToProblem(forward: false)
        case .redraw: effects.append(.repaint)
        case .help: state.mode = .help(offset: 0)
        // Opened at its end (clamped to the last page): the newest message is the one wanted.
        case .messages: state.mode = .messages(offset: Int.max / 2)
        case .quit: shouldQuitOrAsk()
        case .cancel: cancel()
        case .click(let x, let y): click(x: x, y: y)
        case .scrollUp: move(by: -3)
        case .scrollDown: move(by: 3)
        }
    }

    /// Performs an effect (`backend` for a repaint) and records its outcome in the state.
    public func execute(_ effect: Effect, on backend: (any Backend)?) {
        switch effect {
        case .write(let path, let contents, let kind): performWrite(contents, to: path, kind: kind)
        case .open(let path): performOpen(path)
        case .startTiming(let path, let layout): launchTiming(path: path, layout: layout)
        case .cancelTiming: run?.cancel()
        case .repaint: backend?.invalidate()
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
        if run != nil {
            effects.append(.cancelTiming)
            state.message = StatusMessage("cancelling the forward pass…", role: .warning)
        } else {
            state.message = nil
        }
    }

    func submit(_ purpose: PromptPurpose, _ text: String) {
        switch purpose {
        case .width(let target): applyWidth(text, target: target)
        case .exportPath: export(to: expandingTilde(text))
        case .search: search(text)
        case .factorize(let target): factorize(text, target: target)
        case .reduction(let target): insertReduction(text, target: target)
        case .kernel(let target): changeKernel(text, target: target)
        case .reportPath: writeReport(to: expandingTilde(text))
        case .rename(let target): rename(target, to: text)
        case .openPath: open(expandingTilde(text))
        }
    }

    func confirm(_ purpose: ConfirmPurpose, _ yes: Bool) {
        switch purpose {
        case .quitWithoutSaving:
            if yes { shouldQuit = true } else { state.message = StatusMessage("not quitting", role: .dim) }
        case .overwrite(let path), .saveChangedOnDisk(let path, _):
            if yes { requestLayoutWrite(to: path) } else { state.message = StatusMessage("not written", role: .dim) }
        case .overwriteReport(let path):
            if yes { requestReportWrite(to: path) } else { state.message = StatusMessage("not written", role: .dim) }
        case .openDiscarding(let path):
            if yes {
                effects.append(.open(path: path))
            } else {
                state.message = StatusMessage("not opened", role: .dim)
            }
        }
    }
}

extension Mode {
    /// The same overlay scrolled to `offset`.
    func withOverlayOffset(_ offset: Int) -> Mode {
        switch self {
        case .help: .help(offset: offset)
        case .compare: .compare(offset: offset)
        case .roofline: .roofline(offset: offset)
        case .messages: .messages(offset: offset)
        default: self
        }
    }
}

extension PromptPurpose {
    /// Prompts that ask for a file path (Tab completes, `~` expands).
    static func takesPath(_ p: PromptPurpose) -> Bool { p == .exportPath || p == .reportPath || p == .openPath }

    /// Prompts that ask for a width (digits only).
    static func takesCount(_ p: PromptPurpose) -> Bool {
        switch p {
        case .width, .factorize, .reduction: true
        default: false
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
