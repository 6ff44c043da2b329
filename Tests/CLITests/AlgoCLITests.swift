import Foundation
import TestSupport
import XCTest

/// `--algo` on bench and run, the algorithm fields of bench's table and JSON, and the debug-build
/// flag (the test binary is built in the same configuration as this test).
final class AlgoCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-algo")
    }
    override func tearDown() { tmp?.remove() }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = dir.appendingPathComponent("cache").path
        return e
    }

    #if DEBUG
    let debugBuild = true
    #else
    let debugBuild = false
    #endif

    func testBenchNamesEachConvsAlgorithm() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--iterations", "1", "--min-time", "0",
                "--json", "--no-peak", "--algo", "winograd",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let algorithms = try XCTUnwrap(json["algorithms"] as? [[String: Any]])
        // inception_3a has six convs; the 3x3 and 5x5 branches' second convs (stride 1) have Winograd forms.
        XCTAssertEqual(algorithms.count, 6)
        let winograd = algorithms.filter { ($0["algorithm"] as? String)?.hasPrefix("winograd F(") ?? false }
        XCTAssertEqual(winograd.compactMap { $0["path"] as? String }, ["inception_3a/3x3/1", "inception_3a/5x5/1"])
        XCTAssertEqual((winograd.first?["candidates"] as? [Any])?.count, 4, "direct + F(2,3), F(4,3), F(6,3)")
        XCTAssertEqual(json["debug_build"] as? Bool, debugBuild)

        let table = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--iterations", "1",
                "--min-time", "0", "--no-peak", "--algo", "direct",
            ], environment: env)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("convs of inception_3a: direct 6\n"), table.stdout)
        XCTAssertEqual(table.stdout.contains("debug build: timings are not representative"), debugBuild, table.stdout)
        XCTAssertFalse(
            FileManager.default.fileExists(
                atPath: dir.appendingPathComponent("cache/inception-explorer/algorithms.json").path),
            "direct and winograd never time candidates, so nothing is cached")
    }

    func testRunTakesAlgoAndRejectsUnknownOnes() throws {
        let r = try CLI.run(
            ["run", "builtin:googlenet", "--block", "inception_3a", "--algo", "winograd"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("; convs: direct 4, winograd F("), r.stdout)
        let bad = try CLI.run(["run", "builtin:googlenet", "--algo", "fast"], environment: env)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("fast"), bad.stderr)
        XCTAssertEqual(try CLI.run(["bench", "builtin:googlenet", "--algo", "fft"], environment: env).status, 2)
    }

    /// `auto` times the candidates once and caches the choice.
    func testAutoCachesChoices() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a/3x3", "--iterations", "1", "--min-time", "0",
                "--json", "--no-peak", "--threads", "1",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let file = dir.appendingPathComponent("cache/inception-explorer/algorithms.json")
        let cache = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let choices = try XCTUnwrap(cache["choices"] as? [String: String])
        XCTAssertEqual(choices.count, 1)
        XCTAssertTrue(
            choices.keys.first?.hasSuffix(
                "1 thread / conv 3x3 s1x1 pad 1,1,1,1 relu 1x96x28x28 > 128"
                    + (debugBuild ? " / debug build" : "")) ?? false, "\(choices)")

        // --replan decides it again (the candidates are timed: JSON "cached": false) and keeps one entry.
        let again = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a/3x3", "--iterations", "1",
                "--min-time", "0", "--json", "--no-peak", "--threads", "1", "--replan",
            ], environment: env)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("\"cached\": false"), again.stdout)
        let replanned = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        XCTAssertEqual((replanned["choices"] as? [String: String])?.count, 1)
    }

    /// --replan re-decides auto's choices; with a fixed algorithm it is a usage error, in one line.
    func testReplanNeedsAuto() throws {
        for command in ["bench", "run"] {
            let r = try CLI.run(
                [command, "builtin:googlenet", "--block", "inception_3a", "--algo", "direct", "--replan"],
                environment: env)
            XCTAssertEqual(r.status, 2, command + ": " + r.stderr)
            XCTAssertTrue(
                r.stderr.contains("--replan re-decides --algo auto's choices: drop --algo direct or --replan"), r.stderr
            )
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
    }
}
