import Foundation
import InceptionCore
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// `Explorer.run(on:)` itself, driven through `TestBackend`: the loop reads keys, handles them
/// against the backend's size, performs effects and draws — as the binary does with ncurses.
final class ExplorerLoopTests: XCTestCase {
    func explorer(
        _ layout: String = "builtin:googlenet", path: String? = nil, timer: (any ForwardTimer)? = nil
    ) throws -> Explorer {
        let source = try LayoutSource.load(layout)
        let origin = path.map { DocumentOrigin(path: $0, exportDefault: $0, displayName: $0) } ?? DocumentOrigin(source)
        let e = Explorer(state: ExplorerState(layout: source.layout, origin: origin), timer: timer)
        e.loadAverage = { nil }
        return e
    }

    func testLoopQuitsOnQAndDrawsAFrameBeforeEachKey() throws {
        let e = try explorer()
        let term = TestBackend(width: 100, height: 32, keys: [.down, .down, .char("q")])
        e.run(on: term)
        XCTAssertTrue(e.shouldQuit)
        XCTAssertEqual(term.frames.count, 3, "one frame before each key; q ends the loop")
        XCTAssertTrue(term.frames[0].line(0).contains("GoogLeNet"))
        XCTAssertEqual(term.pendingKeys, [])
    }

    func testCtrlCWithUnsavedEditsAsksAndTerminateEndsAtOnce() throws {
        let e = try explorer()
        let term = TestBackend(width: 100, height: 32, keys: [.down, .char("+"), .ctrl("c")])
        term.terminateAfterTimeouts = 3
        e.run(on: term)
        // ^C asked (the question is on the last frame), nothing answered it, and the hang-up
        // (`.terminate` after the script ran dry) ended the loop without a prompt.
        XCTAssertTrue(term.frames.last!.line(31).contains("quit without saving? (y/n)"), term.frames.last!.line(31))
        XCTAssertTrue(e.shouldQuit)
        XCTAssertTrue(e.state.history.isModified)
    }

    func testTerminateInEveryModeEndsTheLoop() throws {
        for keys: [Key] in [
            [.char("?")], [.char("=")], [.char("p")], [.char("w")], [.char("/")], [.char("+"), .char("q")],
        ] {
            let e = try explorer()
            let term = TestBackend(width: 100, height: 32, keys: [.down] + keys + [.terminate, .char("x"), .char("y")])
            e.run(on: term)
            XCTAssertTrue(e.shouldQuit, "\(keys)")
            XCTAssertEqual(term.pendingKeys, [.char("x"), .char("y")], "nothing after .terminate is read: \(keys)")
        }
    }

    func testLoopHandlesKeysAgainstTheBackendsSizeAfterAResize() throws {
        let e = try explorer()
        let term = TestBackend(width: 100, height: 32)
        term.enqueue(.char("*"))  // expand everything: far more rows than fit
        term.resize(width: 100, height: 24)
        term.enqueue(.pageDown)
        term.enqueue(.char("q"))
        e.run(on: term)
        // The tree shows 24 - 2 (title, status) - 2 (borders) - 1 (header) = 19 rows; PgDn moves
        // by one less than a page (18), against the new size, not the frame drawn before it.
        XCTAssertEqual(e.state.selectedIndex, 18)
        XCTAssertEqual(e.viewport.size, Size(width: 100, height: 24))
    }

    func testSaveInTheLoopIsAnEffectItPerforms() throws {
        let dir = try TemporaryDirectory("explorer-loop")
        defer { dir.remove() }
        let path = try dir.write("g.json", BuiltInLayout.googlenet.json)
        let e = try explorer(path, path: path)
        let term = TestBackend(width: 100, height: 32, keys: [.char("j"), .char("+"), .char("s"), .char("q")])
        e.run(on: term)
        XCTAssertTrue(e.shouldQuit, "saved, so q does not ask")
        XCTAssertEqual(
            try LayoutCodec.decode(Array(try String(contentsOfFile: path, encoding: .utf8).utf8)), e.state.layout)
    }

    func testRenderWritesNothingBackIntoTheState() throws {
        let e = try explorer()
        e.handle(.char("*"))
        e.handle(.end)
        let before = e.state
        let beforeViewport = e.viewport
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 60), Size(width: 40, height: 10)] {
            _ = e.render(size: size, capabilities: TerminalCapabilities(unicode: true, color: true, mouse: true))
        }
        XCTAssertEqual(e.state.treeScroll, before.treeScroll)
        XCTAssertEqual(e.state.mode, before.mode)
        XCTAssertEqual(e.viewport, beforeViewport)
    }

    // MARK: whole-screen snapshots (RECORD_SNAPSHOTS=1 re-records Snapshots/*.txt)

    func frame(
        _ keys: [Key], size: Size = Size(width: 100, height: 32), layout: String = "builtin:googlenet"
    ) throws -> Buffer {
        let e = try explorer(layout, path: layout.hasPrefix("builtin:") ? nil : layout)
        e.viewport = Viewport(size: size)
        for k in keys { e.handle(k) }
        return e.render(size: size, capabilities: TerminalCapabilities(unicode: true, color: true, mouse: true))
    }

    func testSnapshotFirstScreen100x32() throws {
        assertSnapshot(try frame([]), named: "first-screen-100x32")
    }

    func testSnapshotFirstScreen80x24() throws {
        assertSnapshot(try frame([], size: Size(width: 80, height: 24)), named: "first-screen-80x24")
    }

    func testSnapshotBranchSelectedAfterAnEdit() throws {
        let keys: [Key] = [.char("/")] + "inception_3a/3x3/1".map { Key.char($0) } + [.enter, .char("+")]
        assertSnapshot(try frame(keys, size: Size(width: 120, height: 40)), named: "edit-3a-3x3-120x40")
    }

    func testSnapshotHelpOverlay() throws {
        assertSnapshot(try frame([.char("?")]), named: "help-100x32")
    }

    func testSnapshotProblemsViewOnInceptionV3() throws {
        assertSnapshot(try frame([.char("p")], layout: "builtin:inception-v3"), named: "problems-v3-100x32")
    }

    func testSnapshotTooSmall() throws {
        assertSnapshot(try frame([], size: Size(width: 60, height: 12)), named: "too-small-60x12")
    }
}

extension ExplorerLoopTests {
    func testSnapshotWideScreenWithMACsColumn() throws {
        assertSnapshot(try frame([.char("2")], size: Size(width: 160, height: 40)), named: "macs-column-160x40")
    }
}

extension ExplorerLoopTests {
    /// The README's picture.
    func testSnapshotBranchConvSelected100x32() throws {
        let keys: [Key] = [.char("/")] + "inception_3a/3x3/1".map { Key.char($0) } + [.enter, .escape]
        assertSnapshot(try frame(keys), named: "readme-3a-3x3-1-100x32")
    }
}

extension ExplorerLoopTests {
    /// SIGINT arrives as `.ctrl("c")` in every mode: with unsaved edits it asks (and `y` then
    /// quits), in a prompt, an overlay, the problems view and on the too-small screen alike.
    func testCtrlCInEveryModeAsksThenYesQuits() throws {
        let openers: [(String, [Key])] = [
            ("tree", []), ("prompt", [.char("w")]), ("search", [.char("/")]),
            ("help", [.char("?")]), ("compare", [.char("=")]), ("problems", [.char("p")]),
        ]
        for (name, keys) in openers {
            let e = try explorer()
            let term = TestBackend(width: 100, height: 32, keys: [.down, .char("+")] + keys + [.ctrl("c")])
            term.terminateAfterTimeouts = 1
            e.run(on: term)
            XCTAssertTrue(
                term.frames.last!.line(31).contains("quit without saving? (y/n)"),
                "\(name): \(term.frames.last!.line(31))")
            let again = try explorer()
            let yes = TestBackend(
                width: 100, height: 32, keys: [.down, .char("+")] + keys + [.ctrl("c"), .char("y"), .char("j")])
            again.run(on: yes)
            XCTAssertTrue(again.shouldQuit, name)
            XCTAssertEqual(yes.pendingKeys, [.char("j")], "y ended the loop: \(name)")
        }
        // The too-small screen: the question shows there too.
        let e = try explorer()
        e.handle(.down)
        e.handle(.char("+"))  // edited on a full-size screen, then the terminal shrinks
        let term = TestBackend(width: 50, height: 10, keys: [.char("+"), .ctrl("c"), .char("y")])
        e.run(on: term)
        XCTAssertEqual(e.state.history.index, 1, "the + on the small screen did nothing")
        XCTAssertTrue(e.shouldQuit)
        XCTAssertTrue(term.frames.last!.line(9).contains("quit without saving?"), term.frames.last!.line(9))
    }
}
