import XCTest

@testable import InceptionCore

/// The width step, the clamped width change and the reduction width: each rule lives once in the
/// core, and the explorer's keys, prompt and the missing-reduction lint read it (issue 20).
final class WidthAndReductionRuleTests: XCTestCase {
    func googlenet() throws -> Layout { try LayoutCodec.decode(BuiltInLayout.googlenet.json) }

    func testAdjustedWidthStopsAtOneAndTheLimitWithoutOverflow() throws {
        var layout = try googlenet()
        let conv1 = try XCTUnwrap(layout.address(ofPath: "conv1"))
        XCTAssertEqual(Layout.widthStep, 8)  // the explorer's `+` / `-` (README: "±8")
        XCTAssertEqual(layout.adjustedWidth(at: conv1, by: Layout.widthStep), 72)  // conv1 is 64 wide
        XCTAssertEqual(layout.adjustedWidth(at: conv1, by: -100), 1)
        XCTAssertEqual(layout.adjustedWidth(at: conv1, by: Int.max), LayoutLimits.maxChannels)
        // Overflow going down stops at 1, not at the largest width.
        layout.setWidth(at: conv1, to: 1)
        XCTAssertEqual(layout.adjustedWidth(at: conv1, by: Int.min), 1)
        XCTAssertNil(layout.adjustedWidth(at: try XCTUnwrap(layout.address(ofPath: "pool1")), by: 8))
        XCTAssertFalse(layout.adjustWidth(at: conv1, by: -8), "already 1: nothing changes")
        XCTAssertTrue(layout.adjustWidth(at: conv1, by: 8))
        XCTAssertEqual(layout.width(at: conv1), 9)
    }

    func testProposedReductionIsAQuarterOfTheSpatialConvsInput() throws {
        var layout = try googlenet()
        let branch = try XCTUnwrap(layout.address(ofPath: "inception_3a/5x5"))
        XCTAssertNil(layout.proposedReductionWidth(at: branch), "a reduced branch: the toggle removes its 1x1")
        try layout.toggleReduction(at: branch)
        // Naive now: the 5x5 reads the block's 192 channels; a quarter is 48, what the move inserts.
        XCTAssertEqual(layout.proposedReductionWidth(at: branch), 48)
        XCTAssertEqual(Layout.reductionWidth(inputChannels: 192), 48)
        XCTAssertEqual(Layout.reductionWidth(inputChannels: 3), 1, "at least 1")
        let lint = try XCTUnwrap(
            Linter(layout).run().first { $0.id == .missingReduction && $0.path == "inception_3a/5x5/0" })
        XCTAssertTrue(lint.measured.contains("with a 1x1 to 48 first"), lint.measured)
        try layout.toggleReduction(at: branch)
        XCTAssertEqual(layout.width(at: try XCTUnwrap(layout.address(ofPath: "inception_3a/5x5/0"))), 48)
        XCTAssertNil(
            layout.proposedReductionWidth(at: try XCTUnwrap(layout.address(ofPath: "inception_3a/1x1"))),
            "no spatial conv there")
    }
}
