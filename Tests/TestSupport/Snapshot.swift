import Foundation
import TerminalUI
import XCTest

/// Whole-screen snapshot tests (ratatui's `assert_buffer_lines`): the screen's text is a golden
/// file `Snapshots/<name>.txt` beside the test file (see `assertGolden`; `RECORD_SNAPSHOTS=1`
/// re-records).
public func assertSnapshot(_ buffer: Buffer, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    assertGolden(
        buffer.lines.joined(separator: "\n") + "\n", named: name + ".txt", in: "Snapshots", file: file, line: line)
}

/// Golden files (torchinfo keeps its whole-model summaries this way): `text` is compared with the
/// file `name` in `directory` beside the test file. Set `RECORD_SNAPSHOTS=1` to (re)write the files
/// instead of comparing (one variable for every golden file: screens, summaries, lints, diffs); a
/// mismatch fails with a line diff (line number, expected, actual) so the change reads at a glance.
public func assertGolden(
    _ text: String, named name: String, in directory: String = "Golden",
    file: StaticString = #filePath, line: UInt = #line
) {
    let folder = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent(directory)
    let url = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do { try Data(text.utf8).write(to: url) } catch {
            XCTFail("cannot record \(url.path): \(error)", file: file, line: line)
        }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("no golden file \(url.path): run with RECORD_SNAPSHOTS=1 to record it", file: file, line: line)
        return
    }
    if let diff = lineDiff(expected: expected, actual: text) {
        XCTFail("differs from \(directory)/\(name) (RECORD_SNAPSHOTS=1 re-records):\n\(diff)", file: file, line: line)
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
