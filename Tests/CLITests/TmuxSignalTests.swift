import Foundation
import TestSupport
import XCTest

/// Signals, hang-up and unusable terminals, through the real binary in a real terminal (tmux):
/// the first Ctrl-C / SIGTERM / SIGHUP is acted on (it was ignored: the signal flag had two
/// copies), every catchable terminating signal restores the terminal and exits 128+signal, a
/// vanished terminal ends the process (it spun for ever), and TERM=dumb is refused with one line.
/// Needs tmux (`.ci/run` installs it); skips where it is missing.
final class TmuxSignalTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    /// The explorer processes started, killed in tearDown if a failed test left one.
    var started: [pid_t] = []

    override func setUpWithError() throws {
        try XCTSkipUnless(Tmux.available, "tmux is not installed (apt-get install tmux); .ci/run installs it")
        tmp = try TemporaryDirectory("ie-sig")
    }

    override func tearDownWithError() throws {
        for pid in started where Self.isRunning(pid) { kill(pid, SIGKILL) }
        tmp?.remove()
    }

    var pidFile: String { dir.appendingPathComponent("explorer.pid").path }

    /// The explorer's environment and binary, run by a shell that first writes its PID (the
    /// explorer keeps it: `exec`).
    func explorer(_ args: String, term: String = "xterm-256color", before: String = "", env: String = "") -> String {
        "sh -c '\(before)echo $$ > \(pidFile); exec env \(env) LANG=C.UTF-8 TERM=\(term) \"\(CLI.binary.path)\" \(args)'"
    }

    /// The pane: the explorer, then its exit code and the tty's echo/icanon flags (both back on
    /// means the modes were restored), then wait to be read.
    func paneCommand(_ args: String, term: String = "xterm-256color", env: String = "") -> String {
        "cd '\(dir.path)' && \(explorer(args, term: term, env: env)); "
            + "echo \"EXIT=$?\"; echo \"TTY: $(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(echo|icanon)' | tr '\\n' ' ')\"; sleep 600"
    }

    /// The explorer's PID, once it wrote it.
    func explorerPID(timeout: Double = 10) throws -> pid_t {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                started.append(pid)
                return pid
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw XCTSkip("the explorer did not start (no \(pidFile))")
    }

    /// Alive and not a zombie (an orphan's zombie waits for init to reap it).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Waits until `pid` is gone; false after `timeout`.
    static func waitForExit(_ pid: pid_t, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning(pid) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return !isRunning(pid)
    }

    /// The pane's terminal state as tmux tracks it: alternate screen, cursor, mouse reporting.
    func paneModes(_ tmux: Tmux) throws -> String {
        try Tmux.shell([
            "tmux", "-L", tmux.socket, "display-message", "-p",
            "alt=#{alternate_on} cursor=#{cursor_flag} mouse=#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}#{mouse_sgr_flag}",
        ])
        .output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// After the explorer left: the exit code, the tty modes and the pane's modes all restored.
    func assertLeft(_ tmux: Tmux, status: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let screen = try tmux.waitFor(text: "TTY:", timeout: 5, file: file, line: line)
        XCTAssertTrue(
            screen.contains("EXIT=\(status)\n"), "expected EXIT=\(status):\n\(screen)", file: file, line: line)
        XCTAssertTrue(screen.contains("TTY: icanon echo"), "tty modes restored:\n\(screen)", file: file, line: line)
        XCTAssertEqual(
            try paneModes(tmux), "alt=0 cursor=1 mouse=0000", "alternate screen left, cursor shown, mouse off",
            file: file, line: line)
        XCTAssertFalse(
            screen.contains("Program crashed"), "the backtracer must not run:\n\(screen)", file: file, line: line)
    }

    // ---- The first signal is acted on (issue 11 bug 1, issue 12 item 12) ----------------------

    /// SIGINT (sent with kill, not typed) with unsaved edits: the quit question, as `q` does.
    func testFirstSigintWithUnsavedEditsAsks() throws {
        let tmux = try Tmux(command: paneCommand("builtin:inception-v3"))
        defer { tmux.kill() }
        try tmux.waitFor(text: "Mixed_5b")
        let pid = try explorerPID()
        try tmux.send("j", "+")
        try tmux.waitFor(text: "[modified]")
        kill(pid, SIGINT)
        try tmux.waitFor(text: "quit without saving?", timeout: 5)
        try tmux.send("n")
        try tmux.waitFor("the question to close", timeout: 5) { !$0.contains("quit without saving?") }
        XCTAssertTrue(Self.isRunning(pid))
        kill(pid, SIGINT)
        try tmux.waitFor(text: "quit without saving?", timeout: 5)
        try tmux.send("y")
        try assertLeft(tmux, status: 0)
    }

    /// The first SIGTERM ends the session at once (no question, even with unsaved edits) with the
    /// conventional status 128 + 15.
    func testFirstSigtermExits143WithTheTerminalRestored() throws {
        let tmux = try Tmux(command: paneCommand(""))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        let pid = try explorerPID()
        try tmux.send("j", "+")
        try tmux.waitFor(text: "[modified]")
        kill(pid, SIGTERM)
        XCTAssertTrue(Self.waitForExit(pid, timeout: 2), "still running 2 s after the first SIGTERM")
        try assertLeft(tmux, status: 128 + Int(SIGTERM))
    }

    func testFirstSighupExits129WithTheTerminalRestored() throws {
        let tmux = try Tmux(command: paneCommand(""))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        let pid = try explorerPID()
        kill(pid, SIGHUP)
        XCTAssertTrue(Self.waitForExit(pid, timeout: 2), "still running 2 s after the first SIGHUP")
        try assertLeft(tmux, status: 128 + Int(SIGHUP))
    }

    /// During a whole-network timing (`R`), when a background thread keeps the cores busy.
    func testSigtermDuringANetworkTiming() throws {
        let tmux = try Tmux(command: paneCommand(""))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        let pid = try explorerPID()
        try tmux.send("R")
        try tmux.waitFor(text: "timing the network")
        kill(pid, SIGTERM)
        XCTAssertTrue(Self.waitForExit(pid, timeout: 3), "still running 3 s after SIGTERM during a timing")
        try assertLeft(tmux, status: 128 + Int(SIGTERM))
    }

    /// A loop that stops reading keys (a long computation on the main thread) cannot act on a
    /// signal; a second one a second later restores the terminal from the handler itself (the
    /// emergency restore: terminfo's sequences and the saved tty modes) and leaves with 143.
    func testASecondSignalRestoresAStuckExplorer() throws {
        let tmux = try Tmux(command: paneCommand("--hang-after-first-frame"))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        let pid = try explorerPID()
        kill(pid, SIGTERM)
        XCTAssertFalse(Self.waitForExit(pid, timeout: 1.2), "the first signal waits for the loop")
        kill(pid, SIGTERM)
        XCTAssertTrue(Self.waitForExit(pid, timeout: 2), "still running 2 s after the second SIGTERM")
        try assertLeft(tmux, status: 128 + Int(SIGTERM))
    }

    // ---- Every catchable terminating signal (issue 12 item 13) --------------------------------

    /// Each restores the terminal and exits 128 + signal. SIGQUIT used to run the Swift
    /// backtracer over the UI (frozen 30 s waiting for a key); USR1, ALRM, PIPE left the tty raw,
    /// the cursor hidden and mouse reporting on.
    func testEveryTerminatingSignalRestoresAndExits128PlusSignal() throws {
        let signals: [(String, Int32)] = [
            ("QUIT", SIGQUIT), ("USR1", SIGUSR1), ("USR2", SIGUSR2), ("ALRM", SIGALRM), ("PIPE", SIGPIPE),
            ("XCPU", SIGXCPU), ("XFSZ", SIGXFSZ), ("VTALRM", SIGVTALRM), ("PROF", SIGPROF),
        ]
        for (name, signal) in signals {
            try? FileManager.default.removeItem(atPath: pidFile)
            let tmux = try Tmux(command: paneCommand(""))
            defer { tmux.kill() }
            try tmux.waitFor(text: "inception_3a")
            let pid = try explorerPID()
            kill(pid, signal)
            XCTAssertTrue(Self.waitForExit(pid, timeout: 2), "SIG\(name): still running after 2 s")
            try assertLeft(tmux, status: 128 + Int(signal))
        }
    }

    // ---- A vanished terminal ends the process (issue 11 bug 2) -------------------------------

    /// `tmux kill-server`: the terminal goes away. Within 2 s no explorer may be left (it used to
    /// spin at 20-100% CPU for ever).
    func testKillingTheTmuxServerEndsTheExplorer() throws {
        let tmux = try Tmux(command: "cd '\(dir.path)' && exec \(explorer(""))")
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        let pid = try explorerPID()
        tmux.kill()
        XCTAssertTrue(
            Self.waitForExit(pid, timeout: 2), "explorer \(pid) still running 2 s after its terminal went away")
    }

    /// The same with SIGHUP ignored (nohup, `trap '' HUP`): the hang-up is seen on stdin alone.
    func testAVanishedTerminalEndsTheExplorerEvenWithSighupIgnored() throws {
        let tmux = try Tmux(command: "cd '\(dir.path)' && exec \(explorer("", before: "trap \"\" HUP; "))")
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        let pid = try explorerPID()
        tmux.kill()
        XCTAssertTrue(
            Self.waitForExit(pid, timeout: 2), "explorer \(pid) still running 2 s after its terminal went away")
    }

    // ---- Crashes and the Swift backtracer (issue 12 item 13) ----------------------------------

    /// The pane's whole history, scrolled-off lines included (a backtrace is long).
    func history(_ tmux: Tmux) throws -> [String] {
        try Tmux.shell(["tmux", "-L", tmux.socket, "capture-pane", "-p", "-S", "-"]).output
            .split(separator: "\n").map(String.init)
    }

    /// By default the backtracer does not run in the explorer (on a tty it waits up to 30 s for a
    /// key): the runtime's message and ours, on the restored terminal, and the process ends.
    func testACrashNeverWaitsForAKeyByDefault() throws {
        let tmux = try Tmux(command: paneCommand("--crash-after-first-frame", env: "-u SWIFT_BACKTRACE"), width: 200)
        defer { tmux.kill() }
        let screen = try tmux.waitFor(text: "TTY:", timeout: 5)
        XCTAssertTrue(screen.contains("deliberate crash"), screen)
        XCTAssertTrue(screen.contains("the terminal was restored"), screen)
        // A Swift trap is SIGILL (4); with no backtrace by default, the line says how to get one.
        XCTAssertTrue(screen.contains("crashed (fatal signal 4)"), screen)
        XCTAssertTrue(screen.contains("SWIFT_BACKTRACE=enable=yes"), screen)
        XCTAssertFalse(screen.contains("Program crashed"), screen)
        XCTAssertTrue(screen.contains("EXIT=132\n"), "SIGILL (a Swift trap), as the shell reports it:\n\(screen)")
        XCTAssertTrue(screen.contains("TTY: icanon echo"), screen)
        XCTAssertEqual(try paneModes(tmux), "alt=0 cursor=1 mouse=0000")
    }

    /// With SWIFT_BACKTRACE set by the user, the backtracer runs as configured, after the terminal
    /// was restored and the captured message printed.
    func testACrashWithSwiftBacktraceSetPrintsTheBacktraceAfterTheRestore() throws {
        let tmux = try Tmux(
            command: paneCommand("--crash-after-first-frame", env: "SWIFT_BACKTRACE=interactive=no,color=no"),
            width: 200)
        defer { tmux.kill() }
        try tmux.waitFor(text: "TTY:", timeout: 30)
        let lines = try history(tmux)
        let restored = lines.firstIndex { $0.contains("the terminal was restored") }
        let backtrace = lines.firstIndex { $0.contains("Program crashed") }
        XCTAssertNotNil(restored, lines.joined(separator: "\n"))
        XCTAssertNotNil(backtrace, lines.joined(separator: "\n"))
        if let restored, let backtrace { XCTAssertLessThan(restored, backtrace) }
        XCTAssertTrue(lines.contains { $0.hasPrefix("TTY: icanon echo") }, lines.suffix(5).joined(separator: "\n"))
        XCTAssertEqual(try paneModes(tmux), "alt=0 cursor=1 mouse=0000")
    }

    // ---- Terminals that cannot run a full-screen program (issue 11 bug 5) --------------------

    /// TERM=dumb has no cursor addressing: one line, exit 1, nothing else on the screen (it used
    /// to draw a blank screen in which keys still acted, and left junk on the line). The pane is
    /// wide enough for the line not to wrap.
    func testDumbTerminalIsRefusedWithOneLine() throws {
        let tmux = try Tmux(command: paneCommand("", term: "dumb"), width: 200)
        defer { tmux.kill() }
        let screen = try tmux.waitFor(text: "TTY:", timeout: 10)
        XCTAssertTrue(screen.contains("EXIT=1\n"), screen)
        let lines = screen.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 3, "one error line, EXIT, TTY:\n\(screen)")
        XCTAssertEqual(
            lines.first,
            "cannot start the explorer: terminal type 'dumb' cannot move the cursor or clear the screen (try TERM=xterm-256color)"
        )
        XCTAssertTrue(screen.contains("TTY: icanon echo"), screen)
    }

    /// An unknown TERM is refused the same way (the check runs before anything is drawn).
    func testUnknownTerminalIsRefusedWithOneLine() throws {
        let tmux = try Tmux(command: paneCommand("", term: "no-such-terminal-type"), width: 200)
        defer { tmux.kill() }
        let screen = try tmux.waitFor(text: "TTY:", timeout: 10)
        XCTAssertTrue(screen.contains("EXIT=1\n"), screen)
        let lines = screen.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 3, "one error line, EXIT, TTY:\n\(screen)")
        XCTAssertTrue(lines.first?.contains("'no-such-terminal-type' is unknown to terminfo") == true, screen)
    }
}
