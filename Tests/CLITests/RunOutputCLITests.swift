import Foundation
import TestSupport
import XCTest

/// Issue 24 item 18: `run` names a classifier's top-5 classes, and says when `--seed` seeds
/// nothing (or only the input) because the weights come from a file.
final class RunOutputCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-runout")
    }
    override func tearDown() { tmp?.remove() }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = dir.appendingPathComponent("cache").path
        return e
    }

    /// GoogLeNet ends in 1000 classes (1000x1x1): five "#index value" pairs, largest first, in
    /// the sum's fixed six-decimal format. A block's feature map (256x28x28) gets none.
    func testAClassifierOutputListsItsTopFiveClasses() throws {
        let r = try CLI.run(["run", "builtin:googlenet", "--threads", "1"], environment: env, timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("top-5 classes: ") }, r.stdout)
        let items = line.dropFirst("top-5 classes: ".count).components(separatedBy: ", ")
        XCTAssertEqual(items.count, 5, String(line))
        var values: [Double] = []
        for item in items {
            let parts = item.split(separator: " ")
            XCTAssertEqual(parts.count, 2, item)
            XCTAssertTrue(parts[0].hasPrefix("#"), item)
            let index = try XCTUnwrap(Int(parts[0].dropFirst()), item)
            XCTAssertTrue((0..<1000).contains(index), item)
            XCTAssertEqual(parts[1].split(separator: ".").last?.count, 6, "six decimals, as the sum: \(item)")
            values.append(try XCTUnwrap(Double(parts[1]), item))
        }
        XCTAssertEqual(values, values.sorted(by: >), String(line))
        let block = try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1"], environment: env)
        XCTAssertEqual(block.status, 0, block.stderr)
        XCTAssertFalse(block.stdout.contains("top-5"), block.stdout)
    }

    func testSeedIsSaidToBeIgnoredWhenTheWeightsComeFromAFolder() throws {
        let saved = dir.appendingPathComponent("w").path
        let save = try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1", "--save", saved],
                               environment: env)
        XCTAssertEqual(save.status, 0, save.stderr)
        XCTAssertFalse(save.stderr.contains("--seed"), save.stderr)
        let weightsOnly = try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1",
                                       "--weights", saved, "--seed", "7"], environment: env)
        XCTAssertEqual(weightsOnly.status, 0, weightsOnly.stderr)
        XCTAssertTrue(weightsOnly.stderr.contains("warning: --seed 7 only seeds the input: the weights are --weights "), weightsOnly.stderr)
        let both = try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1",
                                "--weights", saved, "--input", saved + "/input.npy", "--seed", "7"], environment: env)
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertTrue(both.stderr.contains("warning: --seed 7 is ignored: the weights are --weights "), both.stderr)
        // Without --seed nothing is said.
        let quiet = try CLI.run(["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1", "--weights", saved],
                                environment: env)
        XCTAssertFalse(quiet.stderr.contains("--seed"), quiet.stderr)
    }
}
