import TerminalUI

/// The explorer's key bindings as data: one table drives dispatch, the status-bar hints and the
/// `?` overlay, so the three can never disagree (lazygit's way).
public enum KeyMap {
    public static let normal = KeyTable<ExplorerAction>([
        KeyBinding([.up, .char("k")], .up, help: "move up", group: "Navigate"),
        KeyBinding([.down, .char("j")], .down, help: "move down", group: "Navigate"),
        KeyBinding([.pageUp], .pageUp, help: "page up", group: "Navigate"),
        KeyBinding([.pageDown], .pageDown, help: "page down", group: "Navigate"),
        KeyBinding([.home, .char("g")], .home, help: "first row", group: "Navigate"),
        KeyBinding([.end, .char("G")], .end, help: "last row", group: "Navigate"),
        KeyBinding([.right, .char("l")], .expand, help: "expand, or step into", group: "Navigate"),
        KeyBinding([.left, .char("h")], .collapse, help: "collapse, or go to parent", group: "Navigate"),
        KeyBinding([.enter, .char(" ")], .toggle, help: "expand / collapse", group: "Navigate"),
        KeyBinding([.char("/")], .search, help: "search node names", group: "Navigate", label: "search"),
        KeyBinding([.char("n")], .searchNext, help: "next match", group: "Navigate"),
        KeyBinding([.char("N")], .searchPrevious, help: "previous match", group: "Navigate"),
        KeyBinding([.char("+")], .widen, help: "width +8 (conv, linear, or a branch's last conv)", group: "Edit", label: "width"),
        KeyBinding([.char("-"), .char("_")], .narrow, help: "width -8 (never below 1)", group: "Edit"),
        KeyBinding([.char("w")], .promptWidth, help: "type an exact width", group: "Edit", label: "set width"),
        KeyBinding([.char("f")], .factorize, help: "factorize the conv: 5x5 -> two 3x3, nxn -> 1xn + nx1", group: "Design", label: "factorize"),
        KeyBinding([.char("x")], .toggleReduction, help: "toggle the 1x1 reduction before a branch's big conv", group: "Design"),
        // Issue 5 asked for `k`, but issue 4 binds k/j to up/down (vim); moving wins, the kernel is K.
        KeyBinding([.char("K")], .changeKernel, help: "change the conv's kernel (1, 3, 5, 7, 1xn, nx1)", group: "Design"),
        KeyBinding([.char("a")], .addBranch, help: "add a branch (1x1 conv, 32 wide) to the block", group: "Design"),
        KeyBinding([.char("d")], .deleteBranch, help: "delete the selected branch", group: "Design"),
        KeyBinding([.char("c")], .duplicateBlock, help: "duplicate the block after itself", group: "Design"),
        KeyBinding([.char("=")], .compare, help: "compare the loaded layout with the current one", group: "Design"),
        KeyBinding([.char("m")], .report, help: "write a Markdown report next to the layout", group: "File"),
        KeyBinding([.char("u")], .undo, help: "undo", group: "Edit", label: "undo"),
        KeyBinding([.ctrl("r")], .redo, help: "redo", group: "Edit"),
        KeyBinding([.char("r")], .runBlock, help: "time the selected block (forward pass)", group: "Run", label: "time block"),
        KeyBinding([.char("R")], .runNetwork, help: "time the whole network", group: "Run"),
        KeyBinding([.char("o")], .roofline, help: "roofline of the last timing: each conv vs its roof (after r / R)", group: "Run"),
        KeyBinding([.char("e")], .export, help: "export to .json, .onnx or .py (asks for a path)", group: "File", label: "export"),
        KeyBinding([.char("s")], .save, help: "save back to the loaded file", group: "File", label: "save"),
        KeyBinding([.ctrl("l")], .redraw, help: "redraw the screen", group: "General"),
        KeyBinding([.char("?")], .help, help: "this help", group: "General", label: "help"),
        KeyBinding([.escape], .cancel, help: "close a prompt or overlay; cancel a timing", group: "General"),
        KeyBinding([.char("q"), .ctrl("c")], .quit, help: "quit (asks when there are unsaved edits)", group: "General", label: "quit"),
    ])

    /// Hints while a prompt is open (the prompt itself handles the keys).
    public static let promptHints = [KeyHint(key: "Enter", label: "apply"), KeyHint(key: "Esc", label: "cancel"),
                                     KeyHint(key: "^U", label: "clear")]

    /// Hints while the help overlay is open.
    public static let helpHints = [KeyHint(key: "Esc", label: "close"), KeyHint(key: "↑↓", label: "scroll")]
}
