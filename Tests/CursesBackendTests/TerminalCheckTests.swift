import CNcurses
import XCTest

/// The terminfo check the explorer makes before newterm (which would already draw): a terminal
/// must address the cursor (`cup`) and clear the screen (`clear`). ncurses-base ships `dumb`
/// (neither), `vt100` and `xterm` (both).
final class TerminalCheckTests: XCTestCase {
    func testFullScreenTerminalsPass() {
        XCTAssertEqual(cn_check_terminal("vt100"), 1)
        XCTAssertEqual(cn_check_terminal("xterm"), 1)
    }

    func testDumbTerminalCannotAddressTheCursor() {
        XCTAssertEqual(cn_check_terminal("dumb"), -1)
    }

    func testUnknownTerminalIsUnknown() {
        XCTAssertEqual(cn_check_terminal("no-such-terminal-type"), 0)
    }
}
