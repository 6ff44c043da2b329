import Foundation
import TestSupport
import XCTest

/// The command line itself: mistyped commands, --version, diff --exit-code, the --threads warning.
final class CommandLineCLITests: XCTestCase {
    func testMistypedCommandNamesTheClosestOne() throws {
        // Before: "sumary" reached `explore` as a file name and x.json was an "Unexpected argument".
        let r = try CLI.run(["sumary", "x.json"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.stderr, "Error: unknown command 'sumary'; did you mean summary? (see --help)\n")
        let far = try CLI.run(["frobnicate", "x.json"])
        XCTAssertEqual(far.status, 2, far.stderr)
        XCTAssertTrue(far.stderr.contains("unknown command 'frobnicate'; commands: explore, summary"), far.stderr)
    }

    func testAFileNamedLikeACommandTypoIsAFile() throws {
        // A layout file called "sumary" exists: it is a file, not a typo, and reaches `explore`
        // (which, with no terminal in a test, says so instead of "unknown command").
        let tmp = try TemporaryDirectory("ie-cli")
        defer { tmp.remove() }
        let dir = tmp.url
        let file = dir.appendingPathComponent("sumary")
        try FileManager.default.copyItem(atPath: CLI.layout("googlenet.json"), toPath: file.path)
        let r = try CLI.run([file.path])
        XCTAssertFalse(r.stderr.contains("unknown command"), r.stderr)
        let summary = try CLI.run(["summary", file.path])
        XCTAssertEqual(summary.status, 0, summary.stderr)
    }

    func testVersion() throws {
        let r = try CLI.run(["--version"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("inception-explorer 0."), r.stdout)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 1)
    }

    func testDiffExitCode() throws {
        let same = try CLI.run(["diff", "builtin:googlenet", CLI.layout("googlenet.json"), "--exit-code"])
        XCTAssertEqual(same.status, 0, same.stderr)
        let differ = try CLI.run(["diff", "builtin:googlenet", "builtin:inception-v3", "--exit-code"])
        XCTAssertEqual(differ.status, 1, differ.stderr)
        XCTAssertFalse(differ.stdout.isEmpty)
        // Without the flag a difference is the answer, not an error.
        let plain = try CLI.run(["diff", "builtin:googlenet", "builtin:inception-v3"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
    }

    func testThreadsAboveTheCoresWarn() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let r = try CLI.run(["validate", "builtin:googlenet"])
        XCTAssertEqual(r.stderr, "")
        let over = try CLI.run([
            "bench", "builtin:googlenet", "--block", "inception_3a", "--iterations", "1", "--min-time", "0", "--warmup",
            "0", "--no-peak",
            "--threads", String(cores + 1),
        ])
        XCTAssertEqual(over.status, 0, over.stderr)
        XCTAssertTrue(
            over.stderr.contains("warning: --threads \(cores + 1) exceeds this machine's \(cores) cores"), over.stderr)
    }
}

/// One spelling for JSON output on every command that prints a report.
final class FormatOptionCLITests: XCTestCase {
    func testLintTakesFormatJSONAndKeepsTheJSONAlias() throws {
        let format = try CLI.run(["lint", "builtin:googlenet", "--format", "json"])
        XCTAssertEqual(format.status, 0, format.stderr)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(format.stdout.utf8)))
        let alias = try CLI.run(["lint", "builtin:googlenet", "--json"])
        XCTAssertEqual(alias.stdout, format.stdout)
        let table = try CLI.run(["lint", "builtin:googlenet"])
        XCTAssertNotEqual(table.stdout, format.stdout)
    }
}
