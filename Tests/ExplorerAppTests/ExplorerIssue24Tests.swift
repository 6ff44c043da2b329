@testable import ExplorerApp
import InceptionCore
import InceptionWeights
import TerminalUI
import XCTest

/// Issue 24 (a new user's session): messages that were lost or cut, labels that merged, keys
/// that surprised. Each test failed before its fix.
final class ExplorerIssue24Tests: XCTestCase {
    // MARK: item 4 — a message cut at 80 columns could not be read

    func testACutMessageSaysWhereToReadItAndLShowsItWhole() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("+"))
        let whole = try XCTUnwrap(h.explorer.state.message?.text)
        XCTAssertFalse(h.status.contains(whole), "the message is cut at 80 columns: " + h.status)
        XCTAssertTrue(h.status.contains("(L log)"), h.status)
        h.press(.char("L"))
        XCTAssertEqual(h.explorer.state.mode.isOverlay, true)
        XCTAssertTrue(h.text.contains("Messages, newest last"), h.text)
        // Wrapped, never cut: every word of the message is on the screen.
        let shown = h.text.split(separator: "\n").joined(separator: " ")
        for word in whole.split(separator: " ") { XCTAssertTrue(shown.contains(word), "\(word) in\n" + h.text) }
        h.press(.escape)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        // The log keeps earlier messages too, oldest first.
        h.press(.char("u"))
        let last = h.explorer.state.messageLog.suffix(2).map(\.text)
        XCTAssertTrue(last.first?.hasPrefix("inception_3a/3x3/1: width 128 to 136") ?? false, "\(last)")
        XCTAssertTrue(last.last?.hasPrefix("undo: inception_3a/3x3/1 back to width 128") ?? false, "\(last)")
    }

    // MARK: item 5 — R on a block put the network's time only in the status line

    func testRWithABlockSelectedShowsTheNetworkInTheForwardPassPanel() throws {
        let h = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer(medianMs: 12.5))
        h.go(to: "inception_3a")
        h.press(.char("R"))
        try h.explorer.waitForTiming()
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a")
        XCTAssertTrue(h.line(containing: "network median").contains(NumberFormat.milliseconds(12.5)), "\n" + h.text)
    }

    // MARK: item 6 — labels cut to fixed widths merged siblings

    func testComputeSharesAndFeatureMapsKeepLongSiblingNamesApart() throws {
        let h = try Harness(size: Size(width: 200, height: 60))
        for (i, branch) in ["1x1", "3x3", "5x5", "pool_proj"].enumerated() {
            h.go(to: "inception_3a/\(branch)")
            h.press(.function(2), .ctrl("u"))
            h.type("branch3x3dbl_\(i)")
            h.press(.enter)
        }
        h.go(to: "inception_3a/branch3x3dbl_1/1")
        // At 200 columns the names are whole.
        for i in 0..<4 { XCTAssertTrue(h.text.contains("branch3x3dbl_\(i) "), "\n" + h.text) }
        // At 80 columns they are trimmed in the middle: the ends that differ stay.
        h.size = Size(width: 80, height: 40)
        let shares = h.text.split(separator: "\n").filter { $0.contains("%│") }
        XCTAssertEqual(shares.count, 4, "\n" + h.text)
        for i in 0..<4 { XCTAssertTrue(shares[i].contains("_\(i) "), String(shares[i])) }
    }

    func testTreeNamesAreTrimmedInTheMiddle() {
        let row = TreeRow(depth: 0, name: "branch7x7x3_1_with_a_long_tail_3", nameStyle: .normal, hasChildren: false,
                          isExpanded: false, cells: [])
        var buffer = Buffer(size: Size(width: 16, height: 1))
        buffer.render(TreeView(rows: [row], treeColumn: Column("name", width: .fill), columns: [], showHeader: false,
                               selected: nil, offset: 0, glyphs: .unicode), in: buffer.area)
        XCTAssertEqual(buffer.line(0), "  branch7…tail_3")
    }

    // MARK: item 7 — numbers cut mid-digit

    func testANumberTooLongForThePanelIsHumanizedNotCut() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        let screen = Screen(state: h.explorer.state, viewport: Viewport(size: Size(width: 80, height: 24)),
                            capabilities: h.capabilities)
        // At 80 columns a panel holds 28: "network  " and 25 digits with separators do not fit.
        XCTAssertEqual(screen.viewport.panelTextWidth, 28)
        let n = 1_234_567_890_123_456_789
        XCTAssertEqual(screen.countRow("network", n).map(\.text).joined(), "network  " + NumberFormat.humanized(n))
        // One that fits stays exact, with its humanized figure beside it when that fits too.
        XCTAssertEqual(screen.countRow("network", 6_998_552).map(\.text).joined(), "network  6,998,552  7.00M")
    }

    // MARK: items 10, 11 — what undo went to; a rename's counts; `=` with nothing to compare

    func testUndoSaysWhatTheWidthWentBackTo() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("+"), .char("+"), .char("u"))
        XCTAssertTrue(h.status.hasPrefix("undo: inception_3a/3x3/1 back to width 136 | params -"), h.status)
        h.press(.char("u"))
        XCTAssertTrue(h.status.hasPrefix("undo: inception_3a/3x3/1 back to width 128 | params -"), h.status)
    }

    func testARenameSaysNothingOfCountsThatDidNotChange() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3")
        h.press(.function(2), .ctrl("u"))
        h.type("wide")
        h.press(.enter)
        let message = try XCTUnwrap(h.explorer.state.message?.text)
        XCTAssertFalse(message.contains("params"), message)
        XCTAssertFalse(message.contains("0.0%"), message)
    }

    func testCompareWithNoEditsSaysSo() throws {
        let h = try Harness()
        h.press(.char("="))
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(h.status.hasPrefix("no changes since load"), h.status)
    }

    // MARK: item 12 — "block ×4" read as "repeated 4 times"

    func testABlockRowSaysItsBranches() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        XCTAssertTrue(h.line(containing: "inception_3a").contains("4 branches"), h.text)
        XCTAssertFalse(h.text.contains("block ×4"))
    }

    // MARK: item 13 — the search count as you type; Tab and builtin: names

    func testSearchCountShowsAsYouType() throws {
        let h = try Harness()
        h.press(.char("/"))
        h.type("incep")
        // GoogLeNet has nine inception blocks (3a, 3b, 4a-4e, 5a, 5b).
        XCTAssertTrue(h.status.hasSuffix("1 of 9"), h.status)
        h.type("z")
        XCTAssertTrue(h.status.hasSuffix("no match"), h.status)
    }

    func testTabCompletesBuiltinNamesInTheOpenPrompt() throws {
        let h = try Harness()
        h.press(.char("O"))
        h.type("builtin:g")
        h.press(.tab)
        guard case .prompt(_, let p) = h.explorer.state.mode else { return XCTFail("prompt closed") }
        XCTAssertEqual(p.text, "builtin:googlenet")
        h.press(.ctrl("u"))
        h.type("bui")
        h.press(.tab)
        // Every built-in: the common prefix, and the candidates listed beside the prompt, in order
        // (as many as the line holds).
        let names = BuiltInLayout.allCases.map { "builtin:" + $0.rawValue }.sorted()
        XCTAssertGreaterThan(names.count, 2)
        guard case .prompt(_, let q) = h.explorer.state.mode else { return XCTFail("prompt closed") }
        XCTAssertEqual(q.text, "builtin:")
        XCTAssertEqual(h.explorer.state.completions, names)
        XCTAssertTrue(h.status.contains(names.prefix(2).joined(separator: "  ")), h.status)
    }

    // MARK: item 14 — an edited imported model runs partly on seeded weights

    func testTimingAnEditedImportedModelSaysEditedLayersRanSeeded() throws {
        let h = try Harness(timer: FixedTimer())
        h.explorer.state.modelWeights = ModelWeights(origin: "model.onnx", layers: [:])
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertFalse(h.explorer.state.message?.text.contains("seeded") ?? true)
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"), .char("r"))
        try h.explorer.waitForTiming()
        XCTAssertTrue(h.explorer.state.message?.text.contains("edited layers ran on seeded weights") ?? false,
                      h.explorer.state.message?.text ?? "")
    }
}
