import Foundation
import InceptionCore
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// What users of htop, lazygit, ncdu and torchinfo look for (issue 11): problems, MACs and
/// sorting, expand to a depth, breadcrumb, rename, search that counts, path prompts.
final class ExplorerFeatureTests: XCTestCase {
    func testNextAndPreviousProblemWalkTheLintsInNetworkOrderAndWrap() throws {
        let h = try Harness()
        let lints = h.explorer.state.lints
        XCTAssertEqual(lints.count, 9, "GoogLeNet's nine lints (docs/lints.md)")
        h.press(.home, .char("]"))
        XCTAssertEqual(h.explorer.state.selection, lints[0].address)
        XCTAssertTrue(h.status.contains("1 of 9: \(lints[0].path)"), h.status)
        h.press(.char("]"))
        XCTAssertEqual(h.explorer.state.selection, lints[1].address)
        h.press(.char("["), .char("["))
        XCTAssertEqual(h.explorer.state.selection, lints[8].address, "wraps to the last")
    }

    func testProblemsViewMovesWithArrowsAndJumps() throws {
        let h = try Harness()
        h.press(.home, .char("p"))
        XCTAssertEqual(h.explorer.state.mode, .problems(selected: 0))
        XCTAssertTrue(h.text.contains("Problems: 0 errors, 9 lints"), h.text)
        h.press(.down, .down, .char("G"), .up)
        XCTAssertEqual(h.explorer.state.mode, .problems(selected: 7))
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.selection, h.explorer.state.lints[7].address)
        for hint in KeyMap.problems.hints() { _ = hint }  // the table drives the bar:
        h.press(.char("p"))
        XCTAssertTrue(h.status.contains("Enter go to") && h.status.contains("q close"), h.status)
    }

    func testExpandAllAndToADepth() throws {
        let h = try Harness()
        let all = h.explorer.state.layout.allNodes().count
        h.press(.char("*"))
        XCTAssertEqual(h.explorer.state.visibleRows.count, all + 1, "every node plus the network row")
        h.press(.char("1"))
        XCTAssertEqual(h.explorer.state.visibleRows.count, h.explorer.state.layout.layers.count + 1)
        h.press(.char("2"))
        // Depth 2 adds each block's four branches and the aux heads' layers: 9 blocks × 4 + 2 heads × 6.
        XCTAssertEqual(h.explorer.state.visibleRows.count, h.explorer.state.layout.layers.count + 1 + 9 * 4 + 2 * 6)
    }

    func testCollapsingToADepthMovesTheSelectionToAVisibleRow() throws {
        let h = try Harness()
        h.go(to: "inception_4a/3x3/1")
        h.press(.char("1"))
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_4a")
    }

    func testSortOrdersABlocksBranchesByParamsThenMACs() throws {
        let h = try Harness()
        h.go(to: "inception_3a")
        func branchOrder() -> [String] {
            h.explorer.state.visibleRows.filter {
                $0.depth == 2 && $0.address.steps.first == h.explorer.state.selection.steps.first
            }
            .map { h.explorer.state.layout.path(of: $0.address)!.split(separator: "/").last.map(String.init)! }
        }
        XCTAssertEqual(branchOrder(), ["1x1", "3x3", "5x5", "pool_proj"])
        h.press(.char("S"))
        // inception_3a params: 3x3 129,248 > 5x5 15,920 > 1x1 12,352 > pool_proj 6,176.
        XCTAssertEqual(branchOrder(), ["3x3", "5x5", "1x1", "pool_proj"])
        XCTAssertTrue(h.screen.line(1).contains("Layers (by params)"), h.screen.line(1))
        h.press(.char("S"))
        // MACs: 3x3 101.2M > 5x5 12.4M > 1x1 9.6M > pool_proj 4.8M (same order here).
        XCTAssertEqual(branchOrder(), ["3x3", "5x5", "1x1", "pool_proj"])
        h.press(.char("S"))
        XCTAssertEqual(branchOrder(), ["1x1", "3x3", "5x5", "pool_proj"])
        XCTAssertEqual(LayoutCodec.encode(h.explorer.state.layout), BuiltInLayout.googlenet.json, "display only")
    }

    func testBreadcrumbShowsTheSelectionsPath() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3/1")
        XCTAssertTrue(h.screen.line(1).contains("Layers › inception_3a › 3x3 › 1"), h.screen.line(1))
        let ascii = try Harness(ascii: true)
        ascii.go(to: "inception_3a/3x3/1")
        XCTAssertTrue(ascii.screen.line(1).contains("Layers / inception_3a / 3x3 / 1"), ascii.screen.line(1))
    }

    /// Under --ascii a design move's message (the core writes "5x5 → 3x3 + 3x3") reaches the
    /// status line and the message log in ASCII.
    func testDesignMoveMessagesAreASCIIUnderTheASCIIFlag() throws {
        let h = try Harness(ascii: true)
        h.go(to: "inception_3a/5x5/1")
        h.press(.char("f"), .enter)  // the prompt's default intermediate width
        XCTAssertTrue(h.status.contains("5x5 -> 3x3 + 3x3"), h.status)
        XCTAssertTrue(h.screen.lines.joined().allSatisfy(\.isASCII), h.screen.lines.joined(separator: "\n"))
        h.press(.char("L"))
        XCTAssertTrue(
            h.screen.lines.contains { $0.contains("5x5 -> 3x3 + 3x3") }, h.screen.lines.joined(separator: "\n"))
    }

    func testRenameIsAnUndoableEdit() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3")
        h.press(.function(2), .ctrl("u"))
        h.type("wide3x3")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/wide3x3")
        XCTAssertTrue(h.explorer.state.history.isModified)
        XCTAssertEqual(h.explorer.state.analysis.totals.params, 6_998_552, "a name changes no count")
        h.press(.function(2), .ctrl("u"))
        h.type("1x1")
        h.press(.enter)
        XCTAssertTrue(h.status.contains("already taken"), h.status)
        h.press(.function(2), .ctrl("u"))
        h.type("a/b")
        h.press(.enter)
        XCTAssertTrue(h.status.contains("must not contain \"/\""), h.status)
        h.press(.char("u"))
        XCTAssertEqual(LayoutCodec.encode(h.explorer.state.layout), BuiltInLayout.googlenet.json)
    }

    /// F2 applies the file format's name rule: an all-digit name (ambiguous with an index) or one
    /// with a bidi override was accepted and saved, and the saved file then failed to load.
    func testRenameRefusesNamesTheFormatCannotLoad() throws {
        let h = try Harness()
        h.go(to: "inception_3a")
        let before = h.explorer.state.layout
        for name in ["123", "ab\u{202E}cd", "tab\tbed", "two words"] {
            h.press(.function(2), .ctrl("u"))
            h.type(name)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.layout, before, name)
            let message = h.explorer.state.message?.text ?? ""
            XCTAssertTrue(message.hasSuffix("nothing changed"), "\(name): \(message)")
            XCTAssertEqual(h.explorer.state.message?.role, .error, name)
        }
        XCTAssertTrue(h.explorer.state.message?.text.contains("spaces") == true)
        // What F2 accepts, the decoder loads back.
        h.press(.function(2), .ctrl("u"))
        h.type("3a_v2")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.selectedPath, "3a_v2")
        let text = LayoutCodec.encode(h.explorer.state.layout)
        XCTAssertEqual(try LayoutCodec.decode(Array(text.utf8)), h.explorer.state.layout)
    }

    func testSearchCountsMatchesAndHighlightsThem() throws {
        let h = try Harness()
        h.go(to: "5x5")
        // GoogLeNet: nine blocks, each with a "5x5" branch.
        XCTAssertEqual(h.explorer.state.searchMatches.count, 9)
        XCTAssertTrue(h.status.contains("/5x5: inception_3a/5x5 (1 of 9)"), h.status)
        h.press(.char("n"))
        XCTAssertTrue(h.status.contains("(2 of 9)"), h.status)
        h.press(.char("N"), .char("N"))
        XCTAssertTrue(h.status.contains("(9 of 9)"), h.status)
        // The match rows are underlined.
        h.press(.char("n"))
        let y = try XCTUnwrap(h.screen.lines.firstIndex { $0.contains("5x5 ") && $0.contains("branch") })
        XCTAssertTrue(
            h.screen.styledRuns(row: y).contains { $0.text.contains("5x5") && $0.style.underline },
            "\(h.screen.styledRuns(row: y))")
    }

    func testSearchMovesAsYouType() throws {
        let h = try Harness()
        h.press(.char("/"))
        h.type("inception_4")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_4a", "moved before Enter")
        h.type("c")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_4c")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_4c")
        XCTAssertTrue(h.status.contains("(1 of 1)"), h.status)
    }

    func testPathPromptCompletesWithTabAndExpandsTilde() throws {
        let dir = try TemporaryDirectory("explorer-paths")
        defer { dir.remove() }
        try dir.write("alpha-layout.json", "{}")
        try dir.write("alpha-notes.md", "")
        try FileManager.default.createDirectory(atPath: dir.path("beta"), withIntermediateDirectories: false)
        let h = try Harness()
        h.press(.char("e"), .ctrl("u"))
        h.type(dir.path + "/al")
        h.press(.tab)
        guard case .prompt(_, let p) = h.explorer.state.mode else { return XCTFail() }
        XCTAssertEqual(p.text, dir.path + "/alpha-", "the longest common prefix")
        // Issue 24 item 13: the candidates show beside the prompt (a message hid under it).
        XCTAssertTrue(h.status.hasSuffix("alpha-layout.json  alpha-notes.md"), h.status)
        h.type("l")
        h.press(.tab)
        guard case .prompt(_, let q) = h.explorer.state.mode else { return XCTFail() }
        XCTAssertEqual(q.text, dir.path + "/alpha-layout.json")
        h.press(.ctrl("u"))
        h.type(dir.path + "/b")
        h.press(.tab)
        guard case .prompt(_, let r) = h.explorer.state.mode else { return XCTFail() }
        XCTAssertEqual(r.text, dir.path + "/beta/", "a directory gets its slash")
        XCTAssertEqual(
            h.explorer.expandingTilde("~/x.json"), (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/x.json")
        XCTAssertEqual(h.explorer.expandingTilde("a~/x"), "a~/x")
    }

    func testTimingPanelSaysHowManyPasses() throws {
        let h = try Harness(timer: FixedTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertTrue(h.text.contains("10 passes"), "FixedTimer reports 10 iterations")
        // FixedTimer: median 2.5 ms, p10 2.45, p90 2.7: a spread of 0.25 ms = 10% of the median.
        XCTAssertTrue(h.text.contains("p10-p90 2.45 ms - 2.70 ms  (10% of median)"), h.text)
    }
}

extension ExplorerFeatureTests {
    func testOpenAnotherLayoutFromInside() throws {
        let dir = try TemporaryDirectory("explorer-open")
        defer { dir.remove() }
        let h = try Harness()
        h.press(.char("O"))
        h.type("builtin:inception-v3")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.analysis.totals.params, 23_834_568, "Inception-v3, as the summary says")
        XCTAssertTrue(h.status.contains("opened builtin:inception-v3"), h.status)
        // A broken file: nothing changes, one line says why.
        let bad = try dir.write("bad.json", "{ not json")
        h.press(.char("O"))
        h.type(bad)
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.layout.name, "Inception-v3")
        XCTAssertTrue(h.status.contains("not opened"), h.status)
        // With unsaved edits it asks first.
        h.go(to: "Conv2d_1a_3x3")
        h.press(.char("+"), .char("O"))
        h.type("builtin:googlenet")
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .confirm(.openDiscarding(path: "builtin:googlenet")))
        h.press(.char("n"))
        XCTAssertEqual(h.explorer.state.layout.name, "Inception-v3")
        h.press(.char("O"))
        h.type("builtin:googlenet")
        h.press(.enter, .char("y"))
        XCTAssertEqual(h.explorer.state.layout.name, "GoogLeNet")
        XCTAssertFalse(h.explorer.state.history.isModified)
    }
}

extension ExplorerFeatureTests {
    /// `O` reads a document through the injected `DocumentIO` (in the binary, the ONNX codec; here
    /// `.standIn`, whose "model" is a JSON layout named .onnx), and a model opened runs with its own
    /// weights: the explorer asks the executable's timer factory for a timer on them.
    func testOpenAnImportedModelFromInsideBringsItsWeights() throws {
        let dir = try TemporaryDirectory("ie-app-open")
        defer { dir.remove() }
        let model = try dir.write("tiny.onnx", BuiltInLayout.inceptionV3.json)
        let h = try Harness()
        let asked = LockedBox<[Bool]>([])
        h.explorer.makeTimer = { weights in
            asked.mutate { $0.append(weights != nil) }
            return FixedTimer()
        }
        h.press(.char("O"))
        h.type(model)
        h.press(.enter)
        XCTAssertTrue(h.status.contains("opened \(model)"), h.status)
        XCTAssertEqual(h.explorer.state.layout.name, "Inception-v3")
        XCTAssertNil(h.explorer.state.origin.path, "an imported model has no file to save to")
        XCTAssertNotNil(h.explorer.state.modelWeights, "an imported model keeps its own weights")
        XCTAssertEqual(asked.value, [true], "one new timer, made on the model's weights")
        // Back to a JSON layout: its timer is seeded again, and no model weights linger.
        h.press(.char("O"))
        h.type("builtin:googlenet")
        h.press(.enter)
        XCTAssertNil(h.explorer.state.modelWeights)
        XCTAssertEqual(asked.value, [true, false])
    }

    /// Without injected I/O the explorer still opens JSON and built-ins, and refuses ONNX export
    /// in one line (it does not link the codec).
    func testDefaultDocumentIOKnowsTheCoreFormatsOnly() throws {
        let dir = try TemporaryDirectory("ie-app-default-io")
        defer { dir.remove() }
        let e = Explorer(
            state: ExplorerState(
                layout: try LayoutSource.load("builtin:googlenet").layout,
                origin: DocumentOrigin(path: nil, exportDefault: dir.path("g.json"), displayName: "g")))
        e.viewport = Viewport(size: Size(width: 100, height: 32))
        for k in [Key.char("e"), .ctrl("u")] { e.handle(k) }
        for c in dir.path("g.onnx") { e.handle(.char(c)) }
        e.handle(.enter)
        XCTAssertEqual(
            e.state.message?.text,
            "not written: ONNX export needs the ONNX codec, which this explorer was built without")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("g.onnx")))
        e.handle(.char("O"))
        for c in "builtin:inception-v3" { e.handle(.char(c)) }
        e.handle(.enter)
        XCTAssertEqual(e.state.layout.name, "Inception-v3")
    }
}

/// A value shared with a `@Sendable` closure in a test.
final class LockedBox<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func mutate(_ f: (inout T) -> Void) { lock.withLock { f(&stored) } }
}

extension ExplorerFeatureTests {
    func testATimingOnABusyMachineSaysSo() throws {
        let h = try Harness(timer: FixedTimer())
        h.explorer.loadAverage = { 3.5 }
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertTrue(h.text.contains("machine busy (load 3.5 at start)"), h.text)
        let quiet = try Harness(timer: FixedTimer())
        quiet.explorer.loadAverage = { 0.2 }
        quiet.go(to: "inception_3a")
        quiet.press(.char("r"))
        try quiet.explorer.waitForTiming()
        XCTAssertFalse(quiet.text.contains("machine busy"), quiet.text)
        // Two cores, all used: busy from a load of 1; one of two used: from 2.
        XCTAssertTrue(LoadAverage.isBusy(1.0, threads: 0, cores: 2))
        XCTAssertFalse(LoadAverage.isBusy(0.9, threads: 0, cores: 2))
        XCTAssertFalse(LoadAverage.isBusy(1.5, threads: 1, cores: 2))
        XCTAssertTrue(LoadAverage.isBusy(2.0, threads: 1, cores: 2))
    }
}

extension ExplorerFeatureTests {
    func testEscapeFromASearchPutsTheSelectionBack() throws {
        let h = try Harness()
        h.go(to: "conv2")
        h.press(.char("/"))
        h.type("inception_4e")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_4e")
        h.press(.escape)
        XCTAssertEqual(h.explorer.state.selectedPath, "conv2")
    }
}

extension ExplorerFeatureTests {
    func testMouseWheelScrollsAnOverlay() throws {
        let h = try Harness()
        h.press(.char("?"))
        h.press(.mouse(MouseEvent(.wheelDown, x: 50, y: 10)))
        XCTAssertEqual(h.explorer.state.mode, .help(offset: 3))
        h.press(.mouse(MouseEvent(.wheelUp, x: 50, y: 10)))
        XCTAssertEqual(h.explorer.state.mode, .help(offset: 0))
        h.press(.mouse(MouseEvent(.leftClick, x: 50, y: 10)))
        XCTAssertEqual(h.explorer.state.mode, .help(offset: 0), "a click neither closes nor scrolls")
    }
}
