import Foundation
import InceptionCore
import TerminalUI
import XCTest

@testable import ExplorerApp

/// Issue 21: residual (sum) blocks in the explorer: the tree shows the join for what it is, and an
/// edit that breaks the sum is marked on the block and its branch, with the reason.
final class ExplorerResidualTests: XCTestCase {
    static let layout = Layout(
        name: "resnet-ish", input: Shape(32, 17, 17),
        layers: [
            Layer(
                name: "block35",
                .block(
                    Block(
                        branches: [
                            Branch(name: "shortcut", layers: []),
                            Branch(
                                name: "residual", scale: 0.17,
                                layers: [
                                    Layer(.conv(Conv(out: 16, kernel: Pair(1, 1)))),
                                    Layer(.conv(Conv(out: 32, kernel: Pair(1, 1), activation: .none))),
                                ]),
                        ], join: .sum(activation: .relu)))),
            Layer(name: "gap", .globalavgpool),
        ])

    func testTreeShowsTheJoinAndAWidthEditThatBreaksItIsMarked() throws {
        let h = Harness(
            layout: Self.layout, origin: DocumentOrigin(path: nil, exportDefault: "r.json", displayName: "r"),
            size: Size(width: 140, height: 32))
        h.press(.char("*"))
        XCTAssertTrue(h.line(containing: "residual ×0.17 → relu").contains("block35"))
        XCTAssertTrue(h.line(containing: "shortcut").contains("identity"))
        XCTAssertTrue(h.line(containing: "branch ×0.17").contains("residual"))
        // Widen the residual's last conv: the sum no longer agrees.
        h.go(to: "block35/residual/1")
        XCTAssertEqual(h.explorer.state.selection, NodeAddress([0, 1, 1]))
        h.press(.char("+"))
        XCTAssertFalse(h.explorer.state.analysis.isValid)
        // Marked in red where it fails: the block and the branch that disagrees.
        XCTAssertTrue(h.line(containing: "residual ×0.17 → relu").contains("✗ block35"))
        XCTAssertTrue(h.line(containing: "branch ×0.17").contains("✗ residual"))
        XCTAssertEqual(h.explorer.state.analysis.mismatchedBranches, [NodeAddress([0, 1])])
        XCTAssertTrue(
            h.explorer.state.analysis.errors.first?.message.hasPrefix("sum: branch \"residual\" outputs") ?? false)
        // `a` on the sum adds a branch as wide as the block; `d` removes it; both keep the join.
        h.press(.char("-"))
        XCTAssertTrue(h.explorer.state.analysis.isValid)
        h.go(to: "block35")
        h.press(.char("a"))
        XCTAssertEqual(h.explorer.state.layout.layers[0].op.block?.branches.count, 3)
        XCTAssertTrue(h.explorer.state.analysis.isValid, "\(h.explorer.state.analysis.errors)")
    }
}
