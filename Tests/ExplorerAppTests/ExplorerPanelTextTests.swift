import Foundation
import InceptionCore
import InceptionWeights
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// What the panels and tree rows say: words and numbers whole (wrapped or humanized, never cut), names
/// trimmed in the middle so siblings stay apart, an invalid layout's reason whole with its branch
/// marked, and the root's panels. Each test failed before its fix (issues 11 and 24).
final class ExplorerPanelTextTests: XCTestCase {
    // MARK: wrapped whole

    /// The panel's text lines between its top border and the next box.
    func panel(_ title: String, _ h: Harness) -> [String] {
        let lines = h.screen.lines
        guard let top = lines.firstIndex(where: { $0.contains("┌ \(title)") }) else { return [] }
        let x =
            (lines[top].range(of: "┌ \(title)")).map {
                lines[top].distance(from: lines[top].startIndex, to: $0.lowerBound)
            } ?? 0
        var out: [String] = []
        for line in lines[(top + 1)...] {
            let cells = Array(line)
            guard cells.count > x, cells[x] == "│" else { break }
            let inner = String(cells[(x + 1)...].prefix { $0 != "│" })
            out.append(inner.trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    func testLintsPanelWrapsWholeWordsAndTakesTheSpareRows() throws {
        let h = try Harness(size: Size(width: 120, height: 40))
        h.go(to: "inception_3a/5x5/1")
        let lint = try XCTUnwrap(h.explorer.state.lints.first { $0.path == "inception_3a/5x5/1" })
        let shown = panel("Lints", h)
        XCTAssertGreaterThan(shown.count, 1, "more than one line: \(shown)")
        let full = "\(lint.id.rawValue) 1: \(lint.measured)"
        let joined = shown.filter { !$0.isEmpty }.joined(separator: " ")
        XCTAssertTrue(full.hasPrefix(joined), "\(joined)\n\(full)")
        // Every line ends at a word boundary of the full text.
        var consumed = ""
        for line in shown where !line.isEmpty {
            consumed += (consumed.isEmpty ? "" : " ") + line
            let next = full.dropFirst(consumed.count).first
            XCTAssertTrue(next == nil || next == " ", "cut mid-word after \"\(line)\"")
        }
    }

    func testANumberTooLongForThePanelIsHumanizedNotCut() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        let screen = Screen(
            state: h.explorer.state, viewport: Viewport(size: Size(width: 80, height: 24)),
            capabilities: h.capabilities)
        // At 80 columns a panel holds 28: "network  " and 25 digits with separators do not fit.
        XCTAssertEqual(screen.viewport.panelTextWidth, 28)
        let n = 1_234_567_890_123_456_789
        XCTAssertEqual(screen.countRow("network", n).map(\.text).joined(), "network  " + NumberFormat.humanized(n))
        // One that fits stays exact, with its humanized figure beside it when that fits too.
        XCTAssertEqual(screen.countRow("network", 6_998_552).map(\.text).joined(), "network  6,998,552  7.00M")
    }

    // MARK: an invalid layout says why

    /// inception_3a with its 3x3 branch at stride 2: the block's branches disagree (28x28 vs 14x14).
    func brokenGoogLeNet() throws -> InceptionCore.Layout {
        var layout = try LayoutSource.load("builtin:googlenet").layout
        let address = try XCTUnwrap(layout.address(ofPath: "inception_3a/3x3/1"))
        layout.modifyLayer(at: address) { l in
            if case .conv(var c) = l.op { c.stride = Pair(2, 2); l.op = .conv(c) }
        }
        return layout
    }

    func testAnInvalidFileSaysWhyAtOnceAndMarksTheOffendingBranch() throws {
        let h = Harness(
            layout: try brokenGoogLeNet(),
            origin: DocumentOrigin(path: nil, exportDefault: "x.json", displayName: "x.json"))
        let error = try XCTUnwrap(h.explorer.state.analysis.errors.first)
        XCTAssertEqual(error.location, "inception_3a")
        // On the first screen, nothing selected yet: the status line says why.
        XCTAssertTrue(h.status.contains("invalid: inception_3a: branch \"3x3\" outputs 14x14"), h.status)
        XCTAssertEqual(h.screen.styledRuns(row: 31).first { $0.text.contains("invalid") }?.style.role, .error)
        // The block is open on the first screen: the 3x3 branch that differs is marked, the others not.
        XCTAssertTrue(
            h.line(containing: "3x3 ").contains("\(Glyphs.unicode.errorMark) 3x3"), h.line(containing: "3x3 "))
        XCTAssertFalse(h.line(containing: "1x1  ").contains(Glyphs.unicode.errorMark), h.line(containing: "1x1  "))
        XCTAssertTrue(h.line(containing: "inception_3a").contains("\(Glyphs.unicode.errorMark) inception_3a"))
    }

    func testAShapeErrorsReasonWrapsWholeInTheFeatureMapsPanel() throws {
        let h = Harness(
            layout: try brokenGoogLeNet(),
            origin: DocumentOrigin(path: nil, exportDefault: "x.json", displayName: "x.json"),
            size: Size(width: 80, height: 40))
        h.go(to: "inception_3a")
        let reason = try XCTUnwrap(h.explorer.state.analysis.stats(path: "inception_3a")?.error)
        let shown = panel("Feature maps", h).joined(separator: " ")
        XCTAssertTrue(shown.contains(reason), "\(shown)\n\(reason)")
    }

    func testProblemsViewShowsEveryProblemWholeAndEnterJumps() throws {
        let h = Harness(
            layout: try brokenGoogLeNet(),
            origin: DocumentOrigin(path: nil, exportDefault: "x.json", displayName: "x.json"))
        h.press(.char("p"))
        guard case .problems = h.explorer.state.mode else { return XCTFail("\(h.explorer.state.mode)") }
        XCTAssertTrue(h.text.contains("Problems: 1 error, 0 lints"), h.text)
        let reason = try XCTUnwrap(h.explorer.state.analysis.errors.first?.message)
        let overlayText = h.screen.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        for word in reason.split(separator: " ") { XCTAssertTrue(overlayText.contains(word), String(word)) }
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a")
        XCTAssertTrue(h.status.contains("1 of 1"), h.status)
    }

    // MARK: names and rows

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
        let row = TreeRow(
            depth: 0, name: "branch7x7x3_1_with_a_long_tail_3", nameStyle: .normal, hasChildren: false,
            isExpanded: false, cells: [])
        var buffer = Buffer(size: Size(width: 16, height: 1))
        buffer.render(
            TreeView(
                rows: [row], treeColumn: Column("name", width: .fill), columns: [], showHeader: false,
                selected: nil, offset: 0, glyphs: .unicode), in: buffer.area)
        XCTAssertEqual(buffer.line(0), "  branch7…tail_3")
    }

    func testABlockRowSaysItsBranches() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        XCTAssertTrue(h.line(containing: "inception_3a").contains("4 branches"), h.text)
        XCTAssertFalse(h.text.contains("block ×4"))
    }

    // MARK: the network row and its panels

    func testRootParametersPanelShowsTheNetworksBatchnormBuffers() throws {
        // Inception-v3: 34,432 running mean/var values (two per batchnorm channel).
        let h = try Harness(.inceptionV3)
        h.press(.home)
        XCTAssertEqual(h.explorer.state.analysis.totals.buffers, 34_432)
        let row = panel("Parameters", h).first { $0.hasPrefix("bn buf") } ?? ""
        XCTAssertTrue(row.contains("34,432"), row)
        XCTAssertFalse(row.contains("bn buf   0"), row)
    }

    func testTheRootsForwardPanelSaysROrROnce() throws {
        let h = try Harness()
        h.press(.home)
        let lines = panel("Forward pass", h)
        XCTAssertEqual(lines.filter { !$0.isEmpty }, ["r / R: time the network"])
    }

    func testRWithABlockSelectedShowsTheNetworkInTheForwardPassPanel() throws {
        let h = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer(medianMs: 12.5))
        h.go(to: "inception_3a")
        h.press(.char("R"))
        try h.explorer.waitForTiming()
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a")
        XCTAssertTrue(h.line(containing: "network median").contains(NumberFormat.milliseconds(12.5)), "\n" + h.text)
    }
}
