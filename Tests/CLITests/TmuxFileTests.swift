import Foundation
import TestSupport
import XCTest

/// The real binary in tmux writing files (issue 11 bugs 3 and 4): `m` asks before overwriting and
/// refuses the open layout; `s` through a symbolic link writes the link's target. Skips without tmux.
final class TmuxFileTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws {
        try XCTSkipUnless(Tmux.available, "tmux is not installed (apt-get install tmux); .ci/run installs it")
        tmp = try TemporaryDirectory("ie-files")
    }

    override func tearDownWithError() throws { tmp?.remove() }

    func paneCommand(_ args: String) -> String {
        "cd '\(dir.path)' && env LANG=C.UTF-8 TERM=xterm-256color '\(CLI.binary.path)' \(args); echo \"EXIT=$?\"; sleep 600"
    }

    func googlenetCopy(_ name: String) throws -> String {
        // The shipped layout (the same network as builtin:googlenet).
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Layouts/googlenet.json")
        let path = dir.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: shipped.path, toPath: path)
        return path
    }

    func testReportAsksBeforeOverwritingAndRefusesTheOpenLayout() throws {
        let layout = try googlenetCopy("g.json")
        let before = try String(contentsOfFile: layout, encoding: .utf8)
        try Data("keep me".utf8).write(to: dir.appendingPathComponent("notes.md"))
        let tmux = try Tmux(command: paneCommand("g.json"))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        try tmux.send("m")
        try tmux.waitFor(text: "write report to:")
        try tmux.send("C-u")
        try tmux.type("g.json")
        try tmux.send("Enter")
        try tmux.waitFor(text: "the report would replace the open layout")
        XCTAssertEqual(try String(contentsOfFile: layout, encoding: .utf8), before)
        try tmux.send("m")
        try tmux.waitFor(text: "write report to:")
        try tmux.send("C-u")
        try tmux.type("notes.md")
        try tmux.send("Enter")
        try tmux.waitFor(text: "exists: overwrite with the report?")
        try tmux.send("n")
        try tmux.waitFor(text: "not written")
        XCTAssertEqual(
            try String(contentsOfFile: dir.appendingPathComponent("notes.md").path, encoding: .utf8), "keep me")
        try tmux.send("q")
        let screen = try tmux.waitFor(text: "EXIT=")
        XCTAssertTrue(screen.contains("EXIT=0"), screen)
    }

    func testSaveThroughASymlinkWritesTheTarget() throws {
        let target = try googlenetCopy("real.json")
        let link = dir.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let tmux = try Tmux(command: paneCommand("link.json"))
        defer { tmux.kill() }
        try tmux.waitFor(text: "inception_3a")
        try tmux.send("/")
        try tmux.type("inception_3a/1x1")
        try tmux.send("Enter")
        try tmux.waitFor(text: "12,352")
        try tmux.send("+")
        try tmux.waitFor(text: "7,002,912")
        try tmux.send("s")
        try tmux.waitFor(text: "wrote link.json")
        try tmux.send("q")
        let screen = try tmux.waitFor(text: "EXIT=")
        XCTAssertTrue(screen.contains("EXIT=0"), screen)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target, "still a link")
        let check = try CLI.run(["validate", target])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains("7,002,912 params"), check.stdout)
    }
}
