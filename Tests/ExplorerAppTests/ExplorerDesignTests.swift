import Foundation
import InceptionCore
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

final class ExplorerDesignTests: XCTestCase {
    /// Bug 10: the large-kernel lint proposes two 3x3 with intermediate width 16 on inception_3a's
    /// 5x5 (16 -> 32: min(in, out) = 16, params 12,832 -> 6,960); `f` used to offer 32 and make the
    /// network bigger. Its default is now the lint's width, and accepting it gives the lint's figures.
    func testFactorizeDefaultIsTheLintsWidthAndGivesTheLintsFigures() throws {
        let h = try Harness()
        h.go(to: "inception_3a/5x5/1")
        let lint = try XCTUnwrap(
            h.explorer.state.lints.first { $0.id == .largeKernel && $0.path == "inception_3a/5x5/1" })
        XCTAssertTrue(lint.suggestion.contains("intermediate width 16"), lint.suggestion)
        XCTAssertTrue(lint.measured.contains("params 12,832 -> 6,960"), lint.measured)
        h.press(.char("f"))
        XCTAssertTrue(h.screen.line(31).contains("intermediate width: 16"), h.screen.line(31))
        h.press(.enter)
        // (16·9·16 + 16) + (16·9·32 + 32) = 2,320 + 4,640 = 6,960 against 12,832: -5,872.
        XCTAssertEqual(h.explorer.state.analysis.totals.params, 6_998_552 - 5_872)
        XCTAssertTrue(h.screen.line(31).contains("params -5,872"), h.screen.line(31))
    }

    func testFactorizeThe5x5OfInception3aWithIntermediate32() throws {
        let h = try Harness()
        let before = LayoutCodec.encode(h.explorer.state.layout)
        h.go(to: "inception_3a/5x5/1")
        h.press(.char("f"), .ctrl("u"))
        h.type("32")
        h.press(.enter)
        // 5x5 16→32 with bias: 16·25·32 + 32 = 12,832 params; two 3x3 with the intermediate at 32:
        // (16·9·32 + 32) + (32·9·32 + 32) = 4,640 + 9,248 = 13,888: +1,056.
        let a = h.explorer.state.analysis
        XCTAssertEqual(a.totals.params, 6_998_552 + 1_056)
        XCTAssertEqual(a.stats(path: "inception_3a")?.output, Shape(256, 28, 28), "shape preserved")
        XCTAssertTrue(h.screen.line(31).contains("params +1,056"), h.screen.line(31))
        h.press(.char("u"))
        XCTAssertEqual(LayoutCodec.encode(h.explorer.state.layout), before, "undo restores byte-identical JSON")
    }

    func testReductionToggleRemovesAndReinserts() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3")
        h.press(.char("x"))  // 3a's 3x3 branch has a 1x1 reduction: remove it, no question
        // Without the reduction the 3x3 sees all 192 channels: 192·9·128 + 128 = 221,312 params
        // instead of (192·96 + 96) + (96·9·128 + 128) = 129,248.
        XCTAssertEqual(h.explorer.state.analysis.stats(path: "inception_3a/3x3")?.params, 221_312)
        h.press(.char("x"))  // now naive: insert one, asking for its width (default 192 / 4 = 48)
        XCTAssertTrue(h.screen.line(31).contains("width: 48"), h.screen.line(31))
        h.press(.ctrl("u"))
        h.type("96")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.analysis.stats(path: "inception_3a/3x3")?.params, 129_248)
    }

    func testAddDeleteBranchAndDuplicateBlock() throws {
        let h = try Harness()
        h.go(to: "inception_3a")
        h.press(.char("a"))
        XCTAssertEqual(
            h.explorer.state.analysis.stats(path: "inception_3a")?.output, Shape(288, 28, 28), "new 1x1 branch of 32")
        h.press(.char("d"))
        XCTAssertEqual(h.explorer.state.analysis.stats(path: "inception_3a")?.output, Shape(256, 28, 28))
        h.go(to: "inception_3b")
        h.press(.char("c"))
        // The copy sees 3b's 480 output channels (3b itself sees 256): 1x1 480·128+128 = 61,568;
        // 3x3 (480·128+128) + (128·9·192+192) = 282,944; 5x5 (480·32+32) + (32·25·96+96) = 92,288;
        // pool proj 480·64+64 = 30,784; in all 467,584, and it outputs 480 again.
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b_copy")
        XCTAssertEqual(h.explorer.state.analysis.totals.params, 6_998_552 + 467_584)
        XCTAssertTrue(h.explorer.state.analysis.isValid)
    }

    func testKernelChangeKeepsOutputSizeAndBadInputIsRefused() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("K"), .ctrl("u"))
        h.type("1x7")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.analysis.stats(path: "inception_3a/3x3/1")?.output, Shape(128, 28, 28))
        h.press(.char("K"), .ctrl("u"))
        h.type("big")
        h.press(.enter)
        XCTAssertTrue(h.screen.line(31).contains("kernel must be like 3, 5, 1x7 or 7x1"))
    }

    func testRefusalsSayWhy() throws {
        let h = try Harness()
        h.go(to: "pool1")
        h.press(.char("f"))
        XCTAssertTrue(h.screen.line(31).contains("select a conv to factorize"))
        h.go(to: "conv1")  // stride 2
        h.press(.char("f"))
        // Issue 24 item 9: refused at once, before a width is asked (it used to prompt first).
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertEqual(h.screen.styledRuns(row: 31).first?.style.role, .error)
        XCTAssertTrue(h.screen.line(31).contains("stride"), h.screen.line(31))
        XCTAssertFalse(h.explorer.state.history.isModified)
    }

    func testCompareOverlayAndLintsPanel() throws {
        let h = try Harness()
        XCTAssertTrue(h.text.contains("Lints (9)"), "GoogLeNet: one large-kernel lint per module (docs/lints.md)")
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"), .char("="))
        XCTAssertTrue(h.text.contains("Loaded vs current"))
        XCTAssertTrue(h.text.contains("inception_3a"))
        h.press(.escape)
        XCTAssertFalse(h.text.contains("Loaded vs current"))
    }

    /// A change line longer than the overlay wraps (QA: at 100 columns the 5x5 factorization's line
    /// was cut after its shapes, losing the params and MACs deltas at its end).
    func testCompareOverlayWrapsLongChangeLines() throws {
        let h = try Harness()
        h.go(to: "inception_3a/5x5/1")
        h.press(.char("f"), .enter, .char("="))
        let text = h.text
        XCTAssertTrue(text.contains("Loaded vs current"), text)
        // inception_3a/5x5/1: 5x5, 16 -> 32 (12,832 params) becomes 3x3 16 -> 16 (2,320) then 3x3 16 -> 32.
        XCTAssertTrue(text.contains("params 12,832 -> 2,320"), text)
        XCTAssertTrue(text.contains("MACs 10,035,200 -> 1,806,336"), text)
    }

    func testMarkdownReport() throws {
        let tmp = try TemporaryDirectory("ie-report")
        defer { tmp.remove() }
        let dir = tmp.url
        let layoutPath = dir.appendingPathComponent("g.json").path
        try Data(BuiltInLayout.googlenet.json.utf8).write(to: URL(fileURLWithPath: layoutPath))
        let h = try Harness(path: layoutPath)
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"), .char("m"))
        XCTAssertTrue(h.screen.line(31).contains(dir.appendingPathComponent("g.report.md").path))
        h.press(.enter)
        let report = try String(contentsOfFile: dir.appendingPathComponent("g.report.md").path, encoding: .utf8)
        XCTAssertTrue(report.contains("7,002,912"))
        XCTAssertTrue(report.contains("1. width of inception_3a/1x1/0: 64 to 72"), report)
        XCTAssertTrue(report.contains("large-kernel"))
    }

    /// Issue 24 item 15: edits are numbered 1. 2. (not "1. 1."), and a timing taken on a busy
    /// machine keeps its warning in the report as in the panel.
    func testMarkdownReportNumbersEditsAndKeepsTheBusyWarning() throws {
        let h = try Harness(timer: FixedTimer())
        h.explorer.loadAverage = { 7.5 }
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"), .char("+"), .char("r"))
        try h.explorer.waitForTiming()
        let report = h.explorer.reportMarkdown()
        XCTAssertTrue(
            report.contains("1. width of inception_3a/1x1/0: 64 to 72\n2. width of inception_3a/1x1/0: 72 to 80\n"),
            report)
        XCTAssertTrue(
            report.contains("inception_3a: the machine was busy (load 7.5 at start): times may be high."), report)
        XCTAssertTrue(report.contains("large-kernel"))
    }
}
