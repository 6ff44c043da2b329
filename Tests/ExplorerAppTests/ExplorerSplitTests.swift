import Foundation
import InceptionCore
import TerminalUI
import XCTest

@testable import ExplorerApp

/// Issue 21: split blocks (InceptionNeXt's token mixer) in the explorer: the tree shows the split
/// with its sizes, and an edit that makes the sizes stop cutting the input is marked on the block in
/// red with the reason; `a` and `d` keep the split valid.
final class ExplorerSplitTests: XCTestCase {
    static func dw(_ c: Int, _ kh: Int, _ kw: Int) -> Layer {
        Layer(
            .conv(
                Conv(out: c, kernel: Pair(kh, kw), pad: .explicit(Pair(kh / 2, kw / 2)), activation: .none, groups: c)))
    }

    static let layout = Layout(
        name: "next-ish", input: Shape(3, 14, 14),
        layers: [
            Layer(name: "stem", .conv(Conv(out: 96, kernel: Pair(1, 1)))),
            Layer(
                name: "mixer",
                .block(
                    Block(
                        branches: [
                            Branch(name: "id", layers: []),
                            Branch(name: "hw", layers: [dw(12, 3, 3)]),
                            Branch(name: "w", layers: [dw(12, 1, 11)]),
                            Branch(name: "h", layers: [dw(12, 11, 1)]),
                        ], join: .split(sizes: [60, 12, 12, 12])))),
            Layer(name: "gap", .globalavgpool),
        ])

    func testTreeShowsTheSplitAndAnEditThatBreaksItIsMarked() throws {
        let h = Harness(
            layout: Self.layout, origin: DocumentOrigin(path: nil, exportDefault: "n.json", displayName: "n"),
            size: Size(width: 140, height: 32))
        h.press(.char("*"))
        XCTAssertTrue(h.line(containing: "split 60/12/12/12").contains("mixer"))
        XCTAssertTrue(h.line(containing: "identity").contains("id"))
        XCTAssertTrue(h.explorer.state.analysis.isValid)
        // Widen the stem: the sizes no longer cut its 104 channels.
        h.go(to: "stem")
        h.press(.char("+"))
        XCTAssertFalse(h.explorer.state.analysis.isValid)
        XCTAssertTrue(h.line(containing: "split 60/12/12/12").contains("✗ mixer"))
        XCTAssertEqual(
            h.explorer.state.analysis.errors.first?.message,
            "split 60/12/12/12: the sizes add up to 96 channels but the input has 104")
        h.press(.char("-"))
        XCTAssertTrue(h.explorer.state.analysis.isValid)
        // `a` on the split cuts a new slice from the identity's; `d` gives it back.
        h.go(to: "mixer")
        h.press(.char("a"))
        XCTAssertEqual(h.explorer.state.layout.layers[1].op.block?.join, .split(sizes: [30, 12, 12, 12, 30]))
        XCTAssertTrue(h.explorer.state.analysis.isValid, "\(h.explorer.state.analysis.errors)")
        XCTAssertTrue(h.line(containing: "split 30/12/12/12/30").contains("mixer"))
    }

    /// The diagram (`v`) draws the split on the block's bottom bus, as the SVG does.
    func testDiagramDrawsTheSplitAtTheBottom() throws {
        let h = Harness(
            layout: Self.layout, origin: DocumentOrigin(path: nil, exportDefault: "n.json", displayName: "n"),
            size: Size(width: 140, height: 40))
        h.go(to: "mixer")
        h.press(.char("v"))
        let bus = h.line(containing: "split 60/12/12/12")
        XCTAssertFalse(bus.isEmpty, h.text)
        let rows = h.text.components(separatedBy: "\n")
        let busRow = try XCTUnwrap(rows.firstIndex(of: bus))
        let joinRow = try XCTUnwrap(rows.firstIndex { $0.contains("concat") || $0.contains("Filter concatenation") })
        XCTAssertLessThan(joinRow, busRow, "the concatenation on top, the split below:\n\(h.text)")
    }
}
