import Foundation
import TestSupport
import XCTest

final class SummaryCLITests: XCTestCase {
    func testSummaryJSONOfShippedGoogLeNet() throws {
        let r = try CLI.run(["summary", CLI.layout("googlenet.json"), "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let totals = try XCTUnwrap(object["totals"] as? [String: Int])
        // The paper's Table 1 structure: 6,998,552 params, 1,582,671,872 MACs.
        XCTAssertEqual(totals["params"], 6_998_552)
        XCTAssertEqual(totals["macs"], 1_582_671_872)
    }

    func testValidateValidAndInvalid() throws {
        let ok = try CLI.run(["validate", CLI.layout("inception-v3.json")])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout.split(separator: "\n").count, 1)
        XCTAssertTrue(ok.stdout.contains("23,834,568 params"), ok.stdout)

        let tmp = try TemporaryDirectory("ie-cli")
        defer { tmp.remove() }
        let dir = tmp.url
        let bad = dir.appendingPathComponent("bad.json")
        try Data("{\n  \"format\": \"inception-layout/1\",\n  \"name\": \"x\",,\n}".utf8).write(to: bad)
        let r = try CLI.run(["validate", bad.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix(bad.path + ":3:"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1)
    }

    func testMissingFileAndUsageErrors() throws {
        let missing = try CLI.run(["summary", "/nonexistent/x.json"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "/nonexistent/x.json: no such file\n")
        let usage = try CLI.run(["summary", "builtin:googlenet", "--batch", "0"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
        let unknown = try CLI.run(["summary", "builtin:googlenet", "--frobnicate"])
        XCTAssertEqual(unknown.status, 2)
    }

    func testBuiltInLayoutsNeedNoFile() throws {
        let r = try CLI.run(["summary", "builtin:inception-v3", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\nMixed_7b/branch3x3/1/1x3/0,"), "nested figure-7 path")
        let bad = try CLI.run(["summary", "builtin:resnet"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("no such built-in layout"))
    }
}
