import Foundation
import XCTest

@testable import InceptionCore

final class DiffLayoutTests: XCTestCase {
    func testOneWidthChangeGivesExactlyTheExpectedChangedLayers() throws {
        let base = try DesignFixtures.googlenet()
        var edited = base
        XCTAssertTrue(edited.setWidth(at: try XCTUnwrap(edited.address(ofPath: "inception_3a/1x1/0")), to: 72))
        let diff = LayoutDiff(before: base, after: edited)
        XCTAssertTrue(diff.added.isEmpty)
        XCTAssertTrue(diff.removed.isEmpty)
        // 3a's 1x1 itself, then 3b's four input-side layers that see 264 channels instead of 256:
        // three convs and the pool-projection branch's maxpool (its output passes the channels through).
        XCTAssertEqual(
            diff.changed.map(\.path),
            [
                "inception_3a/1x1/0", "inception_3b/1x1/0", "inception_3b/3x3/0", "inception_3b/5x5/0",
                "inception_3b/pool_proj/0", "inception_3b/pool_proj/1",
            ])
        XCTAssertEqual(diff.changed[0].fields, ["op", "output", "params", "macs"])
        XCTAssertEqual(diff.changed[4].fields, ["output"])
        XCTAssertEqual(diff.changed[1].fields, ["params", "macs"])
        XCTAssertEqual(diff.topLevel.map(\.path), ["inception_3a", "inception_3b"])
        // 8·192 weights + 8 biases in 3a; 8·(128 + 128 + 32 + 64) weights in 3b.
        XCTAssertEqual(diff.total.params.difference, 8 * 192 + 8 + 8 * (128 + 128 + 32 + 64))
        XCTAssertEqual(diff.total.macs.difference, (8 * 192 + 8 * (128 + 128 + 32 + 64)) * 28 * 28)
        // Two layer outputs grow by 8x28x28 floats: 3a's 1x1 conv and 3b's pool-projection maxpool.
        XCTAssertEqual(diff.total.activationBytes.difference, 2 * 8 * 28 * 28 * 4)
    }

    func testGoogLeNetAgainstInceptionV3IsMostlyAddedAndRemoved() throws {
        let diff = LayoutDiff(before: try DesignFixtures.googlenet(), after: try DesignFixtures.inceptionV3())
        // Only "dropout" and "fc" share a path: rate 0.4 → 0.5 on 1024 → 2048 channels, 1024 → 2048 inputs.
        XCTAssertEqual(diff.changed.map(\.path), ["dropout", "fc"])
        XCTAssertEqual(diff.changed[1].before?.params, 1024 * 1000 + 1000)
        XCTAssertEqual(diff.changed[1].after?.params, 2048 * 1000 + 1000)
        // Subtrees are reported at their roots: 21 top-level nodes gone, 20 new.
        XCTAssertEqual(diff.removed.count, 21)
        XCTAssertEqual(diff.added.count, 20)
        XCTAssertTrue(diff.removed.allSatisfy { !$0.path.contains("/") })
        XCTAssertEqual(diff.total.params.before, 6_998_552)
        XCTAssertEqual(diff.total.params.after, 23_834_568)
        XCTAssertEqual(diff.total.macs.difference, 5_713_216_096 - 1_582_671_872)
        // Removed nodes come before the added ones that replace them (no common node until dropout).
        XCTAssertEqual(diff.topLevel.first?.path, "conv1")
        XCTAssertEqual(diff.topLevel.first?.kind, .removed)
    }

    func testIdenticalLayoutsAndAddedBranch() throws {
        let base = try DesignFixtures.googlenet()
        let same = LayoutDiff(before: base, after: base)
        XCTAssertTrue(same.entries.isEmpty)
        XCTAssertTrue(same.topLevel.isEmpty)
        var edited = base
        try edited.addBranch(to: try XCTUnwrap(edited.address(ofPath: "inception_4a")))
        let diff = LayoutDiff(before: base, after: edited)
        XCTAssertEqual(diff.added.map(\.path), ["inception_4a/branch5"], "the branch, not its layer too")
    }

    func testReportsParseAndStayASCII() throws {
        let diff = LayoutDiff(before: try DesignFixtures.googlenet(), after: try DesignFixtures.inceptionV3())
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(diff.json().utf8)) as? [String: Any])
        XCTAssertEqual((object["changed"] as? [Any])?.count, 2)
        let total = try XCTUnwrap(object["total"] as? [String: Any])
        XCTAssertEqual((total["params"] as? [String: Any])?["difference"] as? Int, 23_834_568 - 6_998_552)
        let table = diff.table(beforeName: "a.json", afterName: "b.json")
        XCTAssertTrue(table.utf8.allSatisfy { $0 < 0x80 }, "diff table is ASCII")
        XCTAssertTrue(table.contains("  ~ fc: params 1,025,000 -> 2,049,000 (+1,024,000, +99.9%)"), table)
        XCTAssertTrue(table.contains("params            6,998,552 -> 23,834,568 (+16,836,016, +240.6%)"), table)
    }
}
