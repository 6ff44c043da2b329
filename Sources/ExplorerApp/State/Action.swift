import InceptionCore

/// Everything a key or a click can ask the explorer to do in normal mode.
public enum ExplorerAction: Equatable, Sendable {
    case up, down, pageUp, pageDown, home, end
    case expand, collapse, toggle
    /// `*`: expand everything; `1`…`3`: show that many levels below the network (torchinfo's depth).
    case expandAll, expandToDepth(Int)
    /// `S`: order a block's branches by layout, params or MACs.
    case cycleSort
    /// `v`: the left pane shows the diagram of the block holding the selection.
    case diagram
    case widen, narrow, promptWidth
    case factorize, toggleReduction, changeKernel, addBranch, deleteBranch, duplicateBlock, rename
    case compare, report
    case runBlock, runNetwork, roofline
    case export, save, open
    case undo, redo
    case search, searchNext, searchPrevious
    /// `p`: the problems view; `]` / `[`: the next / previous problem's node.
    case problems, nextProblem, previousProblem
    case redraw, help, quit
    /// `L`: the message log (every status message of the session, whole).
    case messages
    /// Esc: clear the message, cancel a running timing.
    case cancel
    case click(x: Int, y: Int)
    case scrollUp, scrollDown
}

/// The keys of an overlay (help, compare, roofline, problems): scroll, close, quit.
public enum OverlayAction: Equatable, Sendable {
    case up, down, pageUp, pageDown, top, bottom
    /// Enter in the problems view: close it and select the problem's node.
    case open
    case close
    /// Ctrl-C: close the overlay and quit as `q` does in the tree (asking when there are unsaved edits).
    case quit
}

/// What the reducer asks the loop to do outside the state: the only side effects of a key.
/// `Explorer.update` returns them; `Explorer.execute` performs them and feeds the outcome back
/// into the state, so tests can check a key's effect without a disk or an engine.
public enum Effect: Equatable, Sendable {
    /// Write `contents` to `path` atomically; `kind` says what the write means on success.
    case write(path: String, contents: [UInt8], kind: WriteKind)
    /// Read the layout at `path` (a file or builtin:…) and open it in place of the current one.
    case open(path: String)
    /// Time `path` ("" for the network) of `layout` on the engine, in the background.
    case startTiming(path: String, layout: InceptionCore.Layout)
    case cancelTiming
    /// Ctrl-L: forget the screen and repaint every cell.
    case repaint
}

/// What a write is: the layout (it becomes the document's file, "save as"), a report, or an export
/// to another format (.onnx, .py: `message` is the status line after it, `seeded` whether layers
/// were seeded because their weights no longer fit).
public enum WriteKind: Equatable, Sendable {
    case layout, report
    case export(message: String, seeded: Bool)
}
