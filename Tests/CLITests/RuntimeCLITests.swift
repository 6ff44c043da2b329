import Foundation
import TestSupport
import XCTest

/// The bench, run and peak commands end to end on the built binary (small nodes, few iterations).
final class RuntimeCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-runtime")
    }
    override func tearDown() { tmp?.remove() }

    /// The environment with the peak cache in the test's temporary directory.
    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = dir.appendingPathComponent("cache").path
        return e
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testBenchJSONHasOneObjectPerBlockWithTheKeys() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:googlenet", "--block", "inception_3a", "--block", "inception_5b/3x3",
                "--iterations", "2", "--min-time", "0", "--json", "--threads", "2",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        for key in [
            "path", "input", "output", "batch", "threads", "iterations", "median_ms", "min_ms", "mean_ms",
            "macs", "gflops", "branches", "percent_of_peak",
        ] {
            XCTAssertNotNil(first[key], "missing \(key)")
        }
        XCTAssertEqual(first["path"] as? String, "inception_3a")
        XCTAssertEqual(first["input"] as? [Int], [192, 28, 28])
        XCTAssertEqual(first["output"] as? [Int], [256, 28, 28])
        XCTAssertEqual(first["threads"] as? Int, 2)
        XCTAssertEqual(first["iterations"] as? Int, 2)
        // inception_3a: 128,049,152 MACs (sum of its six convs on 28x28, Szegedy et al. 2014 Table 1 widths).
        XCTAssertEqual(first["macs"] as? Int, 128_049_152)
        let branches = try XCTUnwrap(first["branches"] as? [[String: Any]])
        XCTAssertEqual(
            branches.compactMap { $0["path"] as? String },
            ["inception_3a/1x1", "inception_3a/3x3", "inception_3a/5x5", "inception_3a/pool_proj"])
        let second = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        XCTAssertEqual(second["path"] as? String, "inception_5b/3x3")
        XCTAssertEqual((second["branches"] as? [Any])?.count, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("cache/inception-explorer/peak.json")))
    }

    func testBenchTableAndUsageErrors() throws {
        let r = try CLI.run(
            [
                "bench", "builtin:inception-v3", "--block", "Mixed_7b/branch3x3/1", "--iterations", "1",
                "--min-time", "0", "--no-peak",
            ], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        // The nested figure-7 split of Mixed_7b: 384x8x8 → 1x3 and 3x1 branches of 384 each.
        let row = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("Mixed_7b/branch3x3/1 ") })
        XCTAssertTrue(row.contains("384x8x8") && row.contains("768x8x8"), String(row))
        XCTAssertTrue(row.contains("1x3 ") && row.contains("3x1 "), String(row))
        XCTAssertEqual(r.stderr, "", "no progress line when stderr is not a terminal")
        XCTAssertEqual(try CLI.run(["bench", "builtin:googlenet", "--threads", "0"]).status, 2)
        XCTAssertEqual(try CLI.run(["bench", "builtin:googlenet", "--min-time", "-1"]).status, 2)
    }

    func testUnknownBlockListsClosestPaths() throws {
        let r = try CLI.run(
            ["bench", "builtin:googlenet", "--block", "inception_4x", "--iterations", "1", "--min-time", "0"],
            environment: env)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(
            r.stderr,
            "builtin:googlenet: no node \"inception_4x\" in GoogLeNet (closest: inception_4a, inception_4b, inception_4c)\n"
        )
        let run = try CLI.run(["run", "builtin:googlenet", "--block", "inception_4x"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("(closest: inception_4a"), run.stderr)
    }

    func testSavedWeightsAndInputReproduceTheOutputExactly() throws {
        // Bitwise reproduction needs the same conv algorithms: `auto` may choose differently at
        // another thread count (Winograd and direct agree to ~1e-6, not bit for bit), so pin them.
        let first = try CLI.run([
            "run", "builtin:inception-v3", "--block", "Mixed_5b", "--seed", "5", "--save", path("a"),
            "--algo", "direct",
        ])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("Mixed_5b: output [1, 256, 35, 35], sum "), first.stdout)
        // Batchnorm convs without bias: the folded shift is saved as a bias file.
        for name in [
            "input.npy", "output.npy", "Mixed_5b.branch3x3dbl.2.weight.npy", "Mixed_5b.branch3x3dbl.2.bias.npy",
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("a/" + name)), name)
        }
        let second = try CLI.run([
            "run", "builtin:inception-v3", "--block", "Mixed_5b", "--weights", path("a"),
            "--input", path("a/input.npy"), "--save", path("b"), "--threads", "1", "--algo", "direct",
        ])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: path("b/output.npy"))),
            try Data(contentsOf: URL(fileURLWithPath: path("a/output.npy"))))
        // A different seed gives a different output (the comparison above could fail).
        _ = try CLI.run(["run", "builtin:inception-v3", "--block", "Mixed_5b", "--seed", "6", "--save", path("c")])
        XCTAssertNotEqual(
            try Data(contentsOf: URL(fileURLWithPath: path("c/output.npy"))),
            try Data(contentsOf: URL(fileURLWithPath: path("a/output.npy"))))
    }

    func testBadWeightsDirectoryNamesTheFile() throws {
        XCTAssertEqual(
            try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--save", path("w")]).status, 0)
        try FileManager.default.removeItem(atPath: path("w/inception_3a.5x5.1.weight.npy"))
        let r = try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--weights", path("w")])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(
            r.stderr,
            "builtin:googlenet: \(path("w/inception_3a.5x5.1.weight.npy")): no such file "
                + "(expected float32 [32, 16, 5, 5] for inception_3a/5x5/1)\n")
    }

    func testWrongInputShapeShowsBothShapes() throws {
        XCTAssertEqual(
            try CLI.run(["run", "builtin:googlenet", "--block", "inception_3b", "--save", path("x")]).status, 0)
        // inception_3b's input (3a's output, 256x28x28) fed to inception_3a, which takes 192x28x28.
        let r = try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--input", path("x/input.npy")])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(
            r.stderr,
            "\(path("x/input.npy")): input shape [1, 256, 28, 28] does not match inception_3a's input [1, 192, 28, 28]\n"
        )
    }

    func testPeakMeasuresAndCaches() throws {
        let r = try CLI.run(["peak", "--threads", "1"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("peak FP32 FMA: "), r.stdout)
        let data = try Data(contentsOf: URL(fileURLWithPath: path("cache/inception-explorer/peak.json")))
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("/ 1 thread\""))
    }
}
