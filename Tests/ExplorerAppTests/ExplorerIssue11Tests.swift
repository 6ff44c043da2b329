import Foundation
import InceptionCore
import TerminalUI
import XCTest
@testable import ExplorerApp

/// Regression tests for the bugs of issue 11 ("the explorer, tried as a new user would"), one or
/// more per numbered bug. Each failed before its fix.
final class ExplorerIssue11Tests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-issue11-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func file(_ name: String, _ contents: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    // MARK: bug 3 — `m` overwrote any file without asking, the open layout included

    func testReportAsksBeforeOverwritingAnExistingFile() throws {
        let existing = try file("notes.md", "keep me")
        let h = try Harness()
        h.press(.char("m"), .ctrl("u"))
        h.type(existing)
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .confirm(.overwriteReport(path: existing)))
        XCTAssertTrue(h.status.contains("exists: overwrite with the report?"), h.status)
        h.press(.char("n"))
        XCTAssertEqual(try contents(existing), "keep me")
        h.press(.char("m"), .ctrl("u"))
        h.type(existing)
        h.press(.enter, .char("y"))
        XCTAssertTrue(try contents(existing).hasPrefix("## GoogLeNet"), "yes writes the report")
    }

    func testReportNeverWritesOverTheOpenLayout() throws {
        let layoutPath = try file("g.json", BuiltInLayout.googlenet.json)
        let h = try Harness(path: layoutPath)
        h.press(.char("m"), .ctrl("u"))
        h.type(layoutPath)
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .normal, "no question to say yes to by mistake")
        XCTAssertTrue(h.status.contains("not written: the report would replace the open layout"), h.status)
        // Another spelling of the same file (a symlink) is the open layout too.
        let link = dir.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: layoutPath)
        h.press(.char("m"), .ctrl("u"))
        h.type(link)
        h.press(.enter, .char("y"))
        XCTAssertEqual(try contents(layoutPath), BuiltInLayout.googlenet.json)
    }

    func testReportToANewFileIsAnEffectTheLoopPerforms() throws {
        let h = try Harness()
        let path = dir.appendingPathComponent("new.md").path
        h.press(.char("m"), .ctrl("u"))
        h.type(path)
        let effects = h.explorer.update(.enter)
        guard case .write(let p, let bytes, .report)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(p, path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the reducer itself writes nothing")
        h.explorer.execute(effects[0], on: nil)
        XCTAssertEqual(try contents(path), String(decoding: bytes, as: UTF8.self))
        XCTAssertTrue(h.status.contains("wrote report"), h.status)
    }

    // MARK: bug 8 — export to a directory or /proc asked "overwrite?" and then failed

    func testExportToADirectoryOrProcFailsBeforeAnyQuestion() throws {
        for target in [dir.path, "/proc/version", "/proc/no-such-dir/x.json"] {
            let h = try Harness()
            h.press(.char("e"), .ctrl("u"))
            h.type(target)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.mode, .normal, target)
            XCTAssertTrue(h.status.contains("not written"), "\(target): \(h.status)")
            XCTAssertFalse(h.status.contains("overwrite"), target)
        }
    }

    func testReportToADirectoryFailsBeforeAnyQuestion() throws {
        let h = try Harness()
        h.press(.char("m"), .ctrl("u"))
        h.type(dir.path)
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(h.status.contains("not written"), h.status)
    }

    // MARK: issue 12 item 9 — `s` over a file that changed or vanished since it was loaded

    func testSaveAsksWhenTheFileChangedOrVanishedOnDisk() throws {
        let path = try file("g.json", BuiltInLayout.googlenet.json)
        let h = try Harness(path: path)
        h.go(to: "conv1")
        h.press(.char("+"))
        try Data("{\"edited\": \"elsewhere\", \"longer\": true}".utf8).write(to: URL(fileURLWithPath: path))
        h.press(.char("s"))
        XCTAssertEqual(h.explorer.state.mode, .confirm(.saveChangedOnDisk(path: path, why: "changed on disk")))
        XCTAssertTrue(h.status.contains("changed on disk since it was loaded"), h.status)
        h.press(.char("n"))
        XCTAssertTrue(try contents(path).contains("elsewhere"), "no keeps the other program's file")
        try FileManager.default.removeItem(atPath: path)
        h.press(.char("s"))
        XCTAssertEqual(h.explorer.state.mode, .confirm(.saveChangedOnDisk(path: path, why: "was deleted")))
        h.press(.char("y"))
        XCTAssertEqual(try LayoutCodec.decode(Array(try contents(path).utf8)), h.explorer.state.layout)
        // Written by us: the next save does not ask.
        h.press(.char("+"), .char("s"))
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(h.status.contains("wrote \(path)"), h.status)
    }

    /// A FIFO put where the open file was: refused at once, not after "changed on disk: write it
    /// anyway?" and a yes (QA, against README's "refused before any question").
    func testSaveOverAFIFOInTheFilesPlaceIsRefusedBeforeAnyQuestion() throws {
        let path = try file("g.json", BuiltInLayout.googlenet.json)
        let h = try Harness(path: path)
        h.go(to: "conv1")
        h.press(.char("+"))
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        h.press(.char("s"))
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(h.explorer.state.message?.text.hasSuffix("not a regular file (FIFO)") == true, h.status)
        var st = stat()
        XCTAssertEqual(lstat(path, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO, "the FIFO is still there")
    }

    // MARK: bug 6 — keys typed on the "terminal too small" screen still edited the layout

    func testKeysOnTheTooSmallScreenDoNotEdit() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3/1")
        let before = h.explorer.state.layout
        h.size = Size(width: 60, height: 20)
        XCTAssertTrue(h.text.contains("terminal too small"))
        for key: Key in [.char("+"), .char("-"), .char("d"), .char("c"), .char("a"), .char("f"), .enter, .char("u"), .down,
                         .char("w"), .char("e"), .char("s"), .char("/"), .char("?")] {
            h.press(key)
        }
        XCTAssertEqual(h.explorer.state.layout, before)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a/3x3/1")
        XCTAssertFalse(h.explorer.state.history.isModified)
        // q still quits (nothing to lose here).
        h.press(.char("q"))
        XCTAssertTrue(h.explorer.shouldQuit)
    }

    func testQuitOnTheTooSmallScreenAsksVisiblyWhenEdited() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("+"))
        h.size = Size(width: 60, height: 20)
        h.press(.ctrl("c"))
        XCTAssertEqual(h.explorer.state.mode, .confirm(.quitWithoutSaving))
        XCTAssertTrue(h.screen.line(19).contains("quit without saving? (y/n)"), "the question is on the small screen")
        h.press(.char("n"))
        XCTAssertFalse(h.explorer.shouldQuit)
        h.press(.terminate)
        XCTAssertTrue(h.explorer.shouldQuit, "SIGTERM / hang-up quits at once")
    }

    // MARK: bug 7 — in overlays q quit the program and g / G / Home closed the overlay

    func overlays(_ h: Harness) -> [(Key, Mode)] {
        [(.char("?"), .help(offset: 0)), (.char("="), .compare(offset: 0)), (.char("o"), .roofline(offset: 0))]
    }

    func testOverlaysCloseOnQAndEscAndScrollOnGAndHome() throws {
        let h = try Harness(timer: FixedTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        for (open, mode) in overlays(h) {
            h.press(open)
            XCTAssertEqual(h.explorer.state.mode, mode, "\(open)")
            h.press(.char("G"))
            XCTAssertTrue(h.explorer.state.mode.isOverlay, "G scrolls, \(open)")
            h.press(.char("g"))
            XCTAssertEqual(h.explorer.state.mode, mode, "g goes to the top, \(open)")
            h.press(.home, .end, .char("x"))
            XCTAssertTrue(h.explorer.state.mode.isOverlay, "Home, End and unbound keys keep it open, \(open)")
            h.press(.char("q"))
            XCTAssertEqual(h.explorer.state.mode, .normal, "q closes \(open)")
            XCTAssertFalse(h.explorer.shouldQuit, "q in an overlay does not quit the program")
            h.press(open, .escape)
            XCTAssertEqual(h.explorer.state.mode, .normal, "Esc closes \(open)")
        }
    }

    func testHelpEndScrollsToTheLastPageAndHintsComeFromTheOverlayTable() throws {
        let h = try Harness()
        h.press(.char("?"), .char("G"))
        guard case .help(let offset) = h.explorer.state.mode else { return XCTFail() }
        XCTAssertGreaterThan(offset, 0)
        let lines = KeyMap.helpLines(ascii: false)
        XCTAssertTrue(h.text.contains(lines.last!.trimmingCharacters(in: .whitespaces)), "the last line is on screen")
        h.press(.down)
        XCTAssertEqual(h.explorer.state.mode, .help(offset: offset), "clamped at the end where the key is handled")
        for hint in KeyMap.overlay.hints() { XCTAssertTrue(h.status.contains("\(hint.key) \(hint.label)"), h.status) }
    }

    func testCtrlCInAnOverlayOrPromptAsksAsQDoesInTheTree() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("+"))
        for open: [Key] in [[.char("?")], [.char("=")], [.char("p")], [.char("w")], [.char("/")]] {
            h.press(open)
            h.press(.ctrl("c"))
            XCTAssertEqual(h.explorer.state.mode, .confirm(.quitWithoutSaving), "\(open)")
            XCTAssertFalse(h.explorer.shouldQuit)
            h.press(.char("n"))
            XCTAssertEqual(h.explorer.state.mode, .normal)
        }
        // Ctrl-C at the quit question itself says no: a stray ^C never throws edits away.
        h.press(.ctrl("c"), .ctrl("c"))
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertFalse(h.explorer.shouldQuit)
        // At another question, ^C says no and then asks about quitting.
        let existing = try file("x.json", "keep")
        h.press(.char("e"), .ctrl("u"))
        h.type(existing)
        h.press(.enter, .ctrl("c"))
        XCTAssertEqual(h.explorer.state.mode, .confirm(.quitWithoutSaving))
        XCTAssertEqual(try contents(existing), "keep")
    }

    func testTerminateQuitsAtOnceInEveryMode() throws {
        let openers: [[Key]] = [[], [.char("?")], [.char("=")], [.char("p")], [.char("w")], [.char("/")], [.char("q")]]
        for keys in openers {
            let h = try Harness()
            h.go(to: "conv1")
            h.press(.char("+"))
            h.press(keys)
            XCTAssertFalse(h.explorer.shouldQuit)
            h.press(.terminate)
            XCTAssertTrue(h.explorer.shouldQuit, "\(keys)")
        }
    }

    // MARK: bug 9 — lints and reasons cut mid-word; an invalid file did not say why

    /// The panel's text lines between its top border and the next box.
    func panel(_ title: String, _ h: Harness) -> [String] {
        let lines = h.screen.lines
        guard let top = lines.firstIndex(where: { $0.contains("┌ \(title)") }) else { return [] }
        let x = (lines[top].range(of: "┌ \(title)")).map { lines[top].distance(from: lines[top].startIndex, to: $0.lowerBound) } ?? 0
        var out: [String] = []
        for line in lines[(top + 1)...] {
            let cells = Array(line)
            guard cells.count > x, cells[x] == "│" else { break }
            let inner = String(cells[(x + 1)...].prefix { $0 != "│" })
            out.append(inner.trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    func testLintsPanelWrapsWholeWordsAndTakesTheSpareRows() throws {
        let h = try Harness(size: Size(width: 120, height: 40))
        h.go(to: "inception_3a/5x5/1")
        let lint = try XCTUnwrap(h.explorer.state.lints.first { $0.path == "inception_3a/5x5/1" })
        let shown = panel("Lints", h)
        XCTAssertGreaterThan(shown.count, 1, "more than one line: \(shown)")
        let full = "\(lint.id.rawValue) 1: \(lint.measured)"
        let joined = shown.filter { !$0.isEmpty }.joined(separator: " ")
        XCTAssertTrue(full.hasPrefix(joined), "\(joined)\n\(full)")
        // Every line ends at a word boundary of the full text.
        var consumed = ""
        for line in shown where !line.isEmpty {
            consumed += (consumed.isEmpty ? "" : " ") + line
            let next = full.dropFirst(consumed.count).first
            XCTAssertTrue(next == nil || next == " ", "cut mid-word after \"\(line)\"")
        }
    }

    /// inception_3a with its 3x3 branch at stride 2: the block's branches disagree (28x28 vs 14x14).
    func brokenGoogLeNet() throws -> InceptionCore.Layout {
        var layout = try LayoutSource.load("builtin:googlenet").layout
        let address = try XCTUnwrap(layout.address(ofPath: "inception_3a/3x3/1"))
        layout.modifyLayer(at: address) { l in
            if case .conv(var c) = l.op { c.stride = Pair(2, 2); l.op = .conv(c) }
        }
        return layout
    }

    func testAnInvalidFileSaysWhyAtOnceAndMarksTheOffendingBranch() throws {
        let h = Harness(layout: try brokenGoogLeNet(), origin: DocumentOrigin(path: nil, exportDefault: "x.json", displayName: "x.json"))
        let error = try XCTUnwrap(h.explorer.state.analysis.errors.first)
        XCTAssertEqual(error.location, "inception_3a")
        // On the first screen, nothing selected yet: the status line says why.
        XCTAssertTrue(h.status.contains("invalid: inception_3a: branch \"3x3\" outputs 14x14"), h.status)
        XCTAssertEqual(h.screen.styledRuns(row: 31).first { $0.text.contains("invalid") }?.style.role, .error)
        // The block is open on the first screen: the 3x3 branch that differs is marked, the others not.
        XCTAssertTrue(h.line(containing: "3x3 ").contains("\(Glyphs.unicode.errorMark) 3x3"), h.line(containing: "3x3 "))
        XCTAssertFalse(h.line(containing: "1x1  ").contains(Glyphs.unicode.errorMark), h.line(containing: "1x1  "))
        XCTAssertTrue(h.line(containing: "inception_3a").contains("\(Glyphs.unicode.errorMark) inception_3a"))
    }

    func testAShapeErrorsReasonWrapsWholeInTheFeatureMapsPanel() throws {
        let h = Harness(layout: try brokenGoogLeNet(), origin: DocumentOrigin(path: nil, exportDefault: "x.json", displayName: "x.json"),
                        size: Size(width: 80, height: 40))
        h.go(to: "inception_3a")
        let reason = try XCTUnwrap(h.explorer.state.analysis.stats(path: "inception_3a")?.error)
        let shown = panel("Feature maps", h).joined(separator: " ")
        XCTAssertTrue(shown.contains(reason), "\(shown)\n\(reason)")
    }

    func testProblemsViewShowsEveryProblemWholeAndEnterJumps() throws {
        let h = Harness(layout: try brokenGoogLeNet(), origin: DocumentOrigin(path: nil, exportDefault: "x.json", displayName: "x.json"))
        h.press(.char("p"))
        guard case .problems = h.explorer.state.mode else { return XCTFail("\(h.explorer.state.mode)") }
        XCTAssertTrue(h.text.contains("Problems: 1 error, 0 lints"), h.text)
        let reason = try XCTUnwrap(h.explorer.state.analysis.errors.first?.message)
        let overlayText = h.screen.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        for word in reason.split(separator: " ") { XCTAssertTrue(overlayText.contains(word), String(word)) }
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3a")
        XCTAssertTrue(h.status.contains("1 of 1"), h.status)
    }

    // MARK: bug 11 — at 80x24 the hint bar lost `? help` and `q quit`

    func testHintBarKeepsHelpAndQuitAt80x24EvenWithAMessage() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        XCTAssertTrue(h.status.contains("? help"), h.status)
        XCTAssertTrue(h.status.contains("q quit"), h.status)
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("+"))
        XCTAssertTrue(h.status.contains("inception_3a/3x3/1: 128 -> 136"), h.status)
        XCTAssertTrue(h.status.hasSuffix("? help  q quit"), h.status)
    }

    // MARK: bug 12 — the smaller ones

    func testRootParametersPanelShowsTheNetworksBatchnormBuffers() throws {
        // Inception-v3: 34,432 running mean/var values (two per batchnorm channel).
        let h = try Harness(.inceptionV3)
        h.press(.home)
        XCTAssertEqual(h.explorer.state.analysis.totals.buffers, 34_432)
        let row = panel("Parameters", h).first { $0.hasPrefix("bn buf") } ?? ""
        XCTAssertTrue(row.contains("34,432"), row)
        XCTAssertFalse(row.contains("bn buf   0"), row)
    }

    func testBlockMovesOnTheRootSayWhatToSelect() throws {
        let h = try Harness()
        h.press(.home)
        for key in ["c", "x", "a", "d"] {
            h.press(.char(Character(key)))
            XCTAssertFalse(h.status.contains("@"), "\(key): \(h.status)")
            XCTAssertTrue(h.status.contains("the network row"), "\(key): \(h.status)")
        }
    }

    func testKernelPromptRefusesAHalfKernel() throws {
        let h = try Harness()
        h.go(to: "conv2")
        let before = h.explorer.state.layout
        for text in ["x3", "3x", "x", "3xx3"] {
            h.press(.char("K"), .ctrl("u"))
            h.type(text)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.layout, before, text)
            XCTAssertTrue(h.status.contains("kernel must be like"), "\(text): \(h.status)")
        }
        // A well-formed kernel above the explorer's cap is refused for what it is, not its form.
        for text in ["65", "1x65"] {
            h.press(.char("K"), .ctrl("u"))
            h.type(text)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.layout, before, text)
            XCTAssertTrue(h.status.contains("above the explorer's limit of 64"), "\(text): \(h.status)")
        }
    }

    func testSmallChangesKeepTheirSign() throws {
        // Inception-v3's Mixed_5b/branch_pool: +8 wide changes a few thousand of 23.8M params, under
        // 0.05%: "+<0.1%", never "(0.0%)" beside a non-zero count.
        let h = try Harness(.inceptionV3)
        h.go(to: "Mixed_5b/branch_pool")
        h.press(.char("+"))
        XCTAssertTrue(h.status.contains("(+<0.1%)"), h.status)
        XCTAssertFalse(h.status.contains("(0.0%)"), h.status)
        XCTAssertEqual(NumberFormat.percentChange(from: 1000, to: 1000), "0.0%")
        XCTAssertEqual(NumberFormat.percentChange(from: 100_000, to: 99_999), "-<0.1%")
        XCTAssertEqual(NumberFormat.percentChange(from: 100, to: 108), "+8.0%")
    }

    func testSearchEchoesTheQueryAsTyped() throws {
        let h = try Harness()
        h.go(to: "Inception_3B")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b")
        XCTAssertTrue(h.status.contains("/Inception_3B: inception_3b"), h.status)
    }

    func testTheRootsForwardPanelSaysROrROnce() throws {
        let h = try Harness()
        h.press(.home)
        let lines = panel("Forward pass", h)
        XCTAssertEqual(lines.filter { !$0.isEmpty }, ["r / R: time the network"])
    }
}

extension ExplorerIssue11Tests {
    // MARK: bug 4 — saving through a symlink replaced the link and left the target unchanged

    func testSaveThroughASymlinkWritesTheTargetAndKeepsTheLink() throws {
        let target = try file("real.json", BuiltInLayout.googlenet.json)
        let link = dir.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let h = try Harness(path: link)
        h.go(to: "conv1")
        h.press(.char("+"), .char("s"))
        XCTAssertTrue(h.status.contains("wrote \(link)"), h.status)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target, "still a link")
        XCTAssertEqual(try LayoutCodec.decode(Array(try contents(target).utf8)), h.explorer.state.layout, "the target has the edit")
        XCTAssertFalse(h.screen.line(0).contains("[modified]"))
    }

    func testSaveAsOverAnExistingSymlinkAsksThenWritesTheTarget() throws {
        let target = try file("other.json", "keep")
        let link = dir.appendingPathComponent("other-link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let h = try Harness()
        h.press(.char("e"), .ctrl("u"))
        h.type(link)
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .confirm(.overwrite(path: link)))
        h.press(.char("y"))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
        XCTAssertEqual(try contents(target), BuiltInLayout.googlenet.json)
    }

    // MARK: issue 12 item 10 — one size limit for the decoder, `+` and the width prompt

    func testWidthPromptAndPlusStopAtTheLayoutLimit() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("w"), .ctrl("u"))
        h.type(String(LayoutLimits.maxChannels + 1))
        h.press(.enter)
        XCTAssertTrue(h.status.contains("too large"), h.status)
        h.press(.char("w"), .ctrl("u"))
        h.type(String(LayoutLimits.maxChannels))
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.layout.width(at: h.explorer.state.selection), LayoutLimits.maxChannels)
        h.press(.char("+"))
        XCTAssertEqual(h.explorer.state.layout.width(at: h.explorer.state.selection), LayoutLimits.maxChannels)
        XCTAssertTrue(h.status.contains("largest width"), h.status)
        // What the explorer holds, the decoder loads again.
        XCTAssertNoThrow(try LayoutCodec.decode(Array(LayoutCodec.encode(h.explorer.state.layout).utf8)))
    }
}
