import TerminalUI
import XCTest

/// A miniature app loop, the shape the explorer uses: read a key → reduce → render → draw.
private enum Action { case inc, dec, quit }

private func runCounter(on term: some Backend) -> Int {
    let keys = KeyTable<Action>([
        KeyBinding([.char("+"), .up], .inc, help: "add one", label: "add"),
        KeyBinding([.char("-")], .dec, help: "take one"),
        KeyBinding([.char("q"), .terminate], .quit, help: "quit", label: "quit"),
    ])
    var count = 0
    while true {
        var buf = term.makeBuffer()
        let (body, status) = buf.area.splitBottom(1)
        buf.render(Paragraph(["count \(count)"]), in: body)
        buf.render(StatusBar(hints: keys.hints(), glyphs: term.capabilities.glyphs), in: status)
        term.draw(buf)
        guard let key = term.readKey(timeoutMs: 50) else { continue }
        switch keys.action(for: key) {
        case .inc: count += 1
        case .dec: count -= 1
        case .quit: term.stop(); return count
        case nil: break
        }
    }
}

final class TestBackendTests: XCTestCase {
    func testScriptedKeysDriveALoopAndFramesAreCaptured() {
        let term = TestBackend(width: 20, height: 3, keys: [.char("+"), .up, .char("x"), .char("-")])
        term.enqueue(.char("+"))
        term.enqueue(.char("q"))
        XCTAssertEqual(runCounter(on: term), 2)
        XCTAssertEqual(term.frames.count, 6, "one frame before each key")
        XCTAssertEqual(term.frames[0].lines, ["count 0", "", "+ add  q quit"])
        XCTAssertEqual(term.lastFrame?.line(0), "count 2")
        XCTAssertTrue(term.isStopped)
        XCTAssertTrue(term.pendingKeys.isEmpty)
    }

    func testResizeChangesSizeAndQueuesResizeKey() {
        let term = TestBackend(width: 80, height: 24)
        term.resize(width: 100, height: 32)
        XCTAssertEqual(term.size, Size(width: 100, height: 32))
        XCTAssertEqual(term.readKey(timeoutMs: 0), .resize)
        XCTAssertEqual(term.makeBuffer().size, Size(width: 100, height: 32))
    }

    func testEmptyScriptTimesOutThenTerminates() {
        let term = TestBackend(width: 10, height: 2)
        term.terminateAfterTimeouts = 2
        XCTAssertNil(term.readKey(timeoutMs: 10))
        XCTAssertNil(term.readKey(timeoutMs: 10))
        XCTAssertEqual(term.readKey(timeoutMs: 10), .terminate)
        XCTAssertEqual(term.timeouts, 3)
        // A loop that never sees "q" still ends: the counter quits on .terminate.
        XCTAssertEqual(runCounter(on: TestBackend(width: 10, height: 2, keys: [.char("+")])), 1)
    }

    func testTypeAndStop() {
        let term = TestBackend(width: 10, height: 2)
        term.type("ab")
        XCTAssertEqual(term.pendingKeys, [.char("a"), .char("b")])
        term.stop()
        term.draw(Buffer(width: 10, height: 2))
        XCTAssertEqual(term.frames.count, 0, "drawing after stop does nothing")
        XCTAssertNil(term.readKey(timeoutMs: 0))
    }
}
