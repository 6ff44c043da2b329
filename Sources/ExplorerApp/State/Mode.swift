import InceptionCore
import TerminalUI

/// What a prompt on the status line is asking for.
public enum PromptPurpose: Equatable, Sendable {
    case width(target: NodeAddress)
    case exportPath
    case search
    /// `f`: the intermediate width of the factorized pair.
    case factorize(target: NodeAddress)
    /// `x`: the width of the 1x1 reduction to insert.
    case reduction(target: NodeAddress)
    /// `k`: the new kernel (3, 5, 1x7, ...).
    case kernel(target: NodeAddress)
    /// `m`: where to write the Markdown report.
    case reportPath
    /// `F2`: a new name for the node.
    case rename(target: NodeAddress)
    /// `O`: another layout file (or builtin:…) to open in place of this one.
    case openPath
}

/// What a y/n question on the status line is about.
public enum ConfirmPurpose: Equatable, Sendable {
    case quitWithoutSaving
    /// `e` to an existing regular file other than the open one.
    case overwrite(path: String)
    /// `m` to an existing regular file other than the open layout.
    case overwriteReport(path: String)
    /// `s` when the file changed ("changed") or vanished ("was deleted") on disk since it was
    /// loaded or last written.
    case saveChangedOnDisk(path: String, why: String)
    /// `O` with unsaved edits: open `path` and drop them?
    case openDiscarding(path: String)
}

/// The explorer's input mode: which key table is active.
public enum Mode: Equatable, Sendable {
    case normal
    case prompt(PromptPurpose, PromptState)
    case confirm(ConfirmPurpose)
    case help(offset: Int)
    /// `=`: the loaded layout against the current one, per block.
    case compare(offset: Int)
    /// `o`: the roofline of the selected block's last timing (per-layer times).
    case roofline(offset: Int)
    /// `L`: the session's messages, whole and wrapped, newest last.
    case messages(offset: Int)
    /// `p`: every error and lint of the layout, full text; `selected` is an index into
    /// `ExplorerState.problems`, Enter jumps to its node.
    case problems(selected: Int)

    /// The scroll offset of a scrolling overlay (help, compare, roofline); nil otherwise.
    public var overlayOffset: Int? {
        switch self {
        case .help(let o), .compare(let o), .roofline(let o), .messages(let o): o
        default: nil
        }
    }

    /// True while an overlay covers the body.
    public var isOverlay: Bool {
        switch self {
        case .help, .compare, .roofline, .messages, .problems: true
        default: false
        }
    }
}
