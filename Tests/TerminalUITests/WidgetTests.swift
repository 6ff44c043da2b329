import TerminalUI
import TestSupport
import XCTest

final class WidgetTests: XCTestCase {
    private func render(_ w: some Widget, width: Int, height: Int) -> Buffer {
        var b = Buffer(width: width, height: height)
        b.render(w, in: b.area)
        return b
    }

    func testBoxWithTitle() {
        let b = render(Box(title: "Params", glyphs: .unicode), width: 12, height: 3)
        XCTAssertEqual(b.lines, ["┌ Params ──┐", "│          │", "└──────────┘"])
        XCTAssertEqual(b.style(x: 2, y: 0)?.role, .title)
        XCTAssertEqual(b.style(x: 0, y: 1)?.role, .border)
        XCTAssertEqual(Box(glyphs: .unicode).inner(b.area), Rect(x: 1, y: 1, width: 10, height: 1))
    }

    func testBoxTruncatesTitleAndKeepsCorners() {
        let b = render(Box(title: "Parameters", glyphs: .unicode), width: 8, height: 2)
        XCTAssertEqual(b.lines, ["┌ Par… ┐", "└──────┘"])
        let ascii = render(Box(title: "Parameters", glyphs: .ascii), width: 10, height: 2)
        XCTAssertEqual(ascii.lines, ["+ Par... +", "+--------+"])
    }

    func testFitAlignsAndTruncates() {
        XCTAssertEqual(TextWidth.fit("ab", width: 6, alignment: .center, ellipsis: "…"), "  ab  ")
        XCTAssertEqual(TextWidth.fit("ab", width: 6, alignment: .right, ellipsis: "…"), "    ab")
        XCTAssertEqual(TextWidth.fit("abcdefgh", width: 5, ellipsis: "…"), "abcd…")
        XCTAssertEqual(TextWidth.fit("abcdefgh", width: 5, ellipsis: "…", truncation: .head), "…efgh")
        XCTAssertEqual(TextWidth.fit("abcdefgh", width: 5, ellipsis: "…", truncation: .middle), "ab…gh")
        XCTAssertEqual(TextWidth.fit("abcdefgh", width: 5, ellipsis: "..."), "ab...")
    }

    static let treeRows: [TreeRow] = [
        TreeRow(depth: 0, name: "net", hasChildren: true, isExpanded: true, cells: ["6.8M"]),
        TreeRow(depth: 1, name: "conv1", cells: ["9,472"]),
        TreeRow(depth: 1, name: "inc", hasChildren: true, isExpanded: true, cells: ["163.7K"]),
        TreeRow(depth: 2, name: "b1", nameStyle: Style(.error), cells: ["12"]),
        TreeRow(depth: 2, name: "b2", cells: ["34"]),
        TreeRow(depth: 1, name: "fc", hasChildren: true, isExpanded: false, cells: ["1.0M"]),
    ]

    func testTreeGuidesAndColumns() {
        let tree = TreeView(
            rows: Self.treeRows, columns: [Column("params", width: .fixed(6), alignment: .right)],
            selected: 2, glyphs: .unicode)
        let b = render(tree, width: 20, height: 7)
        XCTAssertEqual(
            b.lines,
            [
                "▾ net           6.8M",
                "├─  conv1      9,472",
                "├─▾ inc       163.7K",
                "│ ├─  b1          12",
                "│ └─  b2          34",
                "└─▸ fc          1.0M",
                "",
            ])
        XCTAssertEqual(b.style(x: 6, y: 3)?.role, .error, "name style kept")
        XCTAssertEqual(b.style(x: 0, y: 2)?.reverse, true, "selected row highlighted across")
        XCTAssertEqual(b.style(x: 19, y: 2)?.reverse, true)
        XCTAssertEqual(b.style(x: 0, y: 1)?.reverse, false)
    }

    func testTreeASCIIAndUnfocusedSelection() {
        let tree = TreeView(rows: Self.treeRows, selected: 0, focused: false, glyphs: .ascii)
        let b = render(tree, width: 12, height: 6)
        // Issue 24: "|-- inc" and "`-+ fc" ran guide and marker together (and "||-" beside a box).
        XCTAssertEqual(b.lines, ["[-] net", "+-     conv1", "+- [-] inc", "|  +-     b1", "|  `-     b2", "`- [+] fc"])
        XCTAssertEqual(b.style(x: 0, y: 0)?.underline, true)
        XCTAssertEqual(b.style(x: 0, y: 0)?.reverse, false)
    }

    func testTreeHeaderOffsetAndClickMapping() {
        let tree = TreeView(
            rows: Self.treeRows, treeColumn: Column("layer", width: .fill), showHeader: true,
            offset: 3, glyphs: .unicode)
        let area = Rect(x: 0, y: 0, width: 10, height: 3)
        var b = Buffer(width: 10, height: 3)
        b.render(tree, in: area)
        XCTAssertEqual(b.lines, ["layer", "│ ├─  b1", "│ └─  b2"])
        XCTAssertEqual(tree.rowIndex(atY: 2, in: area), 4)
        XCTAssertNil(tree.rowIndex(atY: 0, in: area), "header row")
        XCTAssertEqual(tree.visibleRows(in: area), 2)
    }

    func testScrollOffsetKeepsSelectionVisible() {
        XCTAssertEqual(Scroll.offset(selected: 10, current: 0, visible: 5, count: 20), 6)
        XCTAssertEqual(Scroll.offset(selected: 10, current: 0, visible: 5, count: 20, margin: 1), 7)
        XCTAssertEqual(Scroll.offset(selected: 0, current: 5, visible: 5, count: 20, margin: 1), 0)
        XCTAssertEqual(Scroll.offset(selected: 19, current: 0, visible: 5, count: 20, margin: 2), 15)
        XCTAssertEqual(Scroll.offset(selected: 7, current: 5, visible: 5, count: 20), 5, "already visible: no move")
        XCTAssertEqual(Scroll.offset(selected: 3, current: 9, visible: 10, count: 4), 0, "list shorter than view")
        XCTAssertEqual(Scroll.offset(selected: 3, current: 0, visible: 0, count: 4), 0)
        // Exhaustively: the selection is always inside the window and the offset in range.
        for count in 1...12 {
            for visible in 1...6 {
                for sel in 0..<count {
                    for current in -2...14 {
                        for margin in 0...3 {
                            let o = TreeView.scrollOffset(
                                selected: sel, current: current, visibleRows: visible,
                                rowCount: count, margin: margin)
                            XCTAssertTrue(o >= 0 && o <= max(0, count - visible))
                            XCTAssertTrue(sel >= o && sel < o + visible, "sel \(sel) off \(o) vis \(visible)")
                        }
                    }
                }
            }
        }
    }

    func testStatusBarHintsAndMessage() {
        let hints = [KeyHint(key: "q", label: "quit"), KeyHint(key: "?", label: "help")]
        let plain = render(StatusBar(hints: hints, glyphs: .unicode), width: 20, height: 1)
        XCTAssertEqual(plain.line(0), "q quit  ? help")
        XCTAssertEqual(plain.style(x: 0, y: 0)?.role, .key)
        XCTAssertEqual(plain.style(x: 2, y: 0)?.role, .normal)
        let msg = render(StatusBar(hints: hints, message: .error("bad kernel"), glyphs: .unicode), width: 32, height: 1)
        XCTAssertEqual(msg.line(0), "bad kernel        q quit  ? help")
        XCTAssertEqual(msg.style(x: 0, y: 0)?.role, .error)
        XCTAssertEqual(
            render(StatusBar(hints: hints, glyphs: .unicode), width: 10, height: 1).line(0), "q quit",
            "hints are dropped whole")
        XCTAssertEqual(
            render(
                StatusBar(hints: hints, message: StatusMessage("a long message"), glyphs: .unicode),
                width: 8, height: 1
            ).line(0), "a long …")
    }

    /// The core's messages carry "→" and "×"; with the ASCII set the status line spells them in
    /// ASCII (issue 24: design-move labels kept the arrow under --ascii), and UTF-8 keeps them.
    func testStatusBarSpellsTheCoresTypographyInASCII() {
        let message = StatusMessage("factorize 5x5 → 3x3 + 3x3 ×0.17 …")
        let ascii = render(StatusBar(hints: [], message: message, glyphs: .ascii), width: 60, height: 1).line(0)
        XCTAssertEqual(ascii.trimmingCharacters(in: .whitespaces), "factorize 5x5 -> 3x3 + 3x3 x0.17 ...")
        XCTAssertTrue(ascii.allSatisfy(\.isASCII), ascii)
        let unicode = render(StatusBar(hints: [], message: message, glyphs: .unicode), width: 60, height: 1).line(0)
        XCTAssertEqual(unicode.trimmingCharacters(in: .whitespaces), message.text)
    }

    func testOverlayCenteredBoxClearsUnderneath() {
        var b = Buffer(width: 20, height: 8)
        b.fill(b.area, with: "x")
        b.render(Overlay(title: "Help", text: ["a", "bb"], glyphs: .unicode), in: b.area)
        XCTAssertEqual(
            b.lines,
            [
                "xxxxxxxxxxxxxxxxxxxx",
                "xxxxxxxxxxxxxxxxxxxx",
                // The column beside each side is cleared too (issue 24: the panels' corners showed
                // down the overlay's right edge).
                "xxxx ┌ Help ──┐ xxxx",
                "xxxx │ a      │ xxxx",
                "xxxx │ bb     │ xxxx",
                "xxxx └────────┘ xxxx",
                "xxxxxxxxxxxxxxxxxxxx",
                "xxxxxxxxxxxxxxxxxxxx",
            ])
    }

    func testOverlayShowsMoreMarkWhenCut() {
        let overlay = Overlay(title: "Help", text: (0..<10).map { "line \($0)" }, glyphs: .unicode)
        let b = render(overlay, width: 30, height: 8)
        XCTAssertEqual(overlay.visibleLines(in: b.area), 4)
        XCTAssertNotNil(b.find("line 3"))
        XCTAssertNil(b.find("line 4"))
        XCTAssertNotNil(b.find("↓ more"))
        let scrolled = render(
            Overlay(title: "Help", text: (0..<10).map { "line \($0)" }, offset: 99, glyphs: .unicode),
            width: 30, height: 8)
        XCTAssertNotNil(scrolled.find("line 9"), "offset is clamped to the last page")
        XCTAssertNil(scrolled.find("more"))
    }

    func testTooSmallScreen() {
        let screen = TooSmallScreen(need: Size(width: 80, height: 24), have: Size(width: 20, height: 5))
        XCTAssertEqual(screen.message, "terminal too small (need 80x24, have 20x5); q quits")
        XCTAssertEqual(
            render(screen, width: 20, height: 5).lines,
            ["", " terminal too small", " (need 80x24, have", "   20x5); q quits", ""])
        XCTAssertEqual(render(screen, width: 1, height: 1).lines.count, 1)
        XCTAssertEqual(render(screen, width: 0, height: 0).lines, [])
    }

    func testTitleBarFillsRowInTitleStyle() {
        let b = render(
            TitleBar(left: "inception-explorer", right: "googlenet.json", glyphs: .unicode), width: 40, height: 1)
        XCTAssertEqual(b.line(0), " inception-explorer      googlenet.json")
        XCTAssertEqual(b.style(x: 39, y: 0), Style(.title, reverse: true))
    }

    func testEveryWidgetSurvivesTinyAreas() {
        let widgets: [any Widget] = [
            Box(title: "t", glyphs: .unicode),
            TreeView(
                rows: Self.treeRows, columns: [Column(width: .fixed(4))], showHeader: true, selected: 5,
                offset: 99, glyphs: .unicode),
            PromptView(label: "name: ", state: PromptState(text: "名前x")), ConfirmPrompt("quit?"),
            StatusBar(hints: [KeyHint(key: "q", label: "quit")], message: .error("e"), glyphs: .unicode),
            TitleBar(left: "l", right: "r", glyphs: .unicode), Overlay(title: "Help", text: ["a"], glyphs: .unicode),
            TooSmallScreen(need: Size(width: 80, height: 24), have: Size(width: 1, height: 1)),
            Paragraph(["one", "two"], offset: -3),
        ]
        for w in widgets {
            for (width, height) in [(0, 0), (1, 1), (2, 1), (1, 3), (3, 2), (5, 5)] {
                for area in [
                    Rect(x: 0, y: 0, width: width, height: height), Rect(x: -2, y: -1, width: 4, height: 3),
                    Rect(x: 3, y: 4, width: 10, height: 10),
                ] {
                    var b = Buffer(width: width, height: height)
                    w.render(in: area, buffer: &b)
                    XCTAssertTrue(b.lines.allSatisfy { TextWidth.of($0) <= width })
                }
            }
        }
    }
}

final class StatusBarPinnedTests: XCTestCase {
    /// Issue 11 bug 11: pinned hints (`? help`, `q quit`) stay however narrow the bar is; the
    /// others make room, and hints keep their table order.
    func testPinnedHintsStayWhenTheOthersDoNotFit() {
        let hints = [
            KeyHint(key: "/", label: "search"), KeyHint(key: "+", label: "width"),
            KeyHint(key: "f", label: "factorize"),
            KeyHint(key: "?", label: "help", pinned: true), KeyHint(key: "q", label: "quit", pinned: true),
        ]
        XCTAssertEqual(StatusBar.hintSpans(hints, width: 24).map(\.text).joined(), "/ search  ? help  q quit")
        XCTAssertEqual(StatusBar.hintSpans(hints, width: 16).map(\.text).joined(), "? help  q quit")
        XCTAssertEqual(
            StatusBar.hintSpans(hints, width: 100).map(\.text).joined(),
            "/ search  + width  f factorize  ? help  q quit")
        var b = Buffer(width: 40, height: 1)
        b.render(
            StatusBar(hints: hints, message: .error(String(repeating: "long message ", count: 5)), glyphs: .unicode),
            in: b.area)
        XCTAssertTrue(b.line(0).hasSuffix("? help  q quit"), b.line(0))
        XCTAssertTrue(b.line(0).hasPrefix("long message"), b.line(0))
    }
}

final class SnapshotDiffTests: XCTestCase {
    func testLineDiffNamesTheLinesThatDiffer() {
        XCTAssertNil(lineDiff(expected: "a\nb\n", actual: "a\nb\n"))
        XCTAssertEqual(lineDiff(expected: "a\nb\nc", actual: "a\nB\nc\nd"), "line 2\n- b\n+ B\nline 4\n- <none>\n+ d")
    }
}
