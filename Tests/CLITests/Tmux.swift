import Foundation
import TestSupport
import XCTest

/// A private tmux server running one command in a detached pane, for end-to-end tests of the
/// real binary in a real terminal: type with `send`, read the screen with `capture`, and *wait*
/// for text to appear (never fixed sleeps alone). Always `kill()` it.
final class Tmux {
    let socket = "ie-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    static var available: Bool { (try? Tmux.shell(["tmux", "-V"]).status) == 0 }

    /// Runs a command with stdout/stderr to a file, through posix_spawn and waitpid: a tmux
    /// server forks off and keeps inherited descriptors, and Foundation's Process has been seen
    /// to never notice its client exiting. `XDG_CACHE_HOME` is `CLI.temporaryCache` (a server
    /// started here hands it to the explorer in its pane), so no pane writes into ~/.cache.
    @discardableResult
    static func shell(_ args: [String]) throws -> (status: Int32, output: String) {
        let out = TemporaryDirectory.uniqueURL("ie-tmux").path
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] =
            (["/usr/bin/env", "XDG_CACHE_HOME=\(CLI.temporaryCache)"] + args)
            .map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard rc == 0 else { return (127, "posix_spawn failed: \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }

    init(command: String, width: Int = 100, height: Int = 32) throws {
        try Tmux.shell([
            "tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command,
        ])
    }

    func send(_ keys: String...) throws {
        try Tmux.shell(["tmux", "-L", socket, "send-keys"] + keys)
    }

    /// Types text literally (no key-name lookup).
    func type(_ text: String) throws {
        try Tmux.shell(["tmux", "-L", socket, "send-keys", "-l", text])
    }

    func capture() throws -> String {
        try Tmux.shell(["tmux", "-L", socket, "capture-pane", "-p"]).output
    }

    func resize(width: Int, height: Int) throws {
        try Tmux.shell(["tmux", "-L", socket, "resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `predicate` holds; fails with the last screen after `timeout`.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line,
        _ predicate: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if predicate(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what); screen:\n\(screen)", file: file, line: line)
        return screen
    }

    @discardableResult
    func waitFor(
        text: String, timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line
    ) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    func kill() { _ = try? Tmux.shell(["tmux", "-L", socket, "kill-server"]) }
}
