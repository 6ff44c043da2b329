import Foundation
import InceptionRuntime
import TestSupport
import XCTest

/// `bench --roofline` and `peak`'s bandwidth, on the built binary. The peak cache is written by the
/// test (200 GFLOP/s, 25 GB/s: ridge 8 FLOP/B = 4 MAC/B) so the classification is known by hand.
final class RooflineCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-roofline")
        let file = dir.appendingPathComponent("cache/inception-explorer/peak.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let key = "\(Self.cpuModel) / 2 threads"
        try Data("{\"entries\": {\"\(key)\": 200}, \"bandwidth\": {\"\(key)\": 25}}".utf8).write(to: file)
    }
    override func tearDown() { tmp?.remove() }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = dir.appendingPathComponent("cache").path
        return e
    }

    /// The cache's key names the CPU as the binary does.
    static var cpuModel: String { PeakCache.cpuModel }

    /// Issue 22: depthwise layers are memory-bound, so the roofline marks them [DW] and says what
    /// share of the measured bandwidth (25 GB/s here, from the test's cache) they reach.
    func testDepthwiseLayersAreJudgedOnBandwidth() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:xception", "--block", "block1", "--roofline", "--threads", "2",
                "--iterations", "2", "--min-time", "0", "--ascii",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let note = try XCTUnwrap(lines.first { $0.hasPrefix("[DW] depthwise layers") }, r.stdout)
        // block1's rep branch: two separable convs, each a depthwise 3x3 then a 1x1.
        XCTAssertTrue(note.contains("(25.0 GB/s STREAM triad): 2 layers"), note)
        XCTAssertTrue(note.contains("% of it"), note)
        let rows = lines.filter { $0.hasPrefix("  block1/rep/") && $0.contains("GB/s (") }
        XCTAssertEqual(rows.count, 2, r.stdout)
        XCTAssertTrue(r.stdout.contains(" [DW]"), r.stdout)
    }

    /// block2 opens with a ReLU that its first depthwise conv applies as it reads (`relu+dwconv`):
    /// that conv is still a depthwise layer on the roofline (it was dropped from the [DW] note).
    func testDepthwiseConvWithItsReLUStaysADepthwiseLayer() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:xception", "--block", "block2", "--roofline", "--profile", "--threads", "1",
                "--iterations", "2", "--min-time", "0", "--ascii",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("relu+dwconv"), r.stdout)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let note = try XCTUnwrap(lines.first { $0.hasPrefix("[DW] depthwise layers") }, r.stdout)
        XCTAssertTrue(note.contains("STREAM triad): 2 layers"), note)
        XCTAssertTrue(lines.contains { $0.contains(" rep/1 [DW]") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  block2/rep/1: ") && $0.contains("GB/s (") }, r.stdout)
    }

    func testRooflineTableFollowsTheTimingTable() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--roofline", "--threads", "2",
                "--iterations", "2", "--min-time", "0", "--ascii",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let timing = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("inception_3a ") })
        let roof = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Roofline of inception_3a") })
        XCTAssertLessThan(timing, roof)
        XCTAssertTrue(
            r.stdout.contains("peak 200.0 GFLOP/s, bandwidth 25.0 GB/s, ridge 4.00 MAC/B (8.00 FLOP/B)"), r.stdout)
        func row(_ name: String) -> [String] {
            (lines.first { $0.dropFirst(2).hasPrefix(name + " ") } ?? "").split(separator: " ").map(String.init)
        }
        // inception_3a/1x1/0: 192 → 64, 1x1 on 28x28 with bias: 9,633,792 MACs over
        // (150,528 + 50,176 + 12,288 + 64) floats x 4 = 852,224 bytes = 11.3 MAC/B, above the ridge.
        XCTAssertEqual(row("1x1/0")[3], "11.3", lines.joined(separator: "\n"))
        XCTAssertEqual(row("1x1/0")[6], "cmp")
        // 5x5/0, the 192 → 16 reduction: 2,408,448 MACs over 664,640 bytes = 3.62 MAC/B, below the ridge.
        XCTAssertEqual(row("5x5/0")[3], "3.62")
        XCTAssertEqual(row("5x5/0")[6], "mem")
        // Six convs, one row each (GoogLeNet's 3a: 1x1, 3x3 reduce + 3x3, 5x5 reduce + 5x5, pool proj).
        for name in ["1x1/0", "3x3/0", "3x3/1", "5x5/0", "5x5/1", "pool_proj/1"] {
            XCTAssertFalse(row(name).isEmpty, name)
        }
        XCTAssertTrue(r.stdout.allSatisfy(\.isASCII))
        // The roofline section fits 130 columns; the timing table's branch list above it grows with
        // the measured times (a loaded machine or a debug build gives more digits), so it is not bound.
        let long = lines[roof...].filter { $0.count > 130 }
        XCTAssertTrue(long.isEmpty, long.joined(separator: "\n"))
    }

    /// A Winograd plan's node rate comes two ways: `gflops` credits the direct conv's MACs (it can
    /// pass the peak: inception_3a read 187% in the explorer), `executed_gflops` the MACs the
    /// algorithms multiplied, the sum over its layers; % of peak is the executed rate over the peak
    /// (200 here). A direct plan executes exactly its MACs, and the table then has no "executed".
    func testNodeRateCountsTheMACsTheAlgorithmsMultiplied() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--algo", "winograd", "--roofline",
                "--json", "--threads", "2", "--iterations", "2", "--min-time", "0",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let macs = try XCTUnwrap(object["macs"] as? Int), executed = try XCTUnwrap(object["executed_macs"] as? Int)
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        let saved = layers.reduce(0) { $0 + ($1["macs"] as? Int ?? 0) - ($1["executed_macs"] as? Int ?? 0) }
        XCTAssertGreaterThan(saved, 0, "the 3x3 and 5x5 run Winograd")
        XCTAssertEqual(executed, macs - saved)
        let ms = try XCTUnwrap(object["median_ms"] as? Double),
            rate = try XCTUnwrap(object["executed_gflops"] as? Double)
        XCTAssertEqual(rate, Double(executed) * 2 / (ms * 1e6), accuracy: 1e-3 * rate)
        XCTAssertEqual(try XCTUnwrap(object["percent_of_peak"] as? Double), rate / 200 * 100, accuracy: 1e-3)
        XCTAssertLessThan(rate, try XCTUnwrap(object["gflops"] as? Double))

        let table = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--algo", "winograd",
                "--threads", "2", "--iterations", "2", "--min-time", "0",
            ], environment: env)
        XCTAssertTrue(table.stdout.contains(" executed "), table.stdout)
        XCTAssertTrue(table.stdout.contains("executed and % peak count the MACs multiplied"), table.stdout)
        let direct = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--algo", "direct", "--json",
                "--threads", "2", "--iterations", "2", "--min-time", "0",
            ], environment: env)
        let plain = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(direct.stdout.utf8)) as? [String: Any])
        // inception_3a: 128,049,152 MACs (its six convs on 28x28, Szegedy et al. 2014 Table 1 widths).
        XCTAssertEqual(plain["executed_macs"] as? Int, 128_049_152)
        XCTAssertEqual(plain["macs"] as? Int, 128_049_152)
        let directTable = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--algo", "direct",
                "--threads", "2", "--iterations", "2", "--min-time", "0",
            ], environment: env)
        XCTAssertFalse(directTable.stdout.contains("executed"), directTable.stdout)
    }

    func testRooflineJSONAndUsage() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a/1x1", "--roofline", "--json", "--threads", "2",
                "--iterations", "2", "--min-time", "0",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["bandwidth_gbs"] as? Double, 25)
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 1)
        XCTAssertEqual(layers[0]["path"] as? String, "inception_3a/1x1/0")
        XCTAssertEqual(layers[0]["op"] as? String, "conv")
        XCTAssertEqual(layers[0]["macs"] as? Int, 9_633_792)
        XCTAssertEqual(layers[0]["bytes"] as? Int, 852_224)
        let usage = try CLI.run(["bench", "builtin:googlenet", "--roofline", "--no-peak"], environment: env)
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("--roofline needs the peak"), usage.stderr)
    }

    func testPeakAlsoMeasuresAndCachesTheBandwidth() throws {
        let r = try CLI.run(["peak", "--threads", "1"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, r.stdout)
        XCTAssertTrue(
            lines[1].hasPrefix("memory bandwidth: ") && lines[1].contains("GB/s on 1 thread "), String(lines[1]))
        let data = try Data(contentsOf: dir.appendingPathComponent("cache/inception-explorer/peak.json"))
        let file = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: Double]])
        XCTAssertEqual(file["bandwidth"]?.count, 2, "the 2-thread figure kept, the 1-thread one added")
        XCTAssertEqual(file["entries"]?["\(Self.cpuModel) / 2 threads"], 200)
    }
}
