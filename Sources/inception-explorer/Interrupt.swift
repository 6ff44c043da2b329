import Foundation
import Synchronization

/// Ctrl-C for long-running commands: the handler only sets a flag, which the timing loop polls
/// between iterations (`isCancelled`), so an interrupted bench stops cleanly and reports.
enum Interrupt {
    static let flag = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT) { _ in Interrupt.flag.store(true, ordering: .relaxed) }
    }

    static var isSet: Bool { flag.load(ordering: .relaxed) }

    /// The conventional exit status of a process stopped by SIGINT (128 + 2).
    static let exitStatus: Int32 = 130
}

/// A one-line progress indicator on stderr, redrawn at most ten times a second, shown only when
/// stderr is a terminal (so logs and pipes stay clean).
final class ProgressLine: @unchecked Sendable {
    let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDraw: UInt64 = 0
    private var label = ""

    func start(_ label: String) {
        lock.withLock { self.label = label; lastDraw = 0 }
        update(0)
    }

    func update(_ fraction: Double) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let text: String? = lock.withLock {
            guard now - lastDraw > 100_000_000 || fraction >= 1 else { return nil }
            lastDraw = now
            let width = 24
            let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
            return "\r\u{1B}[K" + label + " [" + String(repeating: "#", count: filled)
                + String(repeating: ".", count: width - filled) + "] " + String(Int(fraction * 100)) + "%"
        }
        if let text { FileHandle.standardError.write(Data(text.utf8)) }
    }

    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
