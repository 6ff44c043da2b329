import Foundation
import XCTest

final class DesignCLITests: XCTestCase {
    func testDiffTableAndJSON() throws {
        let r = try CLI.run(["diff", CLI.layout("googlenet.json"), "builtin:inception-v3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Changed (2):"), r.stdout)
        XCTAssertTrue(r.stdout.contains("params            6,998,552 -> 23,834,568 (+16,836,016, +240.6%)"), r.stdout)
        let j = try CLI.run(["diff", "builtin:googlenet", "builtin:googlenet", "--format", "json"])
        XCTAssertEqual(j.status, 0, j.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["changed"] as? [Any])?.count, 0)
        let missing = try CLI.run(["diff", "builtin:googlenet", "/nonexistent/b.json"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "/nonexistent/b.json: no such file\n")
    }

    func testLintExitCodes() throws {
        let r = try CLI.run(["lint", "builtin:googlenet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("GoogLeNet: 9 lints (9 large-kernel)\n"), r.stdout)
        let strict = try CLI.run(["lint", "builtin:inception-v3", "--strict"])
        XCTAssertEqual(strict.status, 1)
        XCTAssertEqual(strict.stderr, "builtin:inception-v3: 4 lints (--strict)\n")
        let clean = try CLI.run(["lint", CLI.layout("examples/v3-figure5-5x5-as-two-3x3.json"), "--strict"])
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stdout.hasSuffix(": no lints\n"), clean.stdout)
        let json = try CLI.run([
            "lint", CLI.layout("examples/v1-naive-module.json"), "--json", "--only", "missing-reduction",
        ])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["count"] as? Int, 2)
    }

    func testLintOptionErrorsAreUsageErrors() throws {
        let grid = try CLI.run(["lint", "builtin:googlenet", "--grid-min", "30"])
        XCTAssertEqual(grid.status, 2)
        XCTAssertTrue(grid.stderr.contains("grid range must satisfy 1 <= min <= max, got 30...20"), grid.stderr)
        let only = try CLI.run(["lint", "builtin:googlenet", "--only", "bottlneck"])
        XCTAssertEqual(only.status, 2)
        XCTAssertTrue(only.stderr.contains("unknown lint \"bottlneck\""), only.stderr)
    }

    func testSummaryChartInTableAndMarkdown() throws {
        let r = try CLI.run(["summary", "builtin:googlenet", "--depth", "1", "--chart", "--ascii"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\nParams by top-level layer (total 6,998,552)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Channels through depth (log scale):"))
        XCTAssertTrue(r.stdout.utf8.allSatisfy { $0 < 0x80 }, "--ascii output is ASCII")
        let md = try CLI.run(["summary", "builtin:googlenet", "--format", "markdown", "--chart"])
        XCTAssertEqual(md.status, 0, md.stderr)
        XCTAssertTrue(md.stdout.contains("```text\nParams by top-level layer"), md.stdout)
        XCTAssertTrue(md.stdout.contains("█"))
        let csv = try CLI.run(["summary", "builtin:googlenet", "--format", "csv", "--chart"])
        XCTAssertEqual(csv.status, 2)
    }
}
