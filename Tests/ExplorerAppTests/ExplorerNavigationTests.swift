import TerminalUI
import XCTest

@testable import ExplorerApp

final class ExplorerNavigationTests: XCTestCase {
    func testFirstScreenShowsTitleTreeAndTotals() throws {
        let h = try Harness()
        XCTAssertTrue(h.screen.line(0).hasPrefix(" GoogLeNet · builtin:googlenet"))
        XCTAssertTrue(h.screen.line(0).contains("params 7.00M · MACs 1.58G"))
        XCTAssertTrue(h.text.contains("inception_3a"))
        XCTAssertTrue(h.line(containing: "network ").contains("6,998,552"))
        XCTAssertTrue(h.screen.line(31).contains("? help"))
    }

    func testWalkingTheTree() throws {
        let h = try Harness()
        h.press(.down)
        XCTAssertEqual(h.explorer.state.selectedPath, "conv1")
        h.press(.char("j"), .char("k"), .char("j"), .char("j"))
        XCTAssertEqual(h.explorer.state.selectedPath, "norm1")
        h.press(.char("G"))
        XCTAssertEqual(h.explorer.state.selectedPath, "prob")
        h.press(.home)
        XCTAssertEqual(h.explorer.state.selectedPath, "")
        // → on a collapsed block expands it; → again steps into its first branch; ← goes back up.
        h.go(to: "inception_3b")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b")
        h.press(.right)
        XCTAssertTrue(h.text.contains("pool_proj"))
        h.press(.right)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b/1x1")
        h.press(.left)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b")
        h.press(.left)  // collapse
        h.press(.enter)  // toggle open again
        XCTAssertTrue(h.explorer.state.tree.expanded.contains(h.explorer.state.selection))
    }

    func testSearchNextAndPrevious() throws {
        let h = try Harness()
        h.go(to: "pool_proj")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/pool_proj")
        h.press(.char("n"))
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b/pool_proj")
        h.press(.char("N"))
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/pool_proj")
        h.go(to: "no-such-node")
        XCTAssertTrue(h.screen.line(31).contains("no node matches"))
        XCTAssertEqual(h.screen.styledRuns(row: 31).first { $0.text.contains("no node") }?.style.role, .error)
    }

    func testHelpOverlayListsEveryBindingFromTheKeyTable() throws {
        let h = try Harness()
        h.press(.char("?"))
        XCTAssertTrue(h.text.contains("Keys (q or Esc closes)"))
        // Scroll through the overlay: every binding's help text, of every mode's table, shows up.
        var seen = h.text
        for _ in 0..<10 { h.press(.pageDown); seen += h.text }
        for binding in KeyMap.normal.bindings
            + KeyMap.overlay.bindings.map({ KeyBinding($0.keys, ExplorerAction.quit, help: $0.help) })
            + KeyMap.problems.bindings.map({ KeyBinding($0.keys, ExplorerAction.quit, help: $0.help) })
        {
            XCTAssertTrue(seen.contains(binding.help), binding.help)
        }
        XCTAssertTrue(KeyMap.normal.shadowedKeys.isEmpty)
        XCTAssertTrue(KeyMap.overlay.shadowedKeys.isEmpty)
        XCTAssertTrue(KeyMap.problems.shadowedKeys.isEmpty)
        h.press(.escape)
        XCTAssertFalse(h.text.contains("Keys (Esc closes)"))
    }

    func testTooSmallAndRecovers() throws {
        let h = try Harness()
        for (w, hgt) in [(79, 24), (80, 23), (20, 5), (1, 1), (0, 0)] {
            h.size = Size(width: w, height: hgt)
            let s = h.screen
            if w >= 50 {
                XCTAssertTrue(
                    s.text.contains("terminal too small (need 80x24, have \(w)x\(hgt))"),
                    "\(w)x\(hgt): " + s.text.replacingOccurrences(of: "\n", with: "/"))
            }
        }
        h.size = Size(width: 80, height: 24)
        XCTAssertTrue(h.text.contains("inception_3a"))
    }

    func testEveryScreenSizeFromTinyToLargeRendersWithoutTrapping() throws {
        let h = try Harness(.inceptionV3)
        h.press(.char("G"))
        for w in stride(from: 1, through: 200, by: 13) {
            for hgt in stride(from: 1, through: 60, by: 7) {
                h.size = Size(width: w, height: hgt)
                XCTAssertEqual(h.screen.width, w)
            }
        }
    }

    func testASCIIModeDrawsOnlyASCII() throws {
        let h = try Harness(ascii: true)
        h.go(to: "inception_3a/3x3")
        h.press(.char("+"))
        XCTAssertTrue(h.text.unicodeScalars.allSatisfy { $0.isASCII }, h.text)
        XCTAssertTrue(h.text.contains("+-"), "ASCII box corners")
    }

    func testMouseClickSelectsARow() throws {
        let h = try Harness()
        let screen = h.screen
        let at = try XCTUnwrap(screen.find("conv2_reduce"))
        h.press(.mouse(MouseEvent(.leftClick, x: at.x, y: at.y)))
        XCTAssertEqual(h.explorer.state.selectedPath, "conv2_reduce")
        h.press(.mouse(MouseEvent(.wheelDown, x: at.x, y: at.y)))
        XCTAssertEqual(h.explorer.state.selectedPath, "pool2")
    }
}
