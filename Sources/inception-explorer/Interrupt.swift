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
