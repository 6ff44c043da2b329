import Foundation
import TestSupport
import XCTest

/// `bench --profile`: every op of the pass, timed op by op, on the built binary. Times vary, so the
/// tests check the structure (which ops, which kinds, how many) that GoogLeNet's inception_3a fixes.
final class ProfileCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-profile")
    }
    override func tearDown() { tmp?.remove() }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = dir.path
        return e
    }

    /// inception_3a is six ops: five convs (1x1; 3x3 reduce, 3x3; 5x5 reduce, 5x5) and the pool
    /// branch's 3x3 max pool computed inside its 1x1 pool proj (one op, "maxpool+conv"). All fit
    /// under the 25 rows, so every op has a row.
    func testProfileListsEveryOpAndTheKinds() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--profile", "--threads", "1",
                "--iterations", "2", "--min-time", "0", "--no-peak", "--algo", "direct",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(
            r.stdout.contains("Where a pass of inception_3a goes: 6 ops run one by one, median of 2 passes each"),
            r.stdout)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for op in ["1x1/0", "3x3/0", "3x3/1", "5x5/0", "5x5/1"] {
            XCTAssertTrue(
                lines.contains { $0.hasPrefix("  inception_3a/\(op) ") && $0.contains(" conv direct") },
                op + "\n" + r.stdout)
        }
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("  inception_3a/pool_proj/1 ") && $0.contains("maxpool+conv direct") },
            r.stdout)
        XCTAssertFalse(r.stdout.contains("pool_proj/0"), r.stdout)
        let byKind = try XCTUnwrap(lines.first { $0.hasPrefix("by kind: ") })
        XCTAssertTrue(
            byKind.contains("conv direct") && byKind.contains("(5, ") && byKind.contains("maxpool+conv direct"), byKind)
        XCTAssertTrue(r.stdout.contains("sum of the ops: "), r.stdout)
    }

    /// The JSON line carries every op in plan order with its kind; convs name their algorithm.
    func testProfileJSON() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--profile", "--json", "--threads", "1",
                "--iterations", "2", "--min-time", "0", "--no-peak", "--algo", "direct",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let ops = try XCTUnwrap(object["ops"] as? [[String: Any]])
        XCTAssertEqual(ops.count, 6)
        XCTAssertEqual(ops.filter { $0["kind"] as? String == "conv" }.count, 5)
        XCTAssertEqual(
            ops.filter { $0["kind"] as? String == "maxpool+conv" }.map { $0["path"] as? String },
            ["inception_3a/pool_proj/1"])
        XCTAssertTrue(ops.allSatisfy { ($0["median_ms"] as? Double ?? -1) >= 0 })
        XCTAssertTrue(ops.allSatisfy { $0["algorithm"] as? String == "direct" })
        XCTAssertNotNil(object["op_by_op_median_ms"] as? Double)
        // Without --profile there is no per-op list.
        let plain = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a/1x1", "--json", "--threads", "1",
                "--iterations", "1", "--min-time", "0", "--no-peak",
            ], environment: env)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertFalse(plain.stdout.contains("\"ops\""), plain.stdout)
    }

    /// Issue 24 item 17: `bench --format json` is the spelling every report command shares, and
    /// prints the same JSON line as its alias `--json`.
    func testBenchFormatJSONIsTheJSONAlias() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a/1x1", "--format", "json", "--threads", "1",
                "--iterations", "1", "--min-time", "0", "--no-peak",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(object["path"] as? String, "inception_3a/1x1")
        let bad = try CLI.run(["bench", "builtin:googlenet", "--format", "yaml", "--no-peak"], environment: env)
        XCTAssertEqual(bad.status, 2, bad.stderr)  // usage
        XCTAssertTrue(bad.stderr.contains("'table' and 'json'"), bad.stderr)
    }
}
