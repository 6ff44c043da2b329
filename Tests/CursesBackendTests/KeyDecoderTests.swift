import CNcurses
import Foundation
import TerminalUI
import XCTest

@testable import CursesBackend

/// wget_wch results → keys, without a terminal. Codes are ncurses' (KEY_* constants, OK = 0,
/// KEY_CODE_YES = 0o400, ERR = -1), bytes are ASCII.
final class KeyDecoderTests: XCTestCase {
    func char(_ v: UInt32) -> KeyDecoder.Decoded { KeyDecoder.decode(status: OK, value: v) }
    func code(_ c: Int32) -> KeyDecoder.Decoded {
        KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(bitPattern: c))
    }

    func testPrintableCharactersKeepTheirCase() {
        XCTAssertEqual(char(0x71), .key(.char("q")))
        XCTAssertEqual(char(0x51), .key(.char("Q")))
        XCTAssertEqual(char(0x20), .key(.char(" ")))
        XCTAssertEqual(char(0x7E), .key(.char("~")))
        XCTAssertEqual(char(0xE9), .key(.char("é")))  // get_wch delivers whole code points
        XCTAssertEqual(char(0x1F600), .key(.char("😀")))
    }

    func testControlBytes() {
        XCTAssertEqual(char(10), .key(.enter))  // LF (nonl: Enter sends CR, some terminals LF)
        XCTAssertEqual(char(13), .key(.enter))  // CR
        XCTAssertEqual(char(9), .key(.tab))
        XCTAssertEqual(char(27), .key(.escape))
        XCTAssertEqual(char(127), .key(.backspace))  // DEL, what most terminals send for Backspace
        XCTAssertEqual(char(8), .key(.backspace))  // ^H
        XCTAssertEqual(char(1), .key(.ctrl("a")))
        XCTAssertEqual(char(3), .key(.ctrl("c")))  // the byte, when ISIG is off
        XCTAssertEqual(char(21), .key(.ctrl("u")))
        XCTAssertEqual(char(23), .key(.ctrl("w")))
        XCTAssertEqual(char(26), .key(.ctrl("z")))
    }

    func testBytesWithoutAKeyAreIgnored() {
        XCTAssertEqual(char(0), .ignored)  // Ctrl-Space / Ctrl-@
        for v: UInt32 in 28...31 { XCTAssertEqual(char(v), .ignored, "\(v)") }  // Ctrl-\ ] ^ _
        XCTAssertEqual(char(0xD800), .ignored)  // a lone surrogate is no Unicode scalar
        XCTAssertEqual(char(0x11_0000), .ignored)  // past the last code point
    }

    func testFunctionKeyCodes() {
        XCTAssertEqual(code(KEY_UP), .key(.up))
        XCTAssertEqual(code(KEY_DOWN), .key(.down))
        XCTAssertEqual(code(KEY_LEFT), .key(.left))
        XCTAssertEqual(code(KEY_RIGHT), .key(.right))
        XCTAssertEqual(code(KEY_PPAGE), .key(.pageUp))
        XCTAssertEqual(code(KEY_NPAGE), .key(.pageDown))
        XCTAssertEqual(code(KEY_HOME), .key(.home))
        XCTAssertEqual(code(KEY_END), .key(.end))
        XCTAssertEqual(code(KEY_ENTER), .key(.enter))
        XCTAssertEqual(code(KEY_BACKSPACE), .key(.backspace))
        XCTAssertEqual(code(KEY_DC), .key(.delete))
        XCTAssertEqual(code(KEY_BTAB), .key(.backTab))
        XCTAssertEqual(code(KEY_RESIZE), .key(.resize))
        XCTAssertEqual(code(KEY_MOUSE), .mouse)
        XCTAssertEqual(code(KEY_F0 + 1), .key(.function(1)))
        XCTAssertEqual(code(KEY_F0 + 12), .key(.function(12)))
        XCTAssertEqual(code(KEY_F0 + 24), .key(.function(24)))
        XCTAssertEqual(code(KEY_F0 + 25), .ignored)
        XCTAssertEqual(code(KEY_F0), .ignored)  // F0 is not a key on any keyboard
        XCTAssertEqual(code(KEY_IC), .ignored)  // Insert: no binding
    }

    /// ERR is "nothing arrived" whatever `value` holds (ncurses leaves it untouched).
    func testErrIsNothing() {
        XCTAssertEqual(KeyDecoder.decode(status: ERR, value: 0), .nothing)
        XCTAssertEqual(KeyDecoder.decode(status: ERR, value: 0x71), .nothing)
    }

    /// The contract with the app: SIGINT is Ctrl-C (the app treats it as q and asks about unsaved
    /// edits); every other terminating signal ends the session at once.
    func testSignalsBecomeKeys() {
        XCTAssertNil(KeyDecoder.keyForSignal(0))
        XCTAssertEqual(KeyDecoder.keyForSignal(SIGINT), .ctrl("c"))
        for s in [SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF] {
            XCTAssertEqual(KeyDecoder.keyForSignal(s), .terminate, "signal \(s)")
        }
    }

    func testMouseKinds() {
        XCTAssertEqual(KeyDecoder.mouseKey(kind: 1, x: 3, y: 4), .mouse(MouseEvent(.leftClick, x: 3, y: 4)))
        XCTAssertEqual(KeyDecoder.mouseKey(kind: 2, x: 0, y: 0), .mouse(MouseEvent(.middleClick, x: 0, y: 0)))
        XCTAssertEqual(KeyDecoder.mouseKey(kind: 3, x: 0, y: 0), .mouse(MouseEvent(.rightClick, x: 0, y: 0)))
        XCTAssertEqual(KeyDecoder.mouseKey(kind: 4, x: 9, y: 1), .mouse(MouseEvent(.wheelUp, x: 9, y: 1)))
        XCTAssertEqual(KeyDecoder.mouseKey(kind: 5, x: 9, y: 1), .mouse(MouseEvent(.wheelDown, x: 9, y: 1)))
        XCTAssertNil(KeyDecoder.mouseKey(kind: 0, x: 1, y: 1))  // release, motion
    }

    /// The button states ncurses reports, classified by the C shim. The masks are ncurses.h's
    /// (mouse version 2: NCURSES_MOUSE_MASK(b, m) = m << ((b - 1) * 5); released 1, pressed 2,
    /// clicked 4), which do not import into Swift.
    func testMouseButtonStates() {
        func mask(_ button: Int, _ m: mmask_t) -> mmask_t { m << mmask_t((button - 1) * 5) }
        XCTAssertEqual(NCURSES_MOUSE_VERSION, 2)
        XCTAssertEqual(cn_mouse_kind(mask(1, 2)), 1)  // BUTTON1_PRESSED
        XCTAssertEqual(cn_mouse_kind(mask(1, 4)), 1)  // BUTTON1_CLICKED
        XCTAssertEqual(cn_mouse_kind(mask(3, 2)), 3)  // BUTTON3_PRESSED
        XCTAssertEqual(cn_mouse_kind(mask(4, 2)), 4)  // BUTTON4_PRESSED: wheel up
        XCTAssertEqual(cn_mouse_kind(mask(5, 2)), 5)  // BUTTON5_PRESSED: wheel down
        XCTAssertEqual(cn_mouse_kind(mask(1, 1)), 0)  // BUTTON1_RELEASED
        XCTAssertEqual(cn_mouse_mask() & mask(1, 2), mask(1, 2))
        XCTAssertEqual(cn_mouse_mask() & mask(1, 1), 0, "releases are not asked for")
    }
}
