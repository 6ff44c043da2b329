import InceptionCore
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
        KeyBinding([.char("*")], .expandAll, help: "expand everything", group: "Navigate"),
        KeyBinding([.char("1")], .expandToDepth(1), help: "collapse to the top-level layers", group: "Navigate"),
        KeyBinding([.char("2")], .expandToDepth(2), help: "show blocks' branches (depth 2)", group: "Navigate"),
        KeyBinding([.char("3")], .expandToDepth(3), help: "show branches' layers (depth 3)", group: "Navigate"),
        KeyBinding([.char("S")], .cycleSort, help: "order branches by layout, params or MACs", group: "Navigate"),
        KeyBinding([.char("/")], .search, help: "search node names (as you type)", group: "Navigate", label: "search"),
        KeyBinding([.char("n")], .searchNext, help: "next match", group: "Navigate"),
        KeyBinding([.char("N")], .searchPrevious, help: "previous match", group: "Navigate"),
        KeyBinding(
            [.char("p")], .problems, help: "problems: every error and lint, full text (Enter jumps)", group: "Navigate",
            label: "problems"),
        KeyBinding([.char("]")], .nextProblem, help: "next problem's node", group: "Navigate"),
        KeyBinding([.char("[")], .previousProblem, help: "previous problem's node", group: "Navigate"),
        KeyBinding(
            [.char("+")], .widen,
            help: "width +\(InceptionCore.Layout.widthStep) (conv, linear, or a branch's last conv)", group: "Edit",
            label: "width"),
        KeyBinding(
            [.char("-"), .char("_")], .narrow, help: "width -\(InceptionCore.Layout.widthStep) (never below 1)",
            group: "Edit"),
        KeyBinding([.char("w")], .promptWidth, help: "type an exact width", group: "Edit", label: "set width"),
        KeyBinding(
            [.char("f")], .factorize, help: "factorize the conv: 5x5 -> two 3x3, nxn -> 1xn + nx1", group: "Design",
            label: "factorize"),
        KeyBinding(
            [.char("x")], .toggleReduction, help: "toggle the 1x1 reduction before a branch's big conv", group: "Design"
        ),
        // Issue 5 asked for `k`, but issue 4 binds k/j to up/down (vim); moving wins, the kernel is K.
        KeyBinding(
            [.char("K")], .changeKernel, help: "change the conv's kernel (1, 3, 5, 7, 1xn, nx1)", group: "Design"),
        KeyBinding([.char("a")], .addBranch, help: "add a branch (1x1 conv, 32 wide) to the block", group: "Design"),
        KeyBinding([.char("d")], .deleteBranch, help: "delete the selected branch", group: "Design"),
        KeyBinding([.char("c")], .duplicateBlock, help: "duplicate the block after itself", group: "Design"),
        KeyBinding([.function(2)], .rename, help: "rename the selected node", group: "Design"),
        KeyBinding([.char("=")], .compare, help: "compare the loaded layout with the current one", group: "Design"),
        KeyBinding(
            [.char("m")], .report, help: "write a Markdown report next to the layout (asks before overwriting)",
            group: "File"),
        KeyBinding([.char("u")], .undo, help: "undo", group: "Edit", label: "undo"),
        KeyBinding([.ctrl("r")], .redo, help: "redo", group: "Edit"),
        KeyBinding(
            [.char("r")], .runBlock, help: "time the selected block (forward pass)", group: "Run", label: "time block"),
        KeyBinding(
            [.char("v")], .diagram, help: "diagram of the selected block, as the paper draws it (v again: the tree)",
            group: "Navigate", label: "diagram"),
        KeyBinding([.char("R")], .runNetwork, help: "time the whole network", group: "Run"),
        KeyBinding(
            [.char("o")], .roofline, help: "roofline of the last timing: each conv vs its roof (after r / R)",
            group: "Run"),
        KeyBinding(
            [.char("e")], .export, help: "save as JSON (the title and s then use it), or export .onnx / .py",
            group: "File", label: "save as"),
        KeyBinding(
            [.char("O")], .open, help: "open another layout (JSON, ONNX model or builtin:NAME) in place of this one",
            group: "File"),
        KeyBinding(
            [.char("s")], .save, help: "save back to the open file (asks if it changed on disk)", group: "File",
            label: "save"),
        KeyBinding(
            [.char("L")], .messages, help: "message log: every status message, whole (newest last)", group: "General"),
        KeyBinding([.ctrl("l")], .redraw, help: "redraw the screen", group: "General"),
        KeyBinding([.char("?")], .help, help: "this help", group: "General", label: "help", pinned: true),
        KeyBinding([.escape], .cancel, help: "clear the message; cancel a timing", group: "General"),
        KeyBinding(
            [.char("q"), .ctrl("c")], .quit, help: "quit (asks when there are unsaved edits)", group: "General",
            label: "quit", pinned: true),
    ])

    /// Keys of the diagram pane (`v`), checked before `normal` while it shows: every other key (the
    /// edits +, w, f, x, K, a, d; r; e ...) does what it does in the tree, on the same selection.
    public static let diagram = KeyTable<DiagramAction>([
        KeyBinding([.up, .char("k")], .up, help: "the box above", group: "In the diagram (v)", label: "move"),
        KeyBinding([.down, .char("j")], .down, help: "the box below", group: "In the diagram (v)"),
        KeyBinding([.left, .char("h")], .left, help: "the box to the left", group: "In the diagram (v)"),
        KeyBinding([.right, .char("l")], .right, help: "the box to the right", group: "In the diagram (v)"),
        KeyBinding([.pageUp], .pageUp, help: "four boxes up", group: "In the diagram (v)"),
        KeyBinding([.pageDown], .pageDown, help: "four boxes down", group: "In the diagram (v)"),
        KeyBinding(
            [.char("z")], .zoom, help: "zoom: every layer, one box per branch, the network as a column of blocks",
            group: "In the diagram (v)", label: "zoom"),
        KeyBinding(
            [.char("i")], .figure, help: "figure on the boxes: params, MACs, shape, share of the block, time (after r)",
            group: "In the diagram (v)", label: "figure"),
        KeyBinding(
            [.enter], .open, help: "open the selected block's diagram (network column)", group: "In the diagram (v)"),
        KeyBinding(
            [.char("v")], .close, help: "back to the tree, same selection", group: "In the diagram (v)", label: "tree"),
    ])

    /// Keys of the scrolling overlays: help (`?`), compare (`=`) and roofline (`o`).
    public static let overlay = KeyTable<OverlayAction>([
        KeyBinding(
            [.up, .char("k")], .up, help: "scroll up", group: "In help, compare, roofline and the log", label: "scroll"),
        KeyBinding([.down, .char("j")], .down, help: "scroll down", group: "In help, compare, roofline and the log"),
        KeyBinding([.pageUp], .pageUp, help: "page up", group: "In help, compare, roofline and the log"),
        KeyBinding(
            [.pageDown, .char(" ")], .pageDown, help: "page down", group: "In help, compare, roofline and the log"),
        KeyBinding([.home, .char("g")], .top, help: "top", group: "In help, compare, roofline and the log"),
        KeyBinding([.end, .char("G")], .bottom, help: "bottom", group: "In help, compare, roofline and the log"),
        KeyBinding(
            [.char("q"), .escape], .close, help: "close", group: "In help, compare, roofline and the log",
            label: "close", pinned: true),
        KeyBinding(
            [.ctrl("c")], .quit, help: "quit the explorer (asks when there are unsaved edits)",
            group: "In help, compare, roofline and the log"),
    ])

    /// Keys of the problems view (`p`).
    public static let problems = KeyTable<OverlayAction>([
        KeyBinding([.up, .char("k")], .up, help: "previous problem", group: "In the problems view", label: "move"),
        KeyBinding([.down, .char("j")], .down, help: "next problem", group: "In the problems view"),
        KeyBinding([.pageUp], .pageUp, help: "page up", group: "In the problems view"),
        KeyBinding([.pageDown], .pageDown, help: "page down", group: "In the problems view"),
        KeyBinding([.home, .char("g")], .top, help: "first problem", group: "In the problems view"),
        KeyBinding([.end, .char("G")], .bottom, help: "last problem", group: "In the problems view"),
        KeyBinding([.enter], .open, help: "go to the problem's node", group: "In the problems view", label: "go to"),
        KeyBinding(
            [.char("q"), .escape], .close, help: "close", group: "In the problems view", label: "close", pinned: true),
        KeyBinding(
            [.ctrl("c")], .quit, help: "quit the explorer (asks when there are unsaved edits)",
            group: "In the problems view"),
    ])

    /// The `?` overlay: every table's keys, so it lists what each mode really does.
    public static func helpLines(ascii: Bool) -> [String] {
        normal.helpLines(ascii: ascii) + [""] + diagram.helpLines(ascii: ascii) + [""] + overlay.helpLines(ascii: ascii)
            + [""] + problems.helpLines(ascii: ascii)
            + [
                "", "In prompts", "  Enter apply  Esc cancel  ^U clear  ^W delete a word  Tab complete a path  ~ home",
                "  ^C leaves the prompt and quits as q does",
            ]
    }
}
