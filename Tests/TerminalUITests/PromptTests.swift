import TerminalUI
import XCTest

final class PromptTests: XCTestCase {
    private func type(_ keys: [Key], into state: inout PromptState) -> PromptState.Outcome {
        var last = PromptState.Outcome.editing
        for k in keys { last = state.apply(k) }
        return last
    }

    func testTypingBackspaceAndArrows() {
        var p = PromptState()
        XCTAssertEqual(type("conv".map { Key.char($0) }, into: &p), .editing)
        XCTAssertEqual(p.text, "conv")
        XCTAssertEqual(p.cursor, 4)
        _ = type([.left, .left, .char("X"), .backspace, .backspace], into: &p)
        XCTAssertEqual(p.text, "cnv")
        XCTAssertEqual(p.cursor, 1)
        _ = type([.home, .char("["), .end, .char("]")], into: &p)
        XCTAssertEqual(p.text, "[cnv]")
        _ = type([.left, .delete, .right, .right, .right], into: &p)
        XCTAssertEqual(p.text, "[cnv")
        XCTAssertEqual(p.cursor, 4, "right stops at the end")
        _ = type([.home, .left, .backspace], into: &p)
        XCTAssertEqual(p.cursor, 0, "left and backspace stop at the start")
        XCTAssertEqual(p.text, "[cnv")
    }

    func testCtrlUClearsCtrlKCutsAndControlsAreNotInserted() {
        var p = PromptState(text: "inception 3a")
        XCTAssertEqual(p.cursor, 12, "starts at the end of the initial text")
        _ = type([.ctrl("a"), .right, .ctrl("k")], into: &p)
        XCTAssertEqual(p.text, "i")
        _ = type([.ctrl("u")], into: &p)
        XCTAssertEqual(p.text, "")
        XCTAssertEqual(p.cursor, 0)
        _ = type([.char("\u{7}"), .tab, .up, .function(1)], into: &p)
        XCTAssertEqual(p.text, "?", "a control character typed literally shows as ?; other keys are ignored")
    }

    func testEnterSubmitsAndEscapeCancels() {
        var p = PromptState(text: "名前")
        XCTAssertEqual(p.apply(.backspace), .editing)
        XCTAssertEqual(p.apply(.enter), .submitted("名"))
        XCTAssertEqual(p.apply(.escape), .cancelled)
        XCTAssertEqual(p.apply(.ctrl("c")), .cancelled)
    }

    func testPromptViewPlacesCursorAndScrolls() {
        var b = Buffer(width: 20, height: 1)
        b.render(PromptView(label: "name: ", state: PromptState(text: "conv1")), in: b.area)
        XCTAssertEqual(b.line(0), "name: conv1")
        XCTAssertEqual(b.cursor, Point(x: 11, y: 0))
        XCTAssertEqual(b.style(x: 0, y: 0)?.role, .accent)

        var narrow = Buffer(width: 8, height: 1)
        narrow.render(PromptView(label: "name: ", state: PromptState(text: "conv1")), in: narrow.area)
        XCTAssertEqual(narrow.line(0), "name: 1")
        XCTAssertEqual(narrow.cursor, Point(x: 7, y: 0))

        var mid = PromptState(text: "abcdef")
        _ = mid.apply(.home)
        var b2 = Buffer(width: 10, height: 1)
        b2.render(PromptView(label: "> ", state: mid), in: b2.area)
        XCTAssertEqual(b2.line(0), "> abcdef")
        XCTAssertEqual(b2.cursor, Point(x: 2, y: 0))
    }

    func testConfirmPrompt() {
        XCTAssertEqual(ConfirmPrompt.answer(for: .char("y")), true)
        XCTAssertEqual(ConfirmPrompt.answer(for: .char("N")), false)
        XCTAssertEqual(ConfirmPrompt.answer(for: .escape), false)
        XCTAssertNil(ConfirmPrompt.answer(for: .char("x")))
        var b = Buffer(width: 40, height: 1)
        b.render(ConfirmPrompt("quit without saving?"), in: b.area)
        XCTAssertEqual(b.line(0), "quit without saving? (y/n)")
        XCTAssertEqual(b.style(x: 0, y: 0)?.role, .warning)
    }
}

final class PromptWordTests: XCTestCase {
    func testCtrlWDeletesTheWordOrPathComponentBeforeTheCursor() {
        var p = PromptState(text: "Layouts/examples/fig5.json")
        _ = p.apply(.ctrl("w"))
        XCTAssertEqual(p.text, "Layouts/examples/")
        _ = p.apply(.ctrl("w"))
        XCTAssertEqual(p.text, "Layouts/")
        _ = p.apply(.ctrl("w"))
        XCTAssertEqual(p.text, "")
        var q = PromptState(text: "two words  ")
        _ = q.apply(.ctrl("w"))
        XCTAssertEqual(q.text, "two ")
        XCTAssertEqual(q.cursor, 4)
    }
}
