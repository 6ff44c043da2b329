import Foundation
import InceptionCore
import InceptionWeights
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// Keys by mode: the "terminal too small" screen edits nothing and still quits; overlays close on q
/// and Esc and scroll on g / G / Home / End; Ctrl-C asks as q does; SIGTERM and hang-up quit at once
/// in every mode; the hint bar keeps `? help` and `q quit` at 80x24. Each test failed before its fix
/// (issue 11).
final class ExplorerModeKeyTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws { tmp = try TemporaryDirectory("explorer-keys") }

    override func tearDownWithError() throws { tmp?.remove() }

    func file(_ name: String, _ contents: String) throws -> String { try tmp.write(name, contents) }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    // MARK: the "terminal too small" screen

    func testKeysOnTheTooSmallScreenDoNotEdit() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3/1")
        let before = h.explorer.state.layout
        h.size = Size(width: 60, height: 20)
        XCTAssertTrue(h.text.contains("terminal too small"))
        for key: Key in [
            .char("+"), .char("-"), .char("d"), .char("c"), .char("a"), .char("f"), .enter, .char("u"), .down,
            .char("w"), .char("e"), .char("s"), .char("/"), .char("?"),
        ] {
            h.press(key)
        }
        XCTAssertEqual(h.explorer.state.layout, before)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/3x3/1")
        XCTAssertFalse(h.explorer.state.history.isModified)
        // q still quits (nothing to lose here).
        h.press(.char("q"))
        XCTAssertTrue(h.explorer.shouldQuit)
    }

    func testQuitOnTheTooSmallScreenAsksVisiblyWhenEdited() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("+"))
        h.size = Size(width: 60, height: 20)
        h.press(.ctrl("c"))
        XCTAssertEqual(h.explorer.state.mode, .confirm(.quitWithoutSaving))
        XCTAssertTrue(h.screen.line(19).contains("quit without saving? (y/n)"), "the question is on the small screen")
        h.press(.char("n"))
        XCTAssertFalse(h.explorer.shouldQuit)
        h.press(.terminate)
        XCTAssertTrue(h.explorer.shouldQuit, "SIGTERM / hang-up quits at once")
    }

    // MARK: overlays and quitting

    func overlays(_ h: Harness) -> [(Key, Mode)] {
        [(.char("?"), .help(offset: 0)), (.char("="), .compare(offset: 0)), (.char("o"), .roofline(offset: 0))]
    }

    func testOverlaysCloseOnQAndEscAndScrollOnGAndHome() throws {
        let h = try Harness(timer: FixedTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"))  // `=` with no edits only says so (issue 24 item 11)
        for (open, mode) in overlays(h) {
            h.press(open)
            XCTAssertEqual(h.explorer.state.mode, mode, "\(open)")
            h.press(.char("G"))
            XCTAssertTrue(h.explorer.state.mode.isOverlay, "G scrolls, \(open)")
            h.press(.char("g"))
            XCTAssertEqual(h.explorer.state.mode, mode, "g goes to the top, \(open)")
            h.press(.home, .end, .char("x"))
            XCTAssertTrue(h.explorer.state.mode.isOverlay, "Home, End and unbound keys keep it open, \(open)")
            h.press(.char("q"))
            XCTAssertEqual(h.explorer.state.mode, .normal, "q closes \(open)")
            XCTAssertFalse(h.explorer.shouldQuit, "q in an overlay does not quit the program")
            h.press(open, .escape)
            XCTAssertEqual(h.explorer.state.mode, .normal, "Esc closes \(open)")
        }
    }

    func testHelpEndScrollsToTheLastPageAndHintsComeFromTheOverlayTable() throws {
        let h = try Harness()
        h.press(.char("?"), .char("G"))
        guard case .help(let offset) = h.explorer.state.mode else { return XCTFail() }
        XCTAssertGreaterThan(offset, 0)
        let lines = KeyMap.helpLines(ascii: false)
        XCTAssertTrue(h.text.contains(lines.last!.trimmingCharacters(in: .whitespaces)), "the last line is on screen")
        h.press(.down)
        XCTAssertEqual(h.explorer.state.mode, .help(offset: offset), "clamped at the end where the key is handled")
        for hint in KeyMap.overlay.hints() { XCTAssertTrue(h.status.contains("\(hint.key) \(hint.label)"), h.status) }
    }

    func testCtrlCInAnOverlayOrPromptAsksAsQDoesInTheTree() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("+"))
        for open: [Key] in [[.char("?")], [.char("=")], [.char("p")], [.char("w")], [.char("/")]] {
            h.press(open)
            h.press(.ctrl("c"))
            XCTAssertEqual(h.explorer.state.mode, .confirm(.quitWithoutSaving), "\(open)")
            XCTAssertFalse(h.explorer.shouldQuit)
            h.press(.char("n"))
            XCTAssertEqual(h.explorer.state.mode, .normal)
        }
        // Ctrl-C at the quit question itself says no: a stray ^C never throws edits away.
        h.press(.ctrl("c"), .ctrl("c"))
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertFalse(h.explorer.shouldQuit)
        // At another question, ^C says no and then asks about quitting.
        let existing = try file("x.json", "keep")
        h.press(.char("e"), .ctrl("u"))
        h.type(existing)
        h.press(.enter, .ctrl("c"))
        XCTAssertEqual(h.explorer.state.mode, .confirm(.quitWithoutSaving))
        XCTAssertEqual(try contents(existing), "keep")
    }

    func testTerminateQuitsAtOnceInEveryMode() throws {
        let openers: [[Key]] = [[], [.char("?")], [.char("=")], [.char("p")], [.char("w")], [.char("/")], [.char("q")]]
        for keys in openers {
            let h = try Harness()
            h.go(to: "conv1")
            h.press(.char("+"))
            h.press(keys)
            XCTAssertFalse(h.explorer.shouldQuit)
            h.press(.terminate)
            XCTAssertTrue(h.explorer.shouldQuit, "\(keys)")
        }
    }

    // MARK: the hint bar

    func testHintBarKeepsHelpAndQuitAt80x24EvenWithAMessage() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        XCTAssertTrue(h.status.contains("? help"), h.status)
        XCTAssertTrue(h.status.contains("q quit"), h.status)
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("+"))
        XCTAssertTrue(h.status.contains("inception_3a/3x3/1: width 128 to 136"), h.status)
        XCTAssertTrue(h.status.hasSuffix("? help  q quit"), h.status)
    }
}
