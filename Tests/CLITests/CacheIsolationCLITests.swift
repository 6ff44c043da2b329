import Foundation
import TestSupport
import XCTest

/// `swift test` never writes into the user's ~/.cache: every binary `CLI.run` (and a tmux pane)
/// starts gets a temporary `XDG_CACHE_HOME` unless its test chose its own.
final class CacheIsolationCLITests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory("ie-cache") }
    override func tearDown() { dir.remove() }

    func testTheDefaultEnvironmentsCacheIsATemporaryDirectoryNotTheUsers() throws {
        let inherited = ProcessInfo.processInfo.environment
        let cache = try XCTUnwrap(CLI.environment()["XDG_CACHE_HOME"])
        XCTAssertEqual(cache, CLI.temporaryCache)
        XCTAssertTrue(cache.hasPrefix(FileManager.default.temporaryDirectory.path), cache)
        XCTAssertNotEqual(cache, inherited["XDG_CACHE_HOME"])
        if let home = inherited["HOME"] { XCTAssertFalse(cache.hasPrefix(home + "/.cache"), cache) }
        // An environment copied from this process is no choice of the test's: it gets the temporary cache too.
        XCTAssertEqual(CLI.environment(inherited)["XDG_CACHE_HOME"], CLI.temporaryCache)
        // A test's own cache is kept, and so is the rest of what it passes.
        let own = CLI.environment(["XDG_CACHE_HOME": dir.path, "LANG": "C"])
        XCTAssertEqual(own, ["XDG_CACHE_HOME": dir.path, "LANG": "C"])
        XCTAssertEqual(CLI.environment(["LANG": "C"]), ["XDG_CACHE_HOME": CLI.temporaryCache, "LANG": "C"])
    }

    /// `bench` (algorithm `auto`) times the Winograd forms of a 3x3 stride-1 conv and caches its
    /// choice: with no environment given, the file lands in the temporary cache. (The user's own
    /// file is not compared: other programs on the machine may write it meanwhile.)
    func testBenchThroughTheRunnerWritesTheTemporaryCacheOnly() throws {
        let layout =
            #"{"format":"inception-layout/1","name":"tiny","input":{"channels":16,"height":8,"width":8},"#
            + #""layers":[{"name":"c","op":"conv","out":16,"kernel":3,"pad":1}]}"#
        let file = try dir.write("tiny.json", layout)
        let cached = CLI.temporaryCache + "/inception-explorer/algorithms.json"
        try? FileManager.default.removeItem(atPath: cached)

        let r = try CLI.run(["bench", file, "--iterations", "1", "--min-time", "0", "--no-peak", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cached))) as? [String: Any])
        XCTAssertEqual((json["choices"] as? [String: Any])?.count, 1, "one conv, one cached choice")
    }
}
