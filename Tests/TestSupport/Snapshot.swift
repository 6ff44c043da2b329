import Foundation
import TerminalUI
import XCTest

/// Whole-screen snapshot tests (torchinfo's golden files, ratatui's `assert_buffer_lines`): the
/// screen's text is compared with a file under `Snapshots/` beside the test file. Set
/// `RECORD_SNAPSHOTS=1` to (re)write the files instead of comparing; a mismatch fails with a
/// line diff (line number, expected, actual) so the change reads at a glance.
public func assertSnapshot(_ buffer: Buffer, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let directory = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = directory.appendingPathComponent(name + ".txt")
    let actual = buffer.lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do { try Data(actual.utf8).write(to: url) } catch { XCTFail("cannot record \(url.path): \(error)", file: file, line: line) }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("no snapshot \(url.path): run with RECORD_SNAPSHOTS=1 to record it", file: file, line: line)
        return
    }
    if let diff = lineDiff(expected: expected, actual: actual) {
        XCTFail("screen differs from \(name).txt (RECORD_SNAPSHOTS=1 re-records):\n\(diff)", file: file, line: line)
    }
}

/// The differing lines of two texts, "line N" then "- expected" / "+ actual"; nil when equal.
public func lineDiff(expected: String, actual: String) -> String? {
    guard expected != actual else { return nil }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    var differing = 0
    for i in 0..<max(e.count, a.count) {
        let x = i < e.count ? String(e[i]) : "<none>", y = i < a.count ? String(a[i]) : "<none>"
        guard x != y else { continue }
        differing += 1
        // The first few lines only: a whole-screen change would bury the first one (and XCTest
        // on Linux drops very long failure messages).
        if differing <= 8 { out += ["line \(i + 1)", "- \(x)", "+ \(y)"] }
    }
    if differing > 8 { out.append("… and \(differing - 8) more differing lines") }
    return out.joined(separator: "\n")
}
