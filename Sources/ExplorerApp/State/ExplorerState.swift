import InceptionCore
import InceptionWeights
import TerminalUI

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
            if messageLog.count > Self.messageLogLimit {
                messageLog.removeFirst(messageLog.count - Self.messageLogLimit)
            }
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
        problems =
            analysis.errors.map { e in
                Problem(
                    severity: .error, address: layout.address(ofPath: e.location), path: e.location, text: e.message)
            }
            + lints.map { l in
                Problem(
                    severity: .lint, address: l.address, path: l.path,
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
