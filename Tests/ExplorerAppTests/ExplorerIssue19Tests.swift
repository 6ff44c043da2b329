import ExplorerApp
import Foundation
import InceptionCore
import TerminalUI
import TestSupport
import XCTest

/// Issue 19 in the explorer: `O` reads off the loop, so Esc and Ctrl-C answer whatever a file
/// costs (item 7); `e` never writes over the imported model's external data (item 8); F2 keeps
/// names within the format's byte limit (item 14).
final class ExplorerIssue19Tests: XCTestCase {
    /// A loader that blocks until the test releases it (at most 20 s, so the test cannot hang
    /// where the loop would block on it: then the load lands and the asserts below fail).
    final class SlowLoader: @unchecked Sendable {
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        func load(_ path: String) throws -> DocumentIO.Loaded {
            _ = release.wait(timeout: .now() + 20)
            defer { finished.signal() }
            return try DocumentIO.layoutsOnly.load("builtin:inception-v3")
        }
    }

    func session(_ tail: [Key]) throws -> (Harness, TestBackend, SlowLoader) {
        let h = try Harness()
        let slow = SlowLoader()
        h.explorer.documents = DocumentIO(load: { try slow.load($0) }, render: DocumentIO.standIn.render)
        let term = TestBackend(width: 100, height: 32, keys: [.char("O")])
        term.type("huge.onnx")
        term.enqueue([.enter] + tail)
        return (h, term, slow)
    }

    func testEscCancelsASlowOpenAndTheLoopKeepsAnswering() throws {
        let (h, term, slow) = try session([.char("+"), .escape, .char("q")])
        h.explorer.run(on: term)
        XCTAssertTrue(h.explorer.shouldQuit)
        XCTAssertTrue(term.frames.contains { $0.text.contains("opening huge.onnx… (Esc cancels)") })
        XCTAssertTrue(term.frames.contains { $0.text.contains("not opened: cancelled") })
        XCTAssertEqual(h.explorer.state.layout.name, "GoogLeNet")
        XCTAssertFalse(h.explorer.state.history.isModified, "keys other than Esc and q wait while a file loads")
        // The dropped load ends unseen: its layout never replaces the document.
        slow.release.signal()
        XCTAssertEqual(slow.finished.wait(timeout: .now() + 20), .success)
        h.explorer.poll()
        XCTAssertEqual(h.explorer.state.layout.name, "GoogLeNet")
    }

    func testCtrlCQuitsWhileAFileLoads() throws {
        let (h, term, slow) = try session([.ctrl("c")])
        h.explorer.run(on: term)
        XCTAssertTrue(h.explorer.shouldQuit)
        XCTAssertEqual(h.explorer.state.layout.name, "GoogLeNet")
        slow.release.signal()
        _ = slow.finished.wait(timeout: .now() + 20)
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
        h.explorer.documents = DocumentIO(load: DocumentIO.standIn.load, render: DocumentIO.standIn.render, reads: { path in
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
        XCTAssertTrue(h.explorer.state.message?.text.contains("is the model itself") == true, h.explorer.state.message?.text ?? "")
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
        XCTAssertTrue(h.explorer.state.message?.text.contains("is the model's external data") == true, h.explorer.state.message?.text ?? "")
        XCTAssertEqual(FileManager.default.contents(atPath: data), original)
    }

    /// F2 with a name over 255 bytes (128 "é", 2 bytes each): refused in one short line.
    func testRenameRefusesANameOverTheByteLimit() throws {
        let h = try Harness()
        h.go(to: "inception_3a")
        let before = h.explorer.state.layout
        h.press(.function(2), .ctrl("u"))
        h.type(String(repeating: "é", count: 128))
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.layout, before)
        let message = h.explorer.state.message?.text ?? ""
        XCTAssertTrue(message.contains("256 bytes, over the limit of 255"), message)
        XCTAssertLessThan(message.count, 140, message)
    }
}
