import InceptionCore

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

    public init(result: TimingResult, layout: InceptionCore.Layout, analysis: Analysis? = nil, busyLoad: Double? = nil)
    {
        self.result = result
        self.layout = layout
        self.analysis = analysis ?? Analysis(layout)
        self.busyLoad = busyLoad
    }

    public static func == (a: TimedRun, b: TimedRun) -> Bool { a.result == b.result && a.layout == b.layout }
}
