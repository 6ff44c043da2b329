import Foundation
import InceptionCore
import TerminalUI

/// A forward pass running on its own thread. The UI thread polls it; the two share only this
/// lock-protected box, so the loop stays responsive and Esc can cancel between iterations.
final class BackgroundRun: @unchecked Sendable {
    enum Outcome {
        case finished(TimingResult)
        case failed(String)
        case cancelled
    }

    let path: String
    /// The layout being timed (the user may edit on while it runs).
    let layout: Layout
    /// The load average at the start, when the machine was busy.
    var busyLoad: Double?
    private let lock = NSLock()
    private var _progress = 0.0
    private var _cancelled = false
    private var _outcome: Outcome?

    init(path: String, layout: Layout) {
        self.path = path
        self.layout = layout
    }

    var progress: Double { lock.withLock { _progress } }
    var outcome: Outcome? { lock.withLock { _outcome } }
    var isCancelled: Bool { lock.withLock { _cancelled } }
    func cancel() { lock.withLock { _cancelled = true } }

    /// Starts `timer` on a new thread for `path` of `layout`.
    func start(_ timer: any ForwardTimer, options: TimingOptions) {
        let thread = Thread { [self] in
            let outcome: Outcome
            do {
                let result = try timer.time(
                    layout, path: path, options: options,
                    progress: { [weak self] p in self?.lock.withLock { self?._progress = p } },
                    isCancelled: { [weak self] in self?.isCancelled ?? true })
                outcome = .finished(result)
            } catch is TimingCancelled {
                outcome = .cancelled
            } catch {
                outcome = .failed("\(error)")
            }
            lock.withLock { _outcome = outcome }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

extension Explorer {
    func startTiming(network: Bool) {
        guard timer != nil else {
            state.message = .error("no engine in this build: forward passes are unavailable")
            return
        }
        guard run == nil else {
            state.message = StatusMessage("a forward pass is running (Esc cancels)", role: .warning)
            return
        }
        guard state.analysis.isValid else {
            state.message = .error("cannot run an invalid layout: \(state.analysis.errors[0].description)")
            return
        }
        let path = network ? "" : state.timingTarget
        state.timing = .running(path: path, progress: 0)
        effects.append(.startTiming(path: path, layout: state.layout))
    }

    /// Performs `.startTiming`: the pass runs on its own thread; `poll` takes its outcome.
    func launchTiming(path: String, layout: Layout) {
        guard let timer, run == nil else { return }
        let background = BackgroundRun(path: path, layout: layout)
        if let load = loadAverage(), LoadAverage.isBusy(load, threads: state.options.threads) {
            background.busyLoad = load
        }
        run = background
        // Per-layer times too, so `o` can draw the roofline of this run.
        background.start(timer, options: TimingOptions(threads: state.options.threads, perLayer: true))
    }

    /// Takes the background run's progress or outcome into the state.
    public func poll() {
        pollOpen()
        pollTiming()
    }

    func pollTiming() {
        guard let run else { return }
        switch run.outcome {
        case nil:
            state.timing = .running(path: run.path, progress: run.progress)
        case .finished(let result)?:
            state.timing = .idle
            let previous = state.timings[result.path]
            if let previous { state.previousTimings[result.path] = previous }
            // The layout as it was timed: edits made while it ran leave it stale, as they should.
            state.timings[result.path] = TimedRun(
                result: result, layout: run.layout,
                analysis: run.layout == state.layout ? state.analysis : nil, busyLoad: run.busyLoad)
            let versus = previous.map {
                " (vs previous run: " + Self.timeDelta(from: $0.result.medianMs, to: result.medianMs) + ")"
            }
            state.message = StatusMessage(
                "timed \(result.path.isEmpty ? "the network" : result.path): median "
                    + NumberFormat.milliseconds(result.medianMs) + (versus ?? "")
                    + (result.layers == nil ? "" : "; o: roofline")
                    + (seededAfterEdit(run.layout) ? "; edited layers ran on seeded weights" : ""), role: .ok)
            self.run = nil
        case .failed(let why)?:
            state.timing = .failed(why)
            state.message = .error("forward pass failed: \(why)")
            self.run = nil
        case .cancelled?:
            state.timing = .idle
            state.message = StatusMessage("forward pass cancelled", role: .warning)
            self.run = nil
        }
    }

    /// True when an imported model's own weights were not all usable for `layout`: it was edited
    /// since load, so the layers an edit changed ran on seeded (He-normal) weights, not the model's.
    func seededAfterEdit(_ layout: Layout) -> Bool {
        state.modelWeights != nil && layout != state.history.original
    }
}
