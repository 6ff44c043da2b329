import Foundation
import TestSupport
import XCTest

/// The real binary in a real terminal (tmux): open GoogLeNet, find inception_3a, widen a branch,
/// check the numbers, time it, export, quit, and check the exported file and the terminal.
/// Needs tmux (`.ci/run` installs it); skips where it is missing.
final class TmuxEndToEndTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws {
        try XCTSkipUnless(Tmux.available, "tmux is not installed (apt-get install tmux); .ci/run installs it")
        tmp = try TemporaryDirectory("ie-e2e")
    }

    override func tearDownWithError() throws { tmp?.remove() }

    /// The shell line the pane runs: the explorer, then the exit code and the tty's echo/icanon
    /// flags (both on again means the terminal came back), then wait to be read.
    func paneCommand(_ args: String) -> String {
        "cd '\(dir.path)' && env LANG=C.UTF-8 TERM=xterm-256color '\(CLI.binary.path)' \(args); "
            + "echo \"EXIT=$?\"; echo \"TTY: $(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(echo|icanon)' | tr '\\n' ' ')\"; sleep 600"
    }

    func testOpenWidenTimeExportQuit() throws {
        let tmux = try Tmux(command: paneCommand(""))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        try tmux.send("/")
        try tmux.type("inception_3a/1x1")
        try tmux.send("Enter")
        try tmux.waitFor(text: "12,352")  // the 1x1 branch: 192·64 + 64 params
        try tmux.send("+")
        // 64 → 72: the branch 13,896; the network 6,998,552 + 1,544 + 2,816 (3b's inputs) = 7,002,912.
        try tmux.waitFor(text: "7,002,912")
        var screen = try tmux.waitFor(text: "13,896")
        XCTAssertTrue(screen.contains("[modified]"))

        try tmux.send("r")
        screen = try tmux.waitFor("the forward pass to end", timeout: 60) {
            $0.contains("median") || $0.contains("unavailable")
        }

        try tmux.send("e")
        try tmux.waitFor(text: "save as (")
        try tmux.send("C-u")
        try tmux.type("edited.json")
        try tmux.send("Enter")
        try tmux.waitFor(text: "wrote edited.json")
        try tmux.send("q")
        screen = try tmux.waitFor(text: "TTY:")
        XCTAssertTrue(screen.contains("EXIT=0"), screen)
        XCTAssertTrue(screen.contains("TTY: icanon echo"), "terminal modes restored: \(screen)")

        let exported = dir.appendingPathComponent("edited.json").path
        let check = try CLI.run(["validate", exported])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains("7,002,912 params"), check.stdout)
    }

    func testQuitAsksWithUnsavedEditsAndCtrlCRestoresTheTerminal() throws {
        let tmux = try Tmux(command: paneCommand("builtin:inception-v3"))
        defer { tmux.kill() }
        try tmux.waitFor(text: "Mixed_5b")
        try tmux.send("j", "+")
        try tmux.waitFor(text: "[modified]")
        try tmux.send("C-c")
        try tmux.waitFor(text: "quit without saving?")
        try tmux.send("y")
        let screen = try tmux.waitFor(text: "TTY:")
        XCTAssertTrue(screen.contains("EXIT=0"), screen)
        XCTAssertTrue(screen.contains("TTY: icanon echo"), screen)
    }

    func testTinyTerminalAndResize() throws {
        let tmux = try Tmux(command: paneCommand(""), width: 60, height: 20)
        defer { tmux.kill() }
        try tmux.waitFor(text: "terminal too small (need 80x24, have 60x20)")
        try tmux.resize(width: 100, height: 30)
        try tmux.waitFor(text: "inception_3a")
        try tmux.send("q")
        try tmux.waitFor(text: "TTY:")
    }

    func testSigtermRestoresTheTerminal() throws {
        let tmux = try Tmux(command: paneCommand(""))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        // The pane's shell runs the explorer as its child; signal exactly that process.
        let shellPID = try Tmux.shell(["tmux", "-L", tmux.socket, "list-panes", "-F", "#{pane_pid}"]).output
        _ = try Tmux.shell(["pkill", "-TERM", "-P", shellPID.trimmingCharacters(in: .whitespacesAndNewlines)])
        let screen = try tmux.waitFor(text: "TTY:")
        XCTAssertTrue(screen.contains("EXIT=143"), screen)  // 128 + SIGTERM, as a shell reports it
        XCTAssertTrue(screen.contains("TTY: icanon echo"), screen)
    }

    func testNoTerminalIsOneClearLine() throws {
        let r = try CLI.run([])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertEqual(r.stdout, "")
    }
}

extension TmuxEndToEndTests {
    /// A crash (here a deliberate Swift trap) restores the terminal first, then prints the
    /// runtime's message and a crash report onto it.
    func testCrashRestoresTheTerminalAndPrintsTheReportAfter() throws {
        let tmux = try Tmux(command: paneCommand("--crash-after-first-frame"))
        defer { tmux.kill() }
        let screen = try tmux.waitFor(text: "TTY:")
        XCTAssertTrue(screen.contains("deliberate crash"), screen)
        XCTAssertTrue(screen.contains("the terminal was restored"), screen)
        XCTAssertTrue(screen.contains("TTY: icanon echo"), screen)
        XCTAssertFalse(screen.contains("EXIT=0"), screen)
    }
}
