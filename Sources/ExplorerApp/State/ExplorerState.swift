import InceptionCore
import InceptionWeights
import TerminalUI

/// Where the layout came from and where `s` writes it back.
public struct DocumentOrigin: Equatable, Sendable {
    /// The file it was loaded from; nil for a built-in layout (then `s` asks for a path like `e`).
    public var path: String?
    /// What `e` proposes: the loaded file, or `<builtin>.json` in the current directory.
    public var exportDefault: String
    /// Shown in the title bar.
    public var displayName: String
    /// The ONNX model an imported document came from: it and its external data files are never
    /// written over (`Explorer.checkTarget`).
    public var importedModel: String?

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
            self.init(path: nil, exportDefault: Explorer.jsonSibling(p), displayName: p)
            importedModel = p
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

/// One entry of the problems view and of `]` / `[`: an analysis error or a design lint.
public struct Problem: Equatable, Sendable {
    public enum Severity: Equatable, Sendable { case error, lint }
    public var severity: Severity
    /// The node it is about (nil when the path names no node, e.g. the network's input).
    public var address: NodeAddress?
    public var path: String
    /// The whole text: the error's reason, or the lint's id, measurement and suggestion.
    public var text: String
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
    /// The analysis of `layout`, made once when the run finished ("MACs since" reads it per frame).
    public var analysis: Analysis

    /// The 1-minute load average when the run started, when it was high enough to matter (see
    /// `LoadAverage.isBusy`); nil on a quiet machine.
    public var busyLoad: Double?

    public init(result: TimingResult, layout: InceptionCore.Layout, analysis: Analysis? = nil, busyLoad: Double? = nil) {
        self.result = result
        self.layout = layout
        self.analysis = analysis ?? Analysis(layout)
        self.busyLoad = busyLoad
    }

    public static func == (a: TimedRun, b: TimedRun) -> Bool { a.result == b.result && a.layout == b.layout }
}

/// Everything the explorer shows, as one value. Screens are a function of it; actions change it.
public struct ExplorerState: Sendable {
    public internal(set) var history: EditHistory
    /// The analysis of `history.current`, kept in step by `refresh()` after every change.
    public internal(set) var analysis: Analysis
    /// The analysis of the layout as loaded, for "against the loaded layout" deltas.
    public let originalAnalysis: Analysis
    public var origin: DocumentOrigin
    /// The open file as it was on disk when loaded or last written (`s` asks when it differs).
    var diskStamp: FileStamp?
    public var tree = TreeModel()
    public var selection: NodeAddress = .root
    public var treeScroll = 0
    public var mode: Mode = .normal
    /// The status line's message. Every new one is also kept in `messageLog` (`L` shows it), so
    /// a message cut at the screen's width, or replaced by the next key, can still be read whole.
    public var message: StatusMessage? {
        didSet {
            guard let message, !message.text.isEmpty, message != oldValue else { return }
            messageLog.append(message)
            if messageLog.count > Self.messageLogLimit { messageLog.removeFirst(messageLog.count - Self.messageLogLimit) }
        }
    }
    /// The session's messages, oldest first, at most `messageLogLimit` (lazygit's command log).
    public internal(set) var messageLog: [StatusMessage] = []
    static let messageLogLimit = 200
    public var timing: TimingState = .idle
    /// Timings by node path ("" for the network), so moving between blocks shows each one's last run.
    public var timings: [String: TimedRun] = [:]
    /// The run before the last one, by node path: "vs previous run" after a re-run, and the time an
    /// edit (or its undo) changed when both layouts were timed.
    public var previousTimings: [String: TimedRun] = [:]
    public var lastSearch: String?
    /// Tab's candidates in a path prompt, shown beside it until the next key.
    public var completions: [String] = []
    /// Where an incremental search began (while `/` is open).
    var searchStart: NodeAddress?
    /// Design lints of the current layout (recomputed with the analysis, from that analysis).
    public internal(set) var lints: [Lint] = []
    /// Runs of repeated top-level blocks and their kinds (recomputed with the analysis): the tree's
    /// kind column and "×N".
    public internal(set) var runs = BlockRuns.empty
    /// Errors then lints, in network order: the problems view and `]` / `[`.
    public internal(set) var problems: [Problem] = []
    /// The network against the layout just before the current one in the history, and against
    /// the layout as loaded; nil before the first edit. Made once per edit, not per frame.
    public internal(set) var vsPrevious: Delta?
    public internal(set) var vsLoaded: Delta?
    /// The last search's matches (node addresses in pre-order), for "3 of 11" and the highlight.
    public internal(set) var searchMatches: [NodeAddress] = []
    /// How children are ordered in the tree (display only; the layout keeps its order).
    public var sort: TreeSort = .layout
    /// The left pane: the tree, or the diagram of the selection's block (`v`), and how it is drawn.
    public var pane: LeftPane = .tree
    public var diagram = DiagramSettings()
    public var options: ExplorerOptions
    /// An imported model's own weights (nil otherwise): what `e` writes into a .onnx, seeding only
    /// the layers an edit no longer fits.
    public var modelWeights: ModelWeights?

    public init(layout: InceptionCore.Layout, origin: DocumentOrigin, options: ExplorerOptions = ExplorerOptions()) {
        history = EditHistory(layout)
        analysis = Analysis(layout)
        originalAnalysis = analysis
        self.origin = origin
        self.options = options
        diskStamp = origin.path.flatMap { FileStamp.of($0) }
        refreshDerived()
        // Open with the top-level layers visible and the first block expanded, so the first
        // screen already shows what an inception block is.
        if let firstBlock = layout.layers.firstIndex(where: { $0.op.kind == .inception }) {
            tree.expanded.insert(NodeAddress([firstBlock]))
        }
    }

    public var layout: InceptionCore.Layout { history.current }

    /// Re-analyses after the layout changed and keeps the selection on an existing node.
    /// - Parameter previous: the analysis of the layout just before the current one in the history,
    ///   when the caller has it (an edit: the state's analysis before it), so it is not made again.
    mutating func refresh(previous: Analysis? = nil) {
        analysis = Analysis(layout)
        refreshDerived(previous: previous)
        while layout.node(at: selection) == nil, let parent = selection.parent { selection = parent }
        if layout.node(at: selection) == nil { selection = .root }
    }

    /// Everything made from `analysis` that the screen reads: lints, problems, deltas, matches.
    private mutating func refreshDerived(previous known: Analysis? = nil) {
        runs = BlockRuns(layout, analysis: analysis)
        lints = analysis.isValid ? Linter(layout, analysis: analysis).run() : []
        problems = analysis.errors.map { e in
            Problem(severity: .error, address: layout.address(ofPath: e.location), path: e.location, text: e.message)
        } + lints.map { l in
            Problem(severity: .lint, address: l.address, path: l.path,
                    text: "\(l.id.rawValue): \(l.measured). Suggested: \(l.suggestion)")
        }
        if history.index > 0 || history.canRedo {
            let previous = history.index > 0 ? known ?? Analysis(history.states[history.index - 1]) : analysis
            vsPrevious = Delta(network: previous, analysis)
            vsLoaded = Delta(network: originalAnalysis, analysis)
        } else {
            vsPrevious = nil
            vsLoaded = nil
        }
        if let query = lastSearch { searchMatches = Self.matches(of: query, in: layout) }
    }

    /// Nodes whose name contains `query` (or whose path does, when it has a "/"), case-insensitively.
    static func matches(of query: String, in layout: InceptionCore.Layout) -> [NodeAddress] {
        let q = query.lowercased()
        guard !q.isEmpty else { return [] }
        return layout.allNodes().filter { searchText(of: $0, query: q).contains(q) }.map(\.address)
    }

    /// What a query is matched against, lower-cased: the node's path when the query has a "/", else
    /// its name (or its index, unnamed). One rule for the matches and for the exact-match preference.
    static func searchText(of n: (address: NodeAddress, path: String, node: Node), query: String) -> String {
        (query.contains("/") ? n.path : (n.node.name ?? String(n.address.steps.last ?? 0))).lowercased()
    }

    public var visibleRows: [VisibleNode] { tree.rows(of: layout, analysis: analysis, sort: sort) }

    public var selectedIndex: Int { selectedIndex(in: visibleRows) }

    /// The selection's row in `rows` (the visible rows, computed once by the caller).
    public func selectedIndex(in rows: [VisibleNode]) -> Int { rows.firstIndex { $0.address == selection } ?? 0 }

    /// The node path of the selection ("" for the network row).
    public var selectedPath: String { layout.path(of: selection) ?? "" }

    /// The top-level layer or block that holds the selection (what `r` times); nil on the network row.
    public var selectedTopLevel: NodeAddress? { selection.steps.first.map { NodeAddress([$0]) } }
}

/// Presentation options from the command line and environment.
public struct ExplorerOptions: Equatable, Sendable {
    public var ascii: Bool
    public var mouse: Bool
    /// Engine threads for `r` / `R` (0: all cores).
    public var threads: Int

    public init(ascii: Bool = false, mouse: Bool = true, threads: Int = 0) {
        self.ascii = ascii
        self.mouse = mouse
        self.threads = threads
    }

    /// The smallest screen the explorer draws on; below it shows a "too small" notice.
    public static let minimumSize = Size(width: 80, height: 24)
}
