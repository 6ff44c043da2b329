import InceptionCore
import InceptionRuntime
import TerminalUI

/// Where the layout came from and where `s` writes it back.
public struct DocumentOrigin: Equatable, Sendable {
    /// The file it was loaded from; nil for a built-in layout (then `s` asks for a path like `e`).
    public var path: String?
    /// What `e` proposes: the loaded file, or `<builtin>.json` in the current directory.
    public var exportDefault: String
    /// Shown in the title bar.
    public var displayName: String

    public init(path: String?, exportDefault: String, displayName: String) {
        self.path = path
        self.exportDefault = exportDefault
        self.displayName = displayName
    }

    public init(_ source: LayoutSource) {
        switch source.origin {
        case .file(let p): self.init(path: p, exportDefault: p, displayName: p)
        case .builtIn(let b): self.init(path: nil, exportDefault: b.fileName, displayName: "builtin:\(b.rawValue)")
        case .imported(let p):
            // Never `s` over the model file: save asks for a path, proposing MODEL.json beside it.
            let stem = p.hasSuffix(".onnx") ? String(p.dropLast(5)) : p
            self.init(path: nil, exportDefault: stem + ".json", displayName: p)
        }
    }
}

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
}

/// What a y/n question on the status line is about.
public enum ConfirmPurpose: Equatable, Sendable {
    case quitWithoutSaving
    case overwrite(path: String)
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
}

/// The Forward pass panel's state.
public enum TimingState: Equatable, Sendable {
    case idle
    /// A run in the background: which node, and how far (0...1).
    case running(path: String, progress: Double)
    case failed(String)
}

/// A finished timing and the layout it measured: it is stale once the current layout differs.
public struct TimedRun: Equatable, Sendable {
    public var result: TimingResult
    public var layout: InceptionCore.Layout
}

/// Everything the explorer shows, as one value. Screens are a function of it; actions change it.
public struct ExplorerState: Sendable {
    public internal(set) var history: EditHistory
    /// The analysis of `history.current`, kept in step by `refresh()` after every change.
    public internal(set) var analysis: Analysis
    /// The analysis of the layout as loaded, for "against the loaded layout" deltas.
    public let originalAnalysis: Analysis
    public var origin: DocumentOrigin
    public var tree = TreeModel()
    public var selection: NodeAddress = .root
    public var treeScroll = 0
    public var mode: Mode = .normal
    public var message: StatusMessage?
    public var timing: TimingState = .idle
    /// Timings by node path ("" for the network), so moving between blocks shows each one's last run.
    public var timings: [String: TimedRun] = [:]
    /// The run before the last one, by node path: "vs previous run" after a re-run, and the time an
    /// edit (or its undo) changed when both layouts were timed.
    public var previousTimings: [String: TimedRun] = [:]
    public var lastSearch: String?
    /// Design lints of the current layout (recomputed with the analysis).
    public internal(set) var lints: [Lint] = []
    public var options: ExplorerOptions
    /// An imported model's own weights (nil otherwise): what `e` writes into a .onnx, seeding only
    /// the layers an edit no longer fits.
    public var modelWeights: ModelWeights?

    public init(layout: InceptionCore.Layout, origin: DocumentOrigin, options: ExplorerOptions = ExplorerOptions()) {
        history = EditHistory(layout)
        analysis = Analysis(layout)
        originalAnalysis = analysis
        lints = analysis.isValid ? layout.lints() : []
        self.origin = origin
        self.options = options
        // Open with the top-level layers visible and the first block expanded, so the first
        // screen already shows what an inception block is.
        if let firstBlock = layout.layers.firstIndex(where: { $0.op.kind == .inception }) {
            tree.expanded.insert(NodeAddress([firstBlock]))
        }
    }

    public var layout: InceptionCore.Layout { history.current }

    /// Re-analyses after the layout changed and keeps the selection on an existing node.
    mutating func refresh() {
        analysis = Analysis(layout)
        lints = analysis.isValid ? layout.lints() : []
        while layout.node(at: selection) == nil, let parent = selection.parent { selection = parent }
        if layout.node(at: selection) == nil { selection = .root }
    }

    public var visibleRows: [VisibleNode] { tree.rows(of: layout) }

    public var selectedIndex: Int { visibleRows.firstIndex { $0.address == selection } ?? 0 }

    /// The node path of the selection ("" for the network row).
    public var selectedPath: String { layout.path(of: selection) ?? "" }

    /// The top-level layer or block that holds the selection (what `r` times); nil on the network row.
    public var selectedTopLevel: NodeAddress? { selection.steps.first.map { NodeAddress([$0]) } }
}

/// Presentation options from the command line and environment.
public struct ExplorerOptions: Equatable, Sendable {
    public var ascii: Bool
    public var color: Bool
    public var mouse: Bool
    /// Engine threads for `r` / `R` (0: all cores).
    public var threads: Int

    public init(ascii: Bool = false, color: Bool = true, mouse: Bool = true, threads: Int = 0) {
        self.ascii = ascii
        self.color = color
        self.mouse = mouse
        self.threads = threads
    }

    /// The smallest screen the explorer draws on; below it shows a "too small" notice.
    public static let minimumSize = Size(width: 80, height: 24)
}
