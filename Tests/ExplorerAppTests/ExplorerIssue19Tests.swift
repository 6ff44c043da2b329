import ExplorerApp
import Foundation
import InceptionCore
import InceptionONNX
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
        func load(_ path: String) throws -> ModelLoader.Loaded {
            _ = release.wait(timeout: .now() + 20)
            defer { finished.signal() }
            return try ModelLoader.load("builtin:inception-v3")
        }
    }

    func session(_ tail: [Key]) throws -> (Harness, TestBackend, SlowLoader) {
        let h = try Harness()
        let slow = SlowLoader()
        h.explorer.loadLayout = { try slow.load($0) }
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

    /// An imported model whose external data file ends in .onnx: `e` to that file is refused
    /// before any question, and the file keeps its bytes.
    func testExportRefusesTheImportedModelsExternalData() throws {
        let tmp = try TemporaryDirectory("explorer-19")
        defer { tmp.remove() }
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../InceptionONNXTests/Fixtures").standardized
        var model = try Data(contentsOf: fixtures.appendingPathComponent("external.onnx"))
        let data = "wwwwwwwwwwwww.onnx"  // as long as "external.onnx.data", so the protobuf stays valid
        while let r = model.range(of: Data("external.onnx.data".utf8)) { model.replaceSubrange(r, with: Data(data.utf8)) }
        try model.write(to: URL(fileURLWithPath: tmp.path("m.onnx")))
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("external.onnx.data").path, toPath: tmp.path(data))
        let original = FileManager.default.contents(atPath: tmp.path(data))
        let loaded = try ModelLoader.load(tmp.path("m.onnx"))
        let h = Harness(layout: loaded.source.layout, origin: DocumentOrigin(loaded.source))
        for target in [tmp.path(data), tmp.path("m.onnx")] {
            h.press(.char("e"), .ctrl("u"))
            h.type(target)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.mode, .normal, target)
            XCTAssertTrue(h.status.contains("not written:"), h.status)
        }
        XCTAssertTrue(h.explorer.state.message?.text.contains("is the model itself") == true, h.explorer.state.message?.text ?? "")
        XCTAssertEqual(FileManager.default.contents(atPath: tmp.path(data)), original)
        // Saved as JSON, the document still carries the model's weights: its files stay protected.
        h.press(.char("e"), .ctrl("u"))
        h.type(tmp.path("m.json"))
        h.press(.enter)
        XCTAssertTrue(h.status.contains("wrote"), h.status)
        h.press(.char("e"), .ctrl("u"))
        h.type(tmp.path(data))
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(h.explorer.state.message?.text.contains("is the model's external data") == true, h.explorer.state.message?.text ?? "")
        XCTAssertEqual(FileManager.default.contents(atPath: tmp.path(data)), original)
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
