/// Everything a key, a click or background work can ask the explorer to do.
public enum ExplorerAction: Equatable, Sendable {
    case up, down, pageUp, pageDown, home, end
    case expand, collapse, toggle
    case widen, narrow, promptWidth
    case factorize, toggleReduction, changeKernel, addBranch, deleteBranch, duplicateBlock
    case compare, report
    case runBlock, runNetwork, roofline
    case export, save
    case undo, redo
    case search, searchNext, searchPrevious
    case redraw, help, quit
    /// Esc: close a prompt or overlay, cancel a running timing.
    case cancel
    case click(x: Int, y: Int)
    case scrollUp, scrollDown
}
