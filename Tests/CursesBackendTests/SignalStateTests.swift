import CTerminalState
import Foundation
import XCTest

/// A handler installed before ours (as the Swift backtracer installs one for SIGQUIT).
nonisolated(unsafe) private var foreignHandlerCalls = 0
private func foreignHandler(_ signal: Int32) { foreignHandlerCalls += 1 }

/// The C session state, in this process: the handlers set the one flag that
/// `ts_take_pending_signal` reads (the bug: two copies of that flag, one per object file, so the
/// first Ctrl-C / SIGTERM / SIGHUP was never seen), and put the previous actions back.
final class SignalStateTests: XCTestCase {
    override func setUp() { ts_install_signal_handlers() }
    override func tearDown() {
        ts_restore_signal_handlers()
        _ = ts_take_pending_signal()
    }

    func testARaisedSignalIsTakenOnceThenCleared() {
        XCTAssertEqual(ts_take_pending_signal(), 0)
        raise(SIGUSR1)
        XCTAssertEqual(ts_take_pending_signal(), SIGUSR1)
        XCTAssertEqual(ts_take_pending_signal(), 0)
        raise(SIGTERM)
        XCTAssertEqual(ts_take_pending_signal(), SIGTERM)
    }

    /// Every terminating signal of the issue (SIGINT becomes a key, the rest end the session).
    func testEveryTerminatingSignalIsCaught() {
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF] {
            raise(s)
            XCTAssertEqual(ts_take_pending_signal(), s, "signal \(s)")
        }
    }

    /// SIGTERM right after an untaken SIGINT: the stronger request wins.
    func testTerminationReplacesAPendingInterrupt() {
        raise(SIGINT)
        raise(SIGTERM)
        XCTAssertEqual(ts_take_pending_signal(), SIGTERM)
        raise(SIGTERM)
        raise(SIGINT)
        XCTAssertEqual(ts_take_pending_signal(), SIGTERM)
    }

    /// The handler replaces one that was there (the backtracer's on SIGQUIT) for the session and
    /// gives it back after.
    func testForeignHandlersAreReplacedThenRestored() {
        ts_restore_signal_handlers()
        var old = sigaction()
        sigaction(SIGQUIT, nil, &old)  // the whole action (flags too), to put back at the end
        defer { sigaction(SIGQUIT, &old, nil) }
        signal(SIGQUIT, foreignHandler)
        foreignHandlerCalls = 0

        ts_install_signal_handlers()
        raise(SIGQUIT)
        XCTAssertEqual(ts_take_pending_signal(), SIGQUIT)
        XCTAssertEqual(foreignHandlerCalls, 0)

        ts_restore_signal_handlers()
        raise(SIGQUIT)
        XCTAssertEqual(foreignHandlerCalls, 1)
        XCTAssertEqual(ts_take_pending_signal(), 0)
    }

    /// An ignored signal stays ignored (nohup, `trap '' HUP`).
    func testIgnoredSignalsStayIgnored() {
        ts_restore_signal_handlers()
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        ts_install_signal_handlers()
        raise(SIGUSR2)
        XCTAssertEqual(ts_take_pending_signal(), 0)
    }

    func testSignalKinds() {
        for s in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] { XCTAssertEqual(ts_signal_kind(s), 2, "\(s)") }
        for s in [
            SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM,
            SIGPROF, SIGSYS,
        ] {
            XCTAssertEqual(ts_signal_kind(s), 1, "\(s)")
        }
        // Stop/continue, ignored by default, or uncatchable: not ours.
        for s in [SIGKILL, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, SIGCHLD, SIGWINCH, SIGURG] {
            XCTAssertEqual(ts_signal_kind(s), 0, "\(s)")
        }
    }
}
