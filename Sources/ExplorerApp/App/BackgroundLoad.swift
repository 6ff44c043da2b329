import Foundation
import InceptionCore
import TerminalUI

/// `O`'s read of a file, on its own thread, so the loop keeps drawing and answering keys whatever
/// the file costs (issue 19: a wide ONNX Concat froze the explorer for 30 s, deaf to Esc and
/// Ctrl-C). The loop polls it as it polls a forward pass (`BackgroundRun`); Esc drops it. The read
/// itself cannot be interrupted: a dropped one finishes unseen and its result is thrown away.
final class BackgroundLoad: @unchecked Sendable {
    enum Outcome {
        case loaded(DocumentIO.Loaded)
        case failed(String)
    }

    let path: String
    private let lock = NSLock()
    private var _outcome: Outcome?

    init(path: String) { self.path = path }

    var outcome: Outcome? { lock.withLock { _outcome } }

    func start(_ load: @escaping @Sendable (String) throws -> DocumentIO.Loaded) {
        let thread = Thread { [self] in
            let outcome: Outcome
            do { outcome = .loaded(try load(path)) } catch { outcome = .failed("\(error)") }
            lock.withLock { _outcome = outcome }
        }
        thread.stackSize = 8 << 20  // the importer and the JSON parser recurse
        thread.start()
    }
}

extension Explorer {
    /// The status line while a file loads.
    func openingMessage(_ path: String) -> StatusMessage {
        StatusMessage("opening \(PathText.shown(path, max: 60))… (Esc cancels)", role: .warning)
    }

    /// Keys while a file loads: Esc drops the load, q and Ctrl-C quit as ever (asking first when
    /// there are unsaved edits); anything else waits, so no edit is lost to the document the
    /// load replaces.
    func reduceWhileLoading(_ key: Key, _ loading: BackgroundLoad) {
        if case .confirm(let purpose) = state.mode { return reduceConfirm(key, purpose) }
        switch key {
        case .escape:
            self.loading = nil
            state.message = StatusMessage("not opened: cancelled", role: .dim)
        case .ctrl("c"), .char("q"):
            shouldQuitOrAsk()
        default:
            state.message = openingMessage(loading.path)
        }
    }

    /// Takes a finished load into the state (`applyOpened`); nothing while it runs.
    func pollOpen() {
        guard let loading, let outcome = loading.outcome else { return }
        self.loading = nil
        switch outcome {
        case .loaded(let loaded): applyOpened(loaded)
        case .failed(let why): state.message = .error("not opened: \(why)")
        }
    }

    /// Waits for a load to end (tests and `handle`).
    public func waitForOpen(timeoutSeconds: Double = 60) {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while loading != nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.002)
            pollOpen()
        }
    }
}
