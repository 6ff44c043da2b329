/// Before/after figures of an edit: for the node it touched and for the whole network, against
/// the previous state and against the layout as loaded (the `=` compare key).
public struct Change: Equatable, Sendable {
    public var before: Int
    public var after: Int

    public init(before: Int, after: Int) {
        self.before = before
        self.after = after
    }

    /// after − before (wrapping only past ±9.2e18, which no analysis produces: its totals are checked).
    public var difference: Int { after &- before }
    /// The relative change in percent; nil from zero.
    public var percent: Double? { before == 0 ? nil : (Double(after) - Double(before)) / Double(before) * 100 }
    /// "12,800 → 13,824 (+1,024, +8.0%)".
    public var text: String { text(arrow: "→") }

    /// The same with another arrow ("->" for ASCII reports).
    public func text(arrow: String) -> String {
        let d = difference
        let sign = d > 0 ? "+" : ""
        return
            "\(NumberFormat.grouped(before)) \(arrow) \(NumberFormat.grouped(after)) (\(sign)\(NumberFormat.grouped(d)), "
            + "\(NumberFormat.percentChange(from: before, to: after)))"
    }
}

/// Params, MACs and activation bytes, before and after.
public struct Delta: Equatable, Sendable {
    public var params: Change
    public var macs: Change
    public var activationBytes: Change

    public init(params: Change, macs: Change, activationBytes: Change) {
        self.params = params
        self.macs = macs
        self.activationBytes = activationBytes
    }

    /// The whole inference path (aux heads excluded, as in every total).
    public init(network before: Analysis, _ after: Analysis) {
        self.init(before: before.totals, after: after.totals)
    }

    public init(before: Totals, after: Totals) {
        params = Change(before: before.params, after: after.params)
        macs = Change(before: before.macs, after: after.macs)
        activationBytes = Change(before: before.activationBytes, after: after.activationBytes)
    }

    /// The node at `path` in both analyses; a node missing on one side counts as zero there
    /// (a deleted branch goes to 0, an added one comes from 0). Nil when it is in neither.
    public init?(node path: String, _ before: Analysis, _ after: Analysis) {
        let b = before.stats(path: path), a = after.stats(path: path)
        guard b != nil || a != nil else { return nil }
        self.init(before: Totals(b), after: Totals(a))
    }

    public var isZero: Bool { params.difference == 0 && macs.difference == 0 && activationBytes.difference == 0 }

    /// Three lines: "params 12,800 → 13,824 (+1,024, +8.0%)", then MACs and activation bytes.
    public var lines: [String] {
        ["params \(params.text)", "MACs \(macs.text)", "activation bytes \(activationBytes.text)"]
    }
}

/// The figures the `=` key shows after an edit: the touched node and the network, against the
/// state just before the edit and against the layout as loaded.
public struct EditComparison: Sendable {
    public var path: String?
    public var nodeVsPrevious: Delta?
    public var nodeVsLoaded: Delta?
    public var networkVsPrevious: Delta
    public var networkVsLoaded: Delta

    /// - Parameter path: the node to compare (e.g. the explorer's selection), or nil for the network only.
    public init(path: String?, loaded: Layout, previous: Layout, current: Layout) {
        let l = Analysis(loaded), p = Analysis(previous), c = Analysis(current)
        self.path = path
        nodeVsPrevious = path.flatMap { Delta(node: $0, p, c) }
        nodeVsLoaded = path.flatMap { Delta(node: $0, l, c) }
        networkVsPrevious = Delta(network: p, c)
        networkVsLoaded = Delta(network: l, c)
    }

    /// Against the history: its original and the state before the current one.
    public init(path: String?, history: EditHistory) {
        let previous = history.index > 0 ? history.states[history.index - 1] : history.current
        self.init(path: path, loaded: history.original, previous: previous, current: history.current)
    }
}
