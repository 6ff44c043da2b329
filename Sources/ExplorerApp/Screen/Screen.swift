import InceptionCore
import TerminalUI

/// The whole frame as a function of the state: title bar, tree pane, panels, status line, and
/// the overlays (help, too-small). Nothing here has side effects beyond the explorer's record of
/// where the tree was drawn (for clicks) and its page size (for PgUp/PgDn).
extension Explorer {
    public func render(size: Size, capabilities: TerminalCapabilities) -> Buffer {
        var buffer = Buffer(size: size)
        let glyphs = state.options.ascii ? Glyphs.ascii : capabilities.glyphs
        guard size.fits(ExplorerOptions.minimumSize) else {
            buffer.render(TooSmallScreen(need: ExplorerOptions.minimumSize, have: size), in: buffer.area)
            treeArea = .zero
            return buffer
        }
        let (top, rest) = buffer.area.splitTop(1)
        let (body, bottom) = rest.splitBottom(1)
        buffer.render(TitleBar(left: titleLeft(glyphs), right: titleRight(width: size.width, glyphs: glyphs), glyphs: glyphs), in: top)

        let treeWidth = max(50, size.width * 55 / 100)
        let (treeBox, panelArea) = body.splitLeft(treeWidth)
        renderTree(in: treeBox, buffer: &buffer, glyphs: glyphs, wide: size.width >= 110)
        renderPanels(in: panelArea, buffer: &buffer, glyphs: glyphs)
        renderStatus(in: bottom, buffer: &buffer, glyphs: glyphs)
        switch state.mode {
        case .help(let offset):
            let lines = KeyMap.normal.helpLines(ascii: !glyphs.isUnicode)
            let clamped = renderOverlay("Keys (Esc closes)", lines, offset: offset, in: body, buffer: &buffer, glyphs: glyphs)
            state.mode = .help(offset: clamped)
        case .compare(let offset):
            let diff = LayoutDiff(before: state.history.original, after: state.layout)
            let lines = diff.table(beforeName: "loaded", afterName: "current").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let clamped = renderOverlay("Loaded vs current (Esc closes)", lines, offset: offset, in: body, buffer: &buffer, glyphs: glyphs)
            state.mode = .compare(offset: clamped)
        case .roofline(let offset):
            let (title, lines) = rooflineOverlay(width: body.width - 6, ascii: !glyphs.isUnicode)
            let clamped = renderOverlay(title, lines, offset: offset, in: body, buffer: &buffer, glyphs: glyphs)
            state.mode = .roofline(offset: clamped)
        default:
            break
        }
        return buffer
    }

    /// Draws a scrollable overlay; returns the offset clamped to the content.
    func renderOverlay(_ title: String, _ lines: [String], offset: Int, in area: Rect, buffer: inout Buffer, glyphs: Glyphs) -> Int {
        let visible = Overlay(title: title, text: lines, offset: 0, glyphs: glyphs).visibleLines(in: area)
        let clamped = min(offset, max(0, lines.count - visible))
        buffer.render(Overlay(title: title, text: lines, offset: clamped, glyphs: glyphs), in: area)
        return clamped
    }

    /// "[modified]" comes before the file name, so a long path never truncates it away.
    func titleLeft(_ glyphs: Glyphs) -> String {
        state.layout.name + (state.history.isModified ? " [modified]" : "") + Self.dot(glyphs) + state.origin.displayName
    }

    func titleRight(width: Int, glyphs: Glyphs) -> String {
        let t = state.analysis.totals
        if width >= 110 {
            return "params \(NumberFormat.grouped(t.params))\(Self.dot(glyphs))MACs \(NumberFormat.grouped(t.macs))"
        }
        return "params \(NumberFormat.humanized(t.params))\(Self.dot(glyphs))MACs \(NumberFormat.humanized(t.macs))"
    }

    /// The separator between facts on one line.
    static func dot(_ glyphs: Glyphs) -> String { glyphs.isUnicode ? " · " : " | " }

    func renderStatus(in area: Rect, buffer: inout Buffer, glyphs: Glyphs) {
        switch state.mode {
        case .prompt(let purpose, let prompt):
            let label: String = switch purpose {
            case .width(let target): "width of \(state.layout.path(of: target) ?? "?"): "
            case .exportPath: "export to: "
            case .search: "/"
            case .factorize(let target): "factorize \(state.layout.path(of: target) ?? "?"): intermediate width: "
            case .reduction(let target): "1x1 reduction before \(state.layout.path(of: target) ?? "?"), width: "
            case .kernel(let target): "kernel of \(state.layout.path(of: target) ?? "?") (3, 5, 1x7, 7x1...): "
            case .reportPath: "write report to: "
            }
            buffer.render(PromptView(label: label, state: prompt), in: area)
        case .confirm(let purpose):
            let question: String = switch purpose {
            case .quitWithoutSaving: "quit without saving?"
            case .overwrite(let path): "\(path) exists: overwrite?"
            }
            buffer.render(ConfirmPrompt(question), in: area)
        case .help, .compare, .roofline:
            buffer.render(StatusBar(hints: KeyMap.helpHints, message: nil, glyphs: glyphs), in: area)
        case .normal:
            var message = state.message
            if message == nil, case .running(let path, _) = state.timing {
                message = StatusMessage("timing \(path.isEmpty ? "the network" : path)… (Esc cancels)", role: .accent)
            }
            buffer.render(StatusBar(hints: KeyMap.normal.hints(ascii: !glyphs.isUnicode), message: message, glyphs: glyphs), in: area)
        }
    }
}
