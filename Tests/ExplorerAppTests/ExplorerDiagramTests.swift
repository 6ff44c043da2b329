import ExplorerApp
import InceptionCore
import TerminalUI
import TestSupport
import XCTest

/// The diagram pane (issue 23): `v` draws the block holding the selection as the paper does —
/// the previous layer at the bottom, one column per branch, the join on top.
final class ExplorerDiagramTests: XCTestCase {
    func diagram(
        _ builtIn: BuiltInLayout = .googlenet, at path: String, size: Size, ascii: Bool = false
    ) throws -> Harness {
        let h = try Harness(builtIn, size: size, ascii: ascii)
        h.go(to: path)
        h.press(.char("v"))
        return h
    }

    func testInception3aGoldens() throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            let h = try diagram(at: "inception_3a/3x3/1", size: size)
            assertSnapshot(h.screen, named: "diagram-3a-\(size.width)x\(size.height)")
        }
        let ascii = try diagram(at: "inception_3a/3x3/1", size: Size(width: 120, height: 40), ascii: true)
        assertSnapshot(ascii.screen, named: "diagram-3a-ascii-120x40")
    }

    func testMixed7bGoldens() throws {
        for size in [Size(width: 80, height: 24), Size(width: 160, height: 50)] {
            let h = try diagram(.inceptionV3, at: "Mixed_7b/branch3x3/1/1x3/0", size: size)
            assertSnapshot(h.screen, named: "diagram-mixed7b-\(size.width)x\(size.height)")
        }
    }
}

/// What the keys do on the diagram: the selection is the tree's, so the panels follow and every
/// edit key acts on the box; the figure redraws on each key.
final class ExplorerDiagramKeyTests: XCTestCase {
    func open3a(
        _ path: String = "inception_3a/3x3/1", size: Size = Size(width: 120, height: 40),
        timer: (any ForwardTimer)? = nil
    ) throws -> Harness {
        let h = try Harness(.googlenet, size: size, timer: timer)
        h.go(to: path)
        h.press(.char("v"))
        return h
    }

    /// One table drives dispatch, hints and help: the diagram's keys leave the edit keys to the
    /// normal table, shadow nothing within themselves, and show in the ? overlay.
    func testTheDiagramKeyTable() {
        XCTAssertEqual(KeyMap.diagram.shadowedKeys, [])
        for c in "+wfxKadre" { XCTAssertNil(KeyMap.diagram.action(for: .char(c)), "\(c) must reach the normal table") }
        XCTAssertEqual(KeyMap.normal.action(for: .char("v")), .diagram)
        XCTAssertEqual(KeyMap.diagram.action(for: .char("v")), .close)
        let help = KeyMap.helpLines(ascii: false)
        XCTAssertTrue(help.contains("In the diagram (v)"))
        XCTAssertTrue(help.contains { $0.contains("z") && $0.contains("zoom: every layer, one box per branch") })
    }

    func testVTogglesBetweenTreeAndDiagramWithTheSameSelection() throws {
        let h = try open3a()
        XCTAssertTrue(h.text.contains("Diagram › inception_3a (every layer)"))
        XCTAssertTrue(h.text.contains("Filter concatenation 256x28x28"))
        XCTAssertTrue(h.text.contains("Previous layer 192x28x28"))
        XCTAssertFalse(h.text.contains("Layers ›"))
        h.press(.char("v"))
        XCTAssertTrue(h.text.contains("Layers › inception_3a › 3x3 › 1"), "back to the tree on the same node")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/3x3/1")
    }

    func testArrowsMoveBetweenBoxesAndThePanelsFollow() throws {
        let h = try open3a()
        h.press(.down)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/3x3/0", "below the 3x3 conv: its reduction")
        XCTAssertTrue(h.line(containing: "node ").contains("18,528"), "the panel shows the 1x1 reduce: 192x96 + 96")
        h.press(.up)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/3x3/1")
        h.press(.right)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/5x5/1")
        h.press(.left, .left)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/1x1/0")
        h.press(.up)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a", "above the columns: the join, the block itself")
        h.press(.down)
        XCTAssertTrue(h.explorer.state.selectedPath.hasPrefix("inception_3a/"), "back into a column")
    }

    func testEditKeysWorkOnTheDiagramAndMarkTheBoxes() throws {
        let h = try open3a()
        h.press(.char("+"))
        XCTAssertTrue(h.text.contains("~ 3x3 conv 136"), "the widened conv is marked changed:\n\(h.text)")
        XCTAssertTrue(h.text.contains("(+"), "with its delta")
        XCTAssertTrue(h.text.contains("Filter concatenation 264x28x28"), "the join's shape follows")
        h.press(.char("a"))
        XCTAssertTrue(h.text.contains("+ 1x1 32"), "the added branch is marked:\n\(h.text)")
        XCTAssertTrue(h.text.contains("since loaded: ~ changed  + added"), "the marks' legend")
        h.press(.char("u"), .char("u"))
        XCTAssertTrue(h.text.contains("3x3 conv 128"))
        XCTAssertFalse(h.text.contains("~ "), "nothing marked once the edits are undone")
        // Delete the 5x5 branch from the diagram: its boxes stay, marked removed.
        h.go(to: "inception_3a/5x5/0")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/5x5/0")
        h.press(.char("d"))
        XCTAssertTrue(h.text.contains("− 5x5 conv 32"), "the removed branch shows where it was:\n\(h.text)")
        XCTAssertTrue(h.text.contains("Filter concatenation 224x28x28"))
        // K and w ask, as in the tree.
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("K"))
        h.press(.ctrl("u"))
        h.type("5")
        h.press(.enter)
        XCTAssertTrue(h.text.contains("~ 5x5 conv 128"), h.text)
        XCTAssertEqual(h.explorer.state.pane, .diagram, "prompts return to the diagram")
    }

    func testFigureKeyCyclesTheSecondLineAndTheLegend() throws {
        let h = try open3a()
        XCTAssertTrue(h.text.contains("110.7K"), "params of the 3x3 conv: 96·9·128 + 128 = 110,720")
        h.press(.char("i"))
        XCTAssertTrue(h.text.contains("86.70M"), "its MACs: 96·9·128·28·28 = 86,704,128")
        XCTAssertTrue(h.text.contains("│MACs"), "the legend names the figure")
        h.press(.char("i"))
        XCTAssertTrue(h.text.contains("128x28x28"))
        h.press(.char("i"))
        XCTAssertTrue(h.text.contains("67.7%"), "86,704,128 / 128,049,152 of the block")
        h.press(.char("i"))
        XCTAssertTrue(h.text.contains("│params"), "without a timing the cycle skips the time")
    }

    func testTimeAfterR() throws {
        let h = try open3a(timer: FixedTimer())
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        for _ in 0..<4 { h.press(.char("i")) }
        XCTAssertEqual(h.explorer.state.diagram.metric, .time)
        // FixedTimer times each conv at MACs / 1e8 ms: 86,704,128 → 0.867 ms.
        XCTAssertTrue(h.text.contains("0.867 ms"), h.text)
    }

    /// `e` with a .svg path writes the figure of the diagram's block (the document keeps its file).
    func testExportKeyWritesTheBlocksSVG() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let h = try open3a()
        h.press(.char("e"), .ctrl("u"))
        h.type(dir.path("3a.svg"))
        h.press(.enter)
        XCTAssertTrue(h.status.contains("wrote"), h.status)
        let svg = try String(contentsOfFile: dir.path("3a.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains(">Filter concatenation 256x28x28</text>"))
        XCTAssertTrue(svg.contains(">3x3 conv 128</text>"))
        XCTAssertEqual(h.explorer.state.origin.displayName, "builtin:googlenet", "an export is not save-as")
    }

    func testZoomLevels() throws {
        let h = try open3a()
        h.press(.char("z"))
        XCTAssertTrue(h.text.contains("(one box per branch)"))
        XCTAssertTrue(h.text.contains("pool_proj"))
        XCTAssertFalse(h.text.contains("3x3 conv 128"))
        h.press(.char("z"))
        XCTAssertTrue(h.text.contains("Diagram › GoogLeNet (network)"))
        XCTAssertTrue(h.text.contains("inception_3a"))
        XCTAssertTrue(h.text.contains("input 3x224x224") || h.text.contains("inception_3b"))
        h.press(.down)
        XCTAssertEqual(h.explorer.state.selectedPath, "pool2", "below 3a in the column")
        h.press(.up, .up)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b")
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Diagram › inception_3b (every layer)"), h.text)
    }

    func testTheNetworkColumnScrollsToTheSelection() throws {
        let h = try open3a(size: Size(width: 80, height: 24))
        h.press(.char("z"), .char("z"))
        for _ in 0..<30 { h.press(.up) }
        XCTAssertEqual(h.explorer.state.selectedPath, "prob", "the top of the column: the softmax")
        XCTAssertTrue(h.text.contains("softmax"))
        XCTAssertFalse(h.text.contains("conv1"), "scrolled away from the bottom")
    }

    /// Every block of both networks, at every zoom, in ASCII and Unicode, at the smallest screen:
    /// the figure stays inside its pane (the pane's right border is whole on every row) and says
    /// when it shows less than asked.
    func testNeverGarbageAt80x24() throws {
        for builtIn in [BuiltInLayout.googlenet, .inceptionV3] {
            for ascii in [false, true] {
                let h = try Harness(builtIn, size: Size(width: 80, height: 24), ascii: ascii)
                let layout = h.explorer.state.layout
                let blocks = layout.layers.indices.filter { FigureBuilder.isBlock(NodeAddress([$0]), in: layout) }
                h.press(.char("v"))
                for b in blocks {
                    h.go(to: try XCTUnwrap(layout.path(of: NodeAddress([b, 0, 0]))))
                    for _ in 0..<3 {
                        let screen = h.screen
                        let border: Character = ascii ? "|" : "│"
                        for y in 2..<(screen.height - 2) {
                            XCTAssertEqual(
                                screen.cell(x: 49, y: y)?.symbol, border,
                                "\(builtIn) block \(b) zoom \(h.explorer.state.diagram.zoom) row \(y):\n\(screen.text)")
                        }
                        if ascii {
                            XCTAssertTrue(
                                screen.text.allSatisfy(\.isASCII), "--ascii draws ASCII only:\n\(screen.text)")
                        }
                        h.press(.char("z"))
                    }
                }
            }
        }
    }
}

/// A residual (sum) block as the family issue defines it: the identity shortcut is a straight line
/// from the input to the join, which reads "⊕ ×0.17 → relu" (the residual branch's scale, then the
/// sum's activation, issue 23).
final class ExplorerResidualDiagramTests: XCTestCase {
    func testResidualBlockGolden() throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            let h = Harness(
                layout: ExplorerResidualTests.layout,
                origin: DocumentOrigin(path: nil, exportDefault: "r.json", displayName: "r"), size: size)
            h.go(to: "block35/residual/1")
            h.press(.char("v"))
            XCTAssertTrue(h.text.contains("⊕ ×0.17 → relu"), h.text)
            XCTAssertTrue(h.text.contains("1x1 conv 32") || h.text.contains("1x1 32"), h.text)
            assertSnapshot(h.screen, named: "diagram-residual-\(size.width)x\(size.height)")
        }
    }
}
