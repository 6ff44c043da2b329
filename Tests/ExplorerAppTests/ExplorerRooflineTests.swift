import ExplorerApp
import Foundation
import InceptionCore
import TerminalUI
import XCTest

/// `o` (the roofline overlay), the time deltas after re-runs and edits, and the activation-memory
/// delta, through the screen as a user sees it (FixedTimer stands in for the engine).
final class ExplorerRooflineTests: XCTestCase {
    func testRooflineKeyIsInTheTableUnderRun() {
        XCTAssertEqual(KeyMap.normal.action(for: .char("o")), .roofline)
        XCTAssertTrue(KeyMap.normal.helpLines(ascii: true).contains { $0.contains("roofline of the last timing") })
    }

    func testRooflineBeforeAnyTimingSaysPressRFirst() throws {
        let h = try Harness(timer: FixedTimer())
        h.go(to: "inception_3a")
        h.press(.char("o"))
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(h.screen.line(31).contains("no timing of inception_3a yet: press r first"), h.screen.line(31))
    }

    func testRooflineOverlayShowsEveryConvOfTheTimedBlockAndEscCloses() throws {
        let h = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer())
        h.go(to: "inception_3a/3x3/0")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertTrue(h.screen.line(39).contains("o: roofline"), h.screen.line(39))
        h.press(.char("o"))
        XCTAssertEqual(h.explorer.state.mode, .roofline(offset: 0))
        let text = h.text
        XCTAssertTrue(text.contains("Roofline of inception_3a (q or Esc closes)"), text)
        // FixedTimer's machine: 113 GFLOP/s and 25 GB/s, so the ridge is 4.52 FLOP/B = 2.26 MAC/B.
        XCTAssertTrue(text.contains("peak 113.0 GFLOP/s, bandwidth 25.0 GB/s, ridge 2.26 MAC/B (4.52 FLOP/B)"), text)
        // 3x3/1: 96 → 128, 3x3 on 28x28: 86,704,128 MACs over (75,264 + 100,352 + 110,720 params) x 4
        // = 1,145,344 bytes = 75.7 MAC/B, compute-bound; FixedTimer runs every layer at 200 GFLOP/s.
        let row = h.line(containing: " 3x3[1] ")
        XCTAssertTrue(row.contains(" 75.7 ") && row.contains(" 200.0 ") && row.contains(" cmp "), row)
        // Bug 12: index steps read "[0]", so "3x3/0" cannot be taken for a 3x3 conv of stride 0.
        for name in ["1x1[0]", "3x3[0]", "5x5[0]", "5x5[1]", "pool_proj[1]"] {
            XCTAssertFalse(h.line(containing: " \(name) ").isEmpty, name)
        }
        XCTAssertFalse(text.contains("3x3/0"), text)
        h.press(.escape)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertFalse(h.text.contains("Roofline of"))
    }

    func testRooflineInASCIIHasNoUnicode() throws {
        let h = try Harness(size: Size(width: 80, height: 40), timer: FixedTimer(), ascii: true)
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        h.press(.char("o"))
        if ProcessInfo.processInfo.environment["SHOW_ROOFLINE"] != nil { print(h.text) }
        let overlay = h.screen.lines.filter { $0.contains("MAC/B") || $0.contains(" cmp ") }
        XCTAssertFalse(overlay.isEmpty)
        for line in overlay { XCTAssertTrue(line.allSatisfy(\.isASCII), line) }
    }

    func testReRunAfterAnEditShowsTheTimeDeltaAndUndoKnowsItToo() throws {
        // The median follows the MACs at 20 ms per GMAC. inception_3a: 128,049,152 MACs → 2.561 ms.
        // Widening 3x3/1 from 128 to 136 adds 8 x 96 x 9 x 784 = 5,419,008 MACs → 2.669 ms:
        // +0.108 ms, +4.2% (and −4.1% back).
        let h = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer(msPerGMAC: 20))
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        h.press(.char("+"))
        XCTAssertTrue(h.screen.line(39).contains("time: stale, r re-times"), h.screen.line(39))
        XCTAssertTrue(h.text.contains("MACs since: +5,419,008 (+4.2%)"), h.text)
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertTrue(h.screen.line(39).contains("vs previous run: +0.108 ms (+4.2%)"), h.screen.line(39))
        XCTAssertTrue(h.line(containing: "vs previous run:").contains("+0.108 ms (+4.2%)"), h.text)
        XCTAssertFalse(h.text.contains("MACs since"), "fresh again")
        h.press(.char("u"))
        XCTAssertTrue(h.screen.line(39).contains("time -0.108 ms (-4.1%)"), h.screen.line(39))
    }

    func testFeatureMapsPanelShowsActivationMemoryAgainstTheLoadedLayout() throws {
        let h = try Harness(size: Size(width: 100, height: 40))
        h.go(to: "conv2_reduce")
        XCTAssertEqual(h.screen.lines.filter { $0.contains("vs load") }.count, 0)
        h.press(.char("+"))
        // conv2_reduce 64 → 72 wide on 56x56: 8 x 56 x 56 x 4 bytes = 100,352 B = 98.00 KiB more; conv2
        // after it keeps its width, so nothing else changes size.
        let rows = h.screen.lines.filter { $0.contains("vs load") }
        XCTAssertEqual(rows.count, 3, "Parameters, Compute and Feature maps")
        XCTAssertTrue(rows.last?.contains("+98.00 KiB") ?? false, h.text)
    }
}
