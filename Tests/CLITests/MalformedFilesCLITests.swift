import Foundation
import InceptionCore
import InceptionRuntime
import InceptionWeights
import TestSupport
import XCTest

/// The real binary on a few dozen mutated layout files (the decoder's own fuzz test covers ~1,000
/// in-process): never a crash, exit 1 with exactly one located line, or exit 0 when the mutant
/// happens to be a valid layout.
final class MalformedFilesCLITests: XCTestCase {
    func testMutatedFilesGetOneLocatedLineAndExit1() throws {
        let original = Array(BuiltInLayout.googlenet.json.utf8)
        let tmp = try TemporaryDirectory("ie-mut")
        defer { tmp.remove() }
        let dir = tmp.url
        var rng = SplitMix64(seed: 2014)
        var mutants: [[UInt8]] = [[], [0xFF, 0xFE], Array("{}".utf8), Array(String(repeating: "[", count: 5000).utf8)]
        for i in 0..<60 {
            var m = original
            switch i % 5 {
            case 0: m = Array(m.prefix(rng.below(m.count)))  // truncation
            case 1: m[rng.below(m.count)] ^= UInt8(1 << rng.below(8))  // bit flip
            case 2: m.remove(at: rng.below(m.count))  // deleted byte
            case 3: let at = rng.below(m.count); m.insert(m[at], at: at)  // duplicated byte
            default:  // value swap
                let swaps = [
                    ("\"out\": 64", "\"out\": \"64\""), ("\"kernel\": 3", "\"kernel\": -3"),
                    ("\"out\": 1000", "\"out\": 99999999999999999999"), ("\"stride\": 2", "\"stride\": 0"),
                    ("\"kernel\": 7", "\"kernel\": 700"), ("\"rate\": 0.4", "\"rate\": []"),
                ]
                let (a, b) = swaps[rng.below(swaps.count)]
                m = Array(String(decoding: m, as: UTF8.self).replacingOccurrences(of: a, with: b).utf8)
            }
            mutants.append(m)
        }
        var failures = 0
        for (i, m) in mutants.enumerated() {
            let path = dir.appendingPathComponent("m\(i).json").path
            try Data(m).write(to: URL(fileURLWithPath: path))
            let r = try CLI.run(["validate", path])
            XCTAssertTrue(r.status == 0 || r.status == 1, "mutant \(i): exit \(r.status) \(r.stderr)")
            guard r.status == 1 else { continue }
            failures += 1
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            XCTAssertEqual(lines.count, 1, "mutant \(i): \(r.stderr)")
            // "<file>:<line>:<col>: ..." for syntax, "<file>: <json path or node path>: ..." otherwise.
            XCTAssertTrue(r.stderr.hasPrefix(path + ":"), "mutant \(i): \(r.stderr)")
            XCTAssertGreaterThan(r.stderr.count, path.count + 8, "mutant \(i) says what is wrong")
        }
        XCTAssertGreaterThan(failures, 40, "most mutants are invalid")
    }
}
