import Foundation
import TestSupport
import XCTest

/// Hostile inputs through the real binary (issue 12, "attacked on purpose"): inputs that trapped
/// (rc 132/134) or hung now end with exit 1 (bad input) or 2 (usage) and one line on stderr. Special
/// files are a FIFO made in a temporary directory; no real device node is touched.
final class HostileInputCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-attack")
    }
    override func tearDown() { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = path("cache")
        e["SWIFT_BACKTRACE"] = "enable=no"  // a trap, should one come back, fails fast
        return e
    }

    func write(_ name: String, _ json: String) throws -> String {
        try json.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func layout(input: (Int, Int, Int), layers: String) -> String {
        #"{"format":"inception-layout/1","name":"x","input":{"channels":\#(input.0),"height":\#(input.1),"width":\#(input.2)},"layers":[\#(layers)]}"#
    }

    /// Exit `status`, nothing but one line on stderr, and that line contains `text`.
    func assertOneLine(
        _ r: CLIResult, status: Int32, _ text: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), r.stderr, file: file, line: line)
    }

    /// A float32 .npy of `shape` holding `values` (format 1.0, header padded to 64 bytes).
    func npy(_ name: String, shape: [Int], values: [Float]) throws -> String {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }".utf8)
        while (10 + dict.count + 1) % 64 != 0 { dict.append(0x20) }
        dict.append(0x0A)
        var bytes: [UInt8] =
            [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(dict.count & 0xFF), UInt8(dict.count >> 8)] + dict
        values.withUnsafeBytes { bytes += $0 }
        _ = FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
        return path(name)
    }

    // MARK: sizes and sums that trapped

    /// Item 1: ten blocks of sixteen identity branches on 2^24 channels (every number within the
    /// format's limits) overflow the channel sum at the ninth block: 2^24 · 16^9 = 2^60, · 16 = 2^64.
    func testChannelSumOverflowIsALocatedError() throws {
        let block =
            #"{"name":"bNN","op":"inception","branches":["#
            + Array(repeating: #"{"layers":[{"op":"dropout","rate":0}]}"#, count: 16).joined(separator: ",") + "]}"
        let blocks = (0..<10).map { block.replacingOccurrences(of: "NN", with: String($0)) }.joined(separator: ",")
        let file = try write("chan.json", layout(input: (16_777_216, 1, 1), layers: blocks))
        for command in ["validate", "summary", "lint"] {
            let r = try CLI.run([command, file], environment: env)
            assertOneLine(r, status: 1, "chan.json: b")
            XCTAssertTrue(r.stderr.contains("overflow 64-bit integers"), "\(command): \(r.stderr)")
        }
        let d = try CLI.run(["diff", file, file], environment: env)
        XCTAssertTrue(d.status == 0 || d.status == 1, "diff: \(d.status) \(d.stderr)")
    }

    /// Item 2: input 16777216^3 and a stride-8388608 conv: C·H·W = 2^72 was converted to Int.
    func testLintOnAHugeInputDoesNotTrap() throws {
        let file = try write(
            "stride.json",
            layout(
                input: (16_777_216, 16_777_216, 16_777_216),
                layers: #"{"name":"c","op":"conv","out":1,"kernel":1,"stride":8388608}"#))
        XCTAssertEqual(try CLI.run(["validate", file], environment: env).status, 0)
        let r = try CLI.run(["lint", file, "--json"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        // 2^72 = 4.72e21 shown to three digits, the stride product 2^46 exactly.
        XCTAssertTrue(r.stdout.contains("4.72e+21"), r.stdout)
        XCTAssertTrue(r.stdout.contains("70,368,744,177,664x at once"), r.stdout)
    }

    /// Item 3: a sum of 1e19 (past Int.max = 9.22e18) is printed, not converted to Int.
    func testHugeSumIsPrinted() throws {
        let file = try write("id.json", layout(input: (1, 1, 1), layers: #"{"op":"dropout","rate":0}"#))
        let input = try npy("big.npy", shape: [1, 1, 1, 1], values: [1e19])
        let r = try CLI.run(["run", file, "--input", input, "--threads", "1"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("sum 1.00e+19"), r.stdout)
    }

    /// Item 3: a peak cache holding 1e308, 5e-324 or a bandwidth of 1e308 is ignored and measured again.
    func testImplausiblePeakCacheIsRemeasured() throws {
        let file = try write(
            "c.json", layout(input: (16, 8, 8), layers: #"{"name":"c","op":"conv","out":16,"kernel":3,"pad":1}"#))
        let made = try CLI.run(["peak", "--threads", "1"], environment: env)
        XCTAssertEqual(made.status, 0, made.stderr)
        let cache = path("cache/inception-explorer/peak.json")
        for (peak, bandwidth) in [(1e308, 30.0), (Double.leastNonzeroMagnitude, 30.0), (100.0, 1e308)] {
            var json = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache))) as? [String: Any])
            json["entries"] = (json["entries"] as? [String: Double] ?? [:]).mapValues { _ in peak }
            json["bandwidth"] = (json["bandwidth"] as? [String: Double] ?? [:]).mapValues { _ in bandwidth }
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: cache))
            let r = try CLI.run(
                [
                    "bench", file, "--threads", "1", "--iterations", "1", "--min-time", "0", "--warmup", "0",
                    "--roofline",
                ],
                environment: env)
            XCTAssertEqual(r.status, 0, "\(peak) \(bandwidth): \(r.stderr)")
            let after = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache))) as? [String: Any])
            for v in (after["entries"] as? [String: Double] ?? [:]).values {
                XCTAssertTrue(v > 0.01 && v < 1e6, "peak \(v)")
            }
            for v in (after["bandwidth"] as? [String: Double] ?? [:]).values {
                XCTAssertTrue(v > 0.01 && v < 1e6, "bandwidth \(v)")
            }
        }
    }

    /// Item 4: an absurd chart width is a usage error, at once.
    func testAbsurdWidthIsAUsageError() throws {
        let file = try write("id.json", layout(input: (1, 1, 1), layers: #"{"op":"dropout","rate":0}"#))
        for width in ["9223372036854775807", "1000000000000000", "100000000", "1001"] {
            let r = try CLI.run(["summary", "--chart", "--width", width, file], environment: env, timeout: 20)
            assertOneLine(r, status: 2, "--width must be between 40 and 1000")
        }
    }

    /// Item 5: a budget of Int.max does not make 2^48 floats of weights allocatable.
    func testHugeMaxMemoryIsCannotAllocate() throws {
        let file = try write("lin.json", layout(input: (16_777_216, 1, 1), layers: #"{"op":"linear","out":16777216}"#))
        let r = try CLI.run(["run", file, "--max-memory", "9223372036854775807"], environment: env, timeout: 60)
        assertOneLine(r, status: 1, "cannot allocate")
    }

    // MARK: FIFOs

    func testFIFOsAreRefusedWithTheRightReason() throws {
        let fifo = path("layout.json")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let asLayout = try CLI.run(["validate", fifo], environment: env, timeout: 20)
        assertOneLine(asLayout, status: 1, "\(fifo): is a FIFO, not a regular file")

        let file = try write(
            "c.json", layout(input: (3, 4, 4), layers: #"{"name":"c","op":"conv","out":2,"kernel":1}"#))
        let asInput = try CLI.run(["run", file, "--input", fifo], environment: env, timeout: 20)
        assertOneLine(asInput, status: 1, "\(fifo): is a FIFO, not a regular file")

        let fifoDir = try CLI.run(["run", file, "--weights", fifo], environment: env, timeout: 20)
        assertOneLine(fifoDir, status: 1, "\(fifo): is a FIFO, not a weights directory")

        // A weights directory whose weight file is a FIFO (and whose bias file is a symlink to one).
        try FileManager.default.createDirectory(atPath: path("w"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(path("w/c.weight.npy"), 0o644), 0)
        XCTAssertEqual(symlink(fifo, path("w/c.bias.npy")), 0)
        let weights = try CLI.run(["run", file, "--weights", path("w")], environment: env, timeout: 20)
        assertOneLine(weights, status: 1, "c.weight.npy: is a FIFO, not a regular file")
        _ = try npy("w/c.weight.npy.tmp", shape: [2, 3, 1, 1], values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(unlink(path("w/c.weight.npy")), 0)
        XCTAssertEqual(rename(path("w/c.weight.npy.tmp"), path("w/c.weight.npy")), 0)
        let bias = try CLI.run(["run", file, "--weights", path("w")], environment: env, timeout: 20)
        assertOneLine(bias, status: 1, "c.bias.npy: is a FIFO, not a regular file")
    }

    // MARK: numbers, saves and messages

    /// NaN or infinity in the input or a weight file: a warning, or exit 1 with --strict.
    func testNonFiniteInputOrWeightsWarnOrAreRefused() throws {
        let file = try write(
            "c.json", layout(input: (2, 1, 1), layers: #"{"name":"c","op":"conv","out":1,"kernel":1}"#))
        let input = try npy("nan.npy", shape: [1, 2, 1, 1], values: [.nan, 1])
        let warned = try CLI.run(["run", file, "--input", input, "--threads", "1"], environment: env)
        XCTAssertEqual(warned.status, 0, warned.stderr)
        XCTAssertEqual(warned.stderr, "warning: \(input): 1 of 2 values are NaN or infinite\n")
        assertOneLine(
            try CLI.run(["run", file, "--input", input, "--strict"], environment: env), status: 1,
            "\(input): 1 of 2 values are NaN or infinite (refused: --strict)")
        try FileManager.default.createDirectory(atPath: path("w"), withIntermediateDirectories: true)
        _ = try npy("w/c.weight.npy", shape: [1, 2, 1, 1], values: [.infinity, 1])
        _ = try npy("w/c.bias.npy", shape: [1], values: [0])
        assertOneLine(
            try CLI.run(["run", file, "--weights", path("w"), "--strict"], environment: env), status: 1,
            "c.weight.npy: 1 of 2 values are NaN or infinite (refused: --strict)")
    }

    /// run --save writes into a staging directory and moves the set into place at the end: a
    /// failure (here a FIFO where output.npy goes) leaves no partial set and no staging directory.
    func testRunSaveIsAllOrNothing() throws {
        let file = try write(
            "c.json", layout(input: (3, 4, 4), layers: #"{"name":"c","op":"conv","out":2,"kernel":1}"#))
        let fresh = try CLI.run(["run", file, "--save", path("new/out")], environment: env)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertEqual(
            Set(try FileManager.default.contentsOfDirectory(atPath: path("new/out"))),
            ["input.npy", "output.npy", "c.weight.npy", "c.bias.npy"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("new")), ["out"])

        try FileManager.default.createDirectory(atPath: path("old"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(path("old/output.npy"), 0o644), 0)
        let refused = try CLI.run(["run", file, "--save", path("old")], environment: env, timeout: 30)
        assertOneLine(refused, status: 1, "old/output.npy: not a regular file (FIFO); nothing saved")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("old")), ["output.npy"])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.contains(".tmp-") })
    }

    /// --min-time is capped at 1,000,000 passes per node; bench says so instead of stopping silently.
    func testMinTimeCapIsSaid() throws {
        let file = try write("id.json", layout(input: (1, 1, 1), layers: #"{"op":"dropout","rate":0}"#))
        let r = try CLI.run(
            [
                "bench", file, "--min-time", "100000", "--iterations", "1", "--warmup", "0", "--no-peak", "--threads",
                "1",
            ],
            environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "note: x: stopped at the cap of 1,000,000 timed passes before --min-time 100000.0 s\n")
        assertOneLine(
            try CLI.run(["bench", file, "--iterations", "1000001"], environment: env), status: 2,
            "--iterations must be at most 1,000,000, got 1000001")
        assertOneLine(
            try CLI.run(["bench", file, "--warmup", "9223372036854775807"], environment: env, timeout: 20), status: 2,
            "--warmup must be between 0 and 1,000,000, got 9223372036854775807")
    }

    func testNegativeNumbersReachTheValidation() throws {
        let file = try write("id.json", layout(input: (1, 1, 1), layers: #"{"op":"dropout","rate":0}"#))
        assertOneLine(
            try CLI.run(["summary", "--depth", "-1", file], environment: env), status: 2,
            "--depth must be a positive integer, got -1")
        assertOneLine(
            try CLI.run(["summary", "--batch", "-3", file], environment: env), status: 2,
            "--batch must be a positive integer, got -3")
        for command in ["run", "bench"] {
            assertOneLine(
                try CLI.run([command, file, "--threads", "1000000"], environment: env, timeout: 20), status: 2,
                "--threads must be at most 1024, got 1000000")
        }
        assertOneLine(
            try CLI.run(["peak", "--threads", "1000000"], environment: env, timeout: 20), status: 2,
            "--threads must be at most 1024, got 1000000")
    }

    func testValidatePrintsOneLineWithACount() throws {
        let file = try write(
            "bad.json",
            layout(
                input: (3, 4, 4),
                layers:
                    #"{"name":"m","op":"inception","branches":[{"name":"a","layers":[{"op":"conv","out":2,"kernel":9}]},"#
                    + #"{"name":"b","layers":[{"op":"conv","out":2,"kernel":9}]}]}"#))
        let r = try CLI.run(["validate", file], environment: env)
        assertOneLine(r, status: 1, "bad.json: m/a/0: kernel 9x9 is larger than the padded input 4x4")
        XCTAssertTrue(r.stderr.hasSuffix("(and 1 more problem; `summary` marks them all)\n"), r.stderr)
    }

    func testAnEmptyNetworkIsRefusedWithThePath() throws {
        let file = try write("empty.json", layout(input: (3, 4, 4), layers: ""))
        assertOneLine(
            try CLI.run(["validate", file], environment: env), status: 1,
            "empty.json: layers: a network needs at least one layer")
    }
}
