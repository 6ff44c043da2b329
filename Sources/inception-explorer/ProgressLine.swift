import Foundation
import InceptionCore

/// A one-line progress indicator on stderr, redrawn at most ten times a second, shown only when
/// stderr is a terminal (so logs and pipes stay clean).
final class ProgressLine: @unchecked Sendable {
    let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDraw: UInt64 = 0
    private var label = ""

    func start(_ label: String) {
        lock.withLock {
            self.label = label; lastDraw = 0
        }
        update(0)
    }

    func update(_ fraction: Double) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let text: String? = lock.withLock {
            guard now - lastDraw > 100_000_000 || fraction >= 1 else { return nil }
            lastDraw = now
            let width = 24
            let filled = Checked.clampedInt((fraction * Double(width)).rounded(), 0...width)
            return "\r\u{1B}[K" + label + " [" + String(repeating: "#", count: filled)
                + String(repeating: ".", count: width - filled) + "] "
                + String(Checked.clampedInt(fraction * 100, 0...100)) + "%"
        }
        if let text { FileHandle.standardError.write(Data(text.utf8)) }
    }

    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
