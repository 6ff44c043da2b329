import Foundation
import InceptionCore
import TestSupport
import XCTest

/// Issue 21: a split block through the binary. `validate` locates sizes that do not cut the input in
/// one line (exit 1); `summary` labels the block; `export` writes torch.split + cat.
final class SplitJoinCLITests: XCTestCase {
    static func layout(sizes: String) -> String {
        #"""
        { "format": "inception-layout/1", "name": "s", "input": { "channels": 6, "height": 7, "width": 7 }, "layers": [
          { "op": "conv", "out": 40, "kernel": 1 },
          { "name": "mixer", "op": "inception", "join": "split", "sizes": \#(sizes), "branches": [
            { "name": "id", "layers": [] },
            { "name": "hw", "layers": [ { "op": "conv", "out": 12, "kernel": 3, "pad": 1, "groups": 12, "activation": "none" } ] } ] }
        ] }
        """#
    }

    func testValidateSummaryAndExportOfASplit() throws {
        let tmp = try TemporaryDirectory("ie-split")
        defer { tmp.remove() }
        let good = tmp.url.appendingPathComponent("good.json").path,
            bad = tmp.url.appendingPathComponent("bad.json").path
        try Self.layout(sizes: "[28, 12]").write(toFile: good, atomically: true, encoding: .utf8)
        try Self.layout(sizes: "[28, 13]").write(toFile: bad, atomically: true, encoding: .utf8)
        let v = try CLI.run(["validate", bad])
        XCTAssertEqual(v.status, 1)
        XCTAssertEqual(v.stderr, bad + ": mixer: split 28/13: the sizes add up to 41 channels but the input has 40\n")
        let s = try CLI.run(["summary", good])
        XCTAssertEqual(s.status, 0, s.stderr)
        // The Kind column names the torch class the export writes for it.
        XCTAssertTrue(s.stdout.contains("mixer  ChannelSplit  split 28/12"), s.stdout)
        let py = tmp.url.appendingPathComponent("s.py").path
        let e = try CLI.run(["export", good, "-o", py])
        XCTAssertEqual(e.status, 0, e.stderr)
        let text = try String(contentsOfFile: py, encoding: .utf8)
        XCTAssertTrue(text.contains("xs = torch.split(x, [28, 12], 1)"))
        XCTAssertTrue(text.contains("return torch.cat([self.id(xs[0]), self.hw(xs[1])], 1)"))
    }
}
