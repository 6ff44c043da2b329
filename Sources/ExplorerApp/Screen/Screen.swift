import InceptionCore
import TerminalUI

/// One frame as a pure function of the state and a viewport: title bar, tree pane, panels, status
/// line, and the overlays (help, compare, roofline, too-small). A `Screen` is a value with only
/// `let`s: drawing cannot write back into the state, so what a key does never depends on what the
/// last frame happened to draw (scroll offsets are clamped where keys are handled, see
/// `Explorer.clampScroll`).
struct Screen {
    let state: ExplorerState
    let viewport: Viewport
    let glyphs: Glyphs

    init(state: ExplorerState, viewport: Viewport, capabilities: TerminalCapabilities) {
        self.state = state
        self.viewport = viewport
        glyphs = state.options.ascii ? Glyphs.ascii : capabilities.glyphs
    }

    func render() -> Buffer {
        var buffer = Buffer(size: viewport.size)
        guard viewport.fits else {
            buffer.render(TooSmallScreen(need: ExplorerOptions.minimumSize, have: viewport.size), in: buffer.area)
            // A quit question asked on the small screen must be visible to be answered.
            if case .confirm = state.mode, viewport.size.height > 0 {
                renderStatus(in: buffer.area.row(buffer.area.height - 1), buffer: &buffer)
            }
            return buffer
        }
        buffer.render(TitleBar(left: titleLeft(), right: titleRight(), glyphs: glyphs), in: viewport.title)
        if state.pane == .diagram {
            renderDiagram(in: viewport.treeBox, buffer: &buffer)
        } else {
            renderTree(in: viewport.treeBox, buffer: &buffer)
        }
        renderPanels(in: viewport.panels, buffer: &buffer)
        renderStatus(in: viewport.status, buffer: &buffer)
        if let content = Self.overlay(for: state, width: viewport.body.width - 6, ascii: !glyphs.isUnicode) {
            buffer.render(
                Overlay(title: content.title, lines: content.lines, offset: content.offset, glyphs: glyphs),
                in: viewport.body)
        }
        return buffer
    }

    /// The open overlay's title and lines, or nil in the other modes. The key handler uses the same
    /// function to clamp the overlay's scroll offset.
    /// `offset` is the first line shown (the Overlay widget clamps it to its content).
    static func overlay(
        for state: ExplorerState, width: Int, ascii: Bool
    ) -> (title: String, lines: [[Span]], offset: Int)? {
        switch state.mode {
        case .help(let offset):
            return ("Keys (q or Esc closes)", KeyMap.helpLines(ascii: ascii).map { [Span($0)] }, offset)
        case .compare(let offset):
            // From the analyses kept per edit: nothing is analysed per frame.
            let diff = LayoutDiff(
                before: state.history.original, after: state.layout,
                beforeAnalysis: state.originalAnalysis, afterAnalysis: state.analysis)
            let text = diff.table(beforeName: "loaded", afterName: "current")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { wrapKeepingIndent(String($0), width: max(20, width - 4)) }
            return ("Loaded vs current (q or Esc closes)", lines.map { [Span($0)] }, offset)
        case .roofline(let offset):
            let (title, lines) = rooflineOverlay(state, width: width, ascii: ascii)
            return (title, lines.map { [Span($0)] }, offset)
        case .messages(let offset):
            return (messagesTitle, messageLogLines(state, width: width, ascii: ascii), offset)
        case .problems:
            return problemsOverlay(state, width: width)
        default:
            return nil
        }
    }

    /// "[modified]" comes before the file name, so a long path never truncates it away.
    func titleLeft() -> String {
        state.layout.name + (state.history.isModified ? " [modified]" : "") + Self.dot(glyphs)
            + state.origin.displayName
    }

    func titleRight() -> String {
        let t = state.analysis.totals
        if viewport.wide {
            return "params \(NumberFormat.grouped(t.params))\(Self.dot(glyphs))MACs \(NumberFormat.grouped(t.macs))"
        }
        return "params \(NumberFormat.humanized(t.params))\(Self.dot(glyphs))MACs \(NumberFormat.humanized(t.macs))"
    }

    /// The separator between facts on one line.
    static func dot(_ glyphs: Glyphs) -> String { glyphs.isUnicode ? " · " : " | " }

    func renderStatus(in area: Rect, buffer: inout Buffer) {
        switch state.mode {
        case .prompt(let purpose, let prompt):
            buffer.render(
                PromptView(label: promptLabel(purpose), state: prompt, note: promptNote(purpose, prompt)), in: area)
        case .confirm(let purpose):
            // The path is cut from its start when long, so the question and "(y/n)" always show.
            func ask(_ path: String, _ rest: String) -> String {
                let room = max(12, area.width - TextWidth.of(rest) - 7)
                return TextWidth.fit(
                    path, width: min(room, TextWidth.of(path)), alignment: .left, ellipsis: glyphs.ellipsis,
                    truncation: .head) + rest
            }
            let question: String =
                switch purpose {
                case .quitWithoutSaving: "quit without saving?"
                case .overwrite(let path): ask(path, " exists: overwrite?")
                case .overwriteReport(let path): ask(path, " exists: overwrite with the report?")
                case .saveChangedOnDisk(let path, let why): ask(path, " \(why) since it was loaded: write it anyway?")
                case .openDiscarding(let path): ask(path, ": open it and drop the unsaved edits?")
                }
            buffer.render(ConfirmPrompt(question), in: area)
        case .problems:
            buffer.render(
                StatusBar(hints: KeyMap.problems.hints(ascii: !glyphs.isUnicode), message: nil, glyphs: glyphs),
                in: area)
        case .help, .compare, .roofline, .messages:
            buffer.render(
                StatusBar(hints: KeyMap.overlay.hints(ascii: !glyphs.isUnicode), message: nil, glyphs: glyphs), in: area
            )
        case .normal:
            // A message cut at this width says where to read it whole.
            let diagram = state.pane == .diagram ? KeyMap.diagram.hints(ascii: !glyphs.isUnicode) : []
            buffer.render(
                StatusBar(
                    hints: diagram + KeyMap.normal.hints(ascii: !glyphs.isUnicode), message: statusMessage(),
                    glyphs: glyphs, cutNote: "L log"), in: area)
        }
    }

    /// The message of the last action; else a running timing; else, on an invalid layout, its
    /// first error, so a file opened broken says why before anything is selected.
    func statusMessage() -> StatusMessage? {
        if let message = state.message { return message }
        if case .running(let path, _) = state.timing {
            return StatusMessage("timing \(path.isEmpty ? "the network" : path)… (Esc cancels)", role: .accent)
        }
        if let error = state.analysis.errors.first {
            let more =
                state.analysis.errors.count > 1
                ? " (+\(state.analysis.errors.count - 1) more, p lists them)" : " (p: problems)"
            return .error("invalid: " + error.description + more)
        }
        return nil
    }

    /// Beside the prompt: the search's match count as you type, Tab's candidates in a path prompt.
    func promptNote(_ purpose: PromptPurpose, _ prompt: PromptState) -> String? {
        if purpose == .search {
            guard !prompt.text.isEmpty else { return nil }
            let matches = state.searchMatches
            guard let i = matches.firstIndex(of: state.selection) else {
                return matches.isEmpty ? "no match" : "\(matches.count) matches"
            }
            return "\(i + 1) of \(matches.count)"
        }
        return state.completions.isEmpty ? nil : state.completions.joined(separator: "  ")
    }

    func promptLabel(_ purpose: PromptPurpose) -> String {
        switch purpose {
        case .width(let target): "width of \(state.layout.path(of: target) ?? "?"): "
        case .exportPath: "save as (the title and s then use this file): "
        case .search: "/"
        case .factorize(let target): "factorize \(state.layout.path(of: target) ?? "?"): intermediate width: "
        case .reduction(let target): "1x1 reduction before \(state.layout.path(of: target) ?? "?"), width: "
        case .kernel(let target): "kernel of \(state.layout.path(of: target) ?? "?") (3, 5, 1x7, 7x1...): "
        case .reportPath: "write report to: "
        case .rename(let target): "rename \(state.layout.path(of: target) ?? "?") to: "
        case .openPath: "open layout (file or builtin:…): "
        }
    }
}
