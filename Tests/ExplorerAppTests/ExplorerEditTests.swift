import Foundation
import InceptionCore
import TerminalUI
import XCTest

@testable import ExplorerApp

final class ExplorerEditTests: XCTestCase {
    func testWideningA3aBranchUpdatesEveryPanelExactly() throws {
        let h = try Harness()
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"))
        // 1x1 branch 64 → 72: its conv gains 8·192 weights + 8 biases = 1,544 params (12,352 → 13,896);
        // 3a: 163,696 → 165,240; 3b's four input-side convs gain 8·(128+128+32+64) = 2,816 params;
        // the network: 6,998,552 + 1,544 + 2,816 = 7,002,912.
        XCTAssertTrue(h.line(containing: "node ").contains("13,896"), h.text)
        XCTAssertTrue(h.line(containing: "block ").contains("165,240"))
        XCTAssertTrue(h.line(containing: "network ").contains("7,002,912"))
        XCTAssertTrue(h.screen.line(0).contains("[modified]"))
        XCTAssertTrue(h.text.contains("264x28x28"), "3a's output grows by 8 channels")
        XCTAssertEqual(h.explorer.state.analysis.stats(path: "inception_3b")?.input, Shape(264, 28, 28))
        // MACs: 3a's 1x1 gains 8·192·28·28 = 1,204,224; 3b gains 2,816·28·28 = 2,207,744.
        XCTAssertEqual(h.explorer.state.analysis.totals.macs, 1_582_671_872 + 1_204_224 + 2_207_744)
        XCTAssertTrue(h.screen.line(31).contains("params +4,360"), h.screen.line(31))

        h.press(.char("-"), .char("-"))
        XCTAssertEqual(
            h.explorer.state.layout.width(at: h.explorer.state.layout.address(ofPath: "inception_3a/1x1/0")!), 56)
    }

    func testNarrowNeverGoesBelowOne() throws {
        let h = try Harness()
        h.go(to: "inception_3a/5x5/0")  // 16 wide
        h.press(.char("-"), .char("-"), .char("-"))
        XCTAssertEqual(h.explorer.state.layout.width(at: h.explorer.state.selection), 1)
    }

    func testUndoRedoFollowHistoryAndTitle() throws {
        let h = try Harness()
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"), .char("+"))
        h.press(.char("u"))
        XCTAssertTrue(h.line(containing: "network ").contains("7,002,912"))
        h.press(.char("u"))
        XCTAssertTrue(h.line(containing: "network ").contains("6,998,552"))
        XCTAssertFalse(h.screen.line(0).contains("[modified]"))
        h.press(.ctrl("r"))
        XCTAssertTrue(h.screen.line(0).contains("[modified]"))
        XCTAssertTrue(h.line(containing: "network ").contains("7,002,912"))
    }

    func testWidthPromptAcceptsOnlyPositiveIntegers() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("w"))
        XCTAssertTrue(h.screen.line(31).contains("width of inception_3a/3x3/1: 128"))
        h.press(.ctrl("u"))
        // Issue 24 item 9: a width prompt takes digits only; other keys are dropped as typed.
        h.type("a-b.c 1x2")
        guard case .prompt(_, let typed) = h.explorer.state.mode else { return XCTFail("prompt closed") }
        XCTAssertEqual(typed.text, "12")
        h.press(.ctrl("u"))
        h.press(.enter)
        XCTAssertTrue(h.screen.line(31).contains("width must be a positive integer, got \"\"; nothing changed"))
        XCTAssertFalse(h.explorer.state.history.isModified)
        for bad in ["0", "00", ""] {
            h.press(.char("w"), .ctrl("u"))
            h.type(bad)
            h.press(.enter)
            XCTAssertFalse(h.explorer.state.history.isModified, bad)
        }
        h.press(.char("w"), .ctrl("u"))
        h.type("100")
        h.press(.escape)
        XCTAssertFalse(h.explorer.state.history.isModified)
        h.press(.char("w"), .ctrl("u"))
        h.type("100")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.layout.width(at: h.explorer.state.selection), 100)
    }

    func testInvalidLayoutIsShownAndCannotBeWritten() throws {
        let h = try Harness()
        // The width keys cannot make a layout invalid, so make an invalid step directly in the
        // history (as the kernel edits of the design tools can): conv1 with a 500x500 kernel.
        h.go(to: "conv1")
        var layout = h.explorer.state.layout
        layout.modifyLayer(at: h.explorer.state.selection) { l in
            if case .conv(var c) = l.op { c.kernel = Pair(500, 500); l.op = .conv(c) }
        }
        h.explorer.state.history.push(layout, label: "kernel 500")
        h.explorer.state.refresh()
        let row = h.line(containing: "\(Glyphs.unicode.errorMark) conv1")
        XCTAssertTrue(row.contains("\(Glyphs.unicode.errorMark) conv1"), row)
        h.press(.char("s"))
        XCTAssertTrue(
            h.screen.line(31).contains("cannot save an invalid layout: conv1: kernel 500x500 is larger"),
            h.screen.line(31))
    }

    func testQuitAsksOnlyWithUnsavedEdits() throws {
        let h = try Harness()
        h.press(.char("q"))
        XCTAssertTrue(h.explorer.shouldQuit)
        let g = try Harness()
        g.go(to: "conv1")
        g.press(.char("+"), .char("q"))
        XCTAssertFalse(g.explorer.shouldQuit)
        XCTAssertTrue(g.screen.line(31).contains("quit without saving?"))
        g.press(.char("n"))
        XCTAssertFalse(g.explorer.shouldQuit)
        g.press(.ctrl("c"), .char("y"))
        XCTAssertTrue(g.explorer.shouldQuit)
    }
}
