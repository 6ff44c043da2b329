import XCTest

@testable import InceptionCore

final class EditTests: XCTestCase {
    func testWideningA3aBranchFlowsDownstream() throws {
        var layout = PaperNetworks.googlenet
        let branch = try XCTUnwrap(layout.address(ofPath: "inception_3a/1x1"))
        let target = try XCTUnwrap(layout.widthTarget(of: branch))
        XCTAssertEqual(layout.path(of: target), "inception_3a/1x1/0")
        XCTAssertTrue(layout.setWidth(at: target, to: 72))
        let a = Analysis(layout)
        // 3a's output grows by 8 channels: 256 → 264; 3b's 1x1 now sees 264 inputs.
        XCTAssertEqual(a.stats(path: "inception_3a")?.output, Shape(264, 28, 28))
        XCTAssertEqual(a.stats(path: "inception_3b")?.input, Shape(264, 28, 28))
        // 3a gains 8·192 weights + 8 biases; 3b's four input-side convs each gain 8·out weights
        // (1x1 128, 3x3-reduce 128, 5x5-reduce 32, pool proj 64).
        let base = Analysis(PaperNetworks.googlenet)
        XCTAssertEqual(a.stats(path: "inception_3a")!.params - base.stats(path: "inception_3a")!.params, 8 * 192 + 8)
        XCTAssertEqual(
            a.stats(path: "inception_3b")!.params - base.stats(path: "inception_3b")!.params, 8 * (128 + 128 + 32 + 64))
        XCTAssertEqual(
            a.stats(path: "inception_3b")!.macs - base.stats(path: "inception_3b")!.macs,
            8 * (128 + 128 + 32 + 64) * 28 * 28)
    }

    func testBranchWidthTargetSkipsTrailingPool() throws {
        let layout = Layout(
            name: "t", input: Shape(8, 8, 8),
            layers: [
                Layer(
                    name: "b",
                    .inception(branches: [
                        Branch(name: "p", layers: [PaperNetworks.conv(4, 1), PaperNetworks.maxpool(3, 1, pad: 1)]),
                        Branch(name: "q", layers: [PaperNetworks.maxpool(3, 1, pad: 1)]),
                    ]))
            ])
        XCTAssertEqual(
            layout.widthTarget(of: try XCTUnwrap(layout.address(ofPath: "b/p"))), layout.address(ofPath: "b/p/0"))
        XCTAssertNil(layout.widthTarget(of: try XCTUnwrap(layout.address(ofPath: "b/q"))))
        XCTAssertNil(layout.widthTarget(of: try XCTUnwrap(layout.address(ofPath: "b"))))
    }

    func testUndoRedoAndModifiedFollowTheHistory() throws {
        var history = EditHistory(PaperNetworks.googlenet)
        XCTAssertFalse(history.isModified)
        let target = try XCTUnwrap(history.current.address(ofPath: "inception_3a/1x1/0"))
        history.apply("w 72") { $0.setWidth(at: target, to: 72) }
        history.apply("w 80") { $0.setWidth(at: target, to: 80) }
        XCTAssertTrue(history.isModified)
        XCTAssertEqual(history.current.width(at: target), 80)
        XCTAssertEqual(history.undo(), "w 80")
        XCTAssertEqual(history.current.width(at: target), 72)
        history.undo()
        XCTAssertFalse(history.isModified)
        XCTAssertEqual(history.current, PaperNetworks.googlenet)
        XCTAssertEqual(history.redo(), "w 72")
        history.markSaved()
        XCTAssertFalse(history.isModified)
        history.undo()
        XCTAssertTrue(history.isModified)
        // A new edit drops the redo tail.
        history.apply("w 64→65") { $0.setWidth(at: target, to: 65) }
        XCTAssertFalse(history.canRedo)
        XCTAssertTrue(history.isModified)
        // An edit that changes nothing is not recorded.
        let count = history.states.count
        history.apply("same") { $0.setWidth(at: target, to: 65) }
        XCTAssertEqual(history.states.count, count)
    }

    func testSetWidthRefusesNonWidthNodes() throws {
        var layout = PaperNetworks.googlenet
        let pool = try XCTUnwrap(layout.address(ofPath: "pool1"))
        XCTAssertFalse(layout.setWidth(at: pool, to: 3))
        XCTAssertEqual(layout, PaperNetworks.googlenet)
    }
}
