import Foundation
import XCTest

/// The binary holds ONE copy of the terminal session state that signal handlers share with Swift.
/// The landed explorer kept it in a `static` inside a `static inline` function of the ncurses shim
/// header: every object file inlining it got its own copy (`nm` showed `cn_state.state` twice in
/// release builds), so the handler set one flag and the key loop read another, and the first
/// Ctrl-C / SIGTERM / SIGHUP was ignored. Now it lives in CTerminalState's one `.c` file.
final class TerminalStateSymbolTests: XCTestCase {
    func testTheSessionStateIsDefinedOnceAndTheShimHoldsNone() throws {
        try XCTSkipUnless(Tmux.shell(["nm", "--version"]).status == 0, "nm (binutils) is not installed")
        let nm = try Tmux.shell(["nm", CLI.binary.path])
        XCTAssertEqual(nm.status, 0, nm.output)
        // Data and bss symbols: "ADDRESS TYPE NAME" with TYPE one of b B d D.
        let data = nm.output.split(separator: "\n").compactMap { line -> String? in
            let f = line.split(separator: " ")
            guard f.count == 3, ["b", "B", "d", "D"].contains(f[1]) else { return nil }
            return String(f[2])
        }
        XCTAssertEqual(data.filter { $0 == "terminal_state" }.count, 1, "the one session state (terminal_state.c)")
        XCTAssertEqual(data.filter { $0.hasPrefix("cn_") }, [], "the ncurses shim must hold no state")
    }
}
