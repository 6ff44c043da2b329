import Foundation
import InceptionCore
import InceptionWeights
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// What `m`, `e` and `s` write, and what they refuse before any question: an existing file is asked
/// about, the open layout and the imported model's own files are never replaced, directories and
/// special files are refused, symbolic links are followed, and a file that changed on disk since it
/// was loaded is asked about. Each test failed before its fix (issues 11, 12 and 19).
final class ExplorerWriteSafetyTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws { tmp = try TemporaryDirectory("explorer-writes") }

    override func tearDownWithError() throws { tmp?.remove() }

    func file(_ name: String, _ contents: String) throws -> String { try tmp.write(name, contents) }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    // MARK: the report (`m`)

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

    // MARK: targets refused before any question

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

    /// An imported model whose external data file ends in .onnx: `e` to that file (or to the
    /// model) is refused before any question, and the file keeps its bytes. The explorer asks its
    /// injected `DocumentIO.reads` which files the model reads; the binary's answer (the model and
    /// its external data, from the protobuf) is tested in InceptionONNXTests and the CLI tests.
    func testExportRefusesTheImportedModelsExternalData() throws {
        let tmp = try TemporaryDirectory("explorer-19")
        defer { tmp.remove() }
        let model = tmp.path("m.onnx"), data = tmp.path("w.onnx")
        try BuiltInLayout.googlenet.json.write(toFile: model, atomically: false, encoding: .utf8)
        try Data("weights".utf8).write(to: URL(fileURLWithPath: data))
        let original = FileManager.default.contents(atPath: data)
        let loaded = try DocumentIO.standIn.load(model)
        let h = Harness(layout: loaded.source.layout, origin: DocumentOrigin(loaded.source))
        h.explorer.documents = DocumentIO(
            load: DocumentIO.standIn.load, render: DocumentIO.standIn.render,
            reads: { path in
                var files = ReadFiles()
                files.add(path, role: "the model")
                files.add(data, role: "the model's external data")
                return files
            })
        for target in [data, model] {
            h.press(.char("e"), .ctrl("u"))
            h.type(target)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.mode, .normal, target)
            XCTAssertTrue(h.status.contains("not written:"), h.status)
        }
        XCTAssertTrue(
            h.explorer.state.message?.text.contains("is the model itself") == true, h.explorer.state.message?.text ?? ""
        )
        XCTAssertEqual(FileManager.default.contents(atPath: data), original)
        // Saved as JSON, the document still carries the model's weights: its files stay protected.
        h.press(.char("e"), .ctrl("u"))
        h.type(tmp.path("m.json"))
        h.press(.enter)
        XCTAssertTrue(h.status.contains("wrote"), h.status)
        h.press(.char("e"), .ctrl("u"))
        h.type(data)
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(
            h.explorer.state.message?.text.contains("is the model's external data") == true,
            h.explorer.state.message?.text ?? "")
        XCTAssertEqual(FileManager.default.contents(atPath: data), original)
    }

    // MARK: save (`s`) over a file that changed or vanished since it was loaded

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

    // MARK: symbolic links: the target is written, the link kept

    func testSaveThroughASymlinkWritesTheTargetAndKeepsTheLink() throws {
        let target = try file("real.json", BuiltInLayout.googlenet.json)
        let link = dir.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let h = try Harness(path: link)
        h.go(to: "conv1")
        h.press(.char("+"), .char("s"))
        XCTAssertTrue(h.status.contains("wrote \(link)"), h.status)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target, "still a link")
        XCTAssertEqual(
            try LayoutCodec.decode(Array(try contents(target).utf8)), h.explorer.state.layout, "the target has the edit"
        )
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
}
