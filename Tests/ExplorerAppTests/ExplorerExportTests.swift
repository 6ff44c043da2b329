import Foundation
import InceptionCore
import InceptionWeights
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// `e` to .onnx / .py (through the injected `DocumentIO`; here `.standIn`), unknown extensions, and `s`
/// on an imported .onnx.
final class ExplorerExportTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-app-export")
    }

    override func tearDownWithError() throws { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func export(_ h: Harness, to path: String) {
        h.press(.char("e"), .ctrl("u"))
        h.type(path)
        h.press(.enter)
    }

    func testExportToPythonAndONNXByExtensionKeepsTheDocument() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("+"))
        export(h, to: path("g.py"))
        XCTAssertTrue(h.screen.line(31).contains("wrote \(path("g.py")) (py,"), h.screen.line(31))
        let text = try String(contentsOfFile: path("g.py"), encoding: .utf8)
        XCTAssertTrue(text.contains("self.conv1 = BasicConv2d(3, 72, 7, stride=2, padding=3)"), "the edited width")
        // An export to another format is not "save as": still modified, still the built-in.
        XCTAssertTrue(h.screen.line(0).contains("[modified]"))
        XCTAssertNil(h.explorer.state.origin.path)
        export(h, to: path("g.onnx"))
        // What the injected renderer made for the edited layout, written as it came.
        let onnx = try String(contentsOfFile: path("g.onnx"), encoding: .utf8)
        XCTAssertEqual(onnx, "ONNX:" + LayoutCodec.encode(h.explorer.state.layout))
        XCTAssertEqual(
            h.explorer.state.message?.text,
            "wrote \(path("g.onnx")) (onnx, \(NumberFormat.grouped(onnx.utf8.count)) bytes)")
        XCTAssertTrue(h.screen.line(0).contains("[modified]"))
    }

    func testUnknownExtensionIsRefusedListingTheThree() throws {
        let h = try Harness()
        export(h, to: path("g.txt"))
        XCTAssertTrue(h.screen.line(31).contains(".onnx, .py, .json, .svg or .dot"), h.screen.line(31))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("g.txt")))
    }

    func testExportToAnExistingPythonFileAsksFirst() throws {
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path("g.py")))
        let h = try Harness()
        export(h, to: path("g.py"))
        XCTAssertTrue(h.screen.line(31).contains("\(path("g.py")) exists: overwrite?"))
        h.press(.char("n"))
        XCTAssertEqual(try String(contentsOfFile: path("g.py"), encoding: .utf8), "keep me")
    }

    func testONNXOfAnEditedImportKeepsWhatFitsAndNamesWhatWasSeeded() throws {
        // GoogLeNet "imported" with its own weights (seed 1's), then conv1 widened 64 → 72: conv1's
        // weights and those of conv2_reduce (which reads conv1) no longer fit; nothing else changes.
        // The explorer hands the renderer the edited layout and the model's weights, and shows the
        // layers it seeded as a warning (which layers: the exporter's rule, ONNXExportTests).
        let h = try Harness()
        var own: [String: ModelWeights.Entry] = [:]
        for spec in WeightSpec.all(in: h.explorer.state.layout) {
            let w = try WeightSource.generated(seed: 1).weights(for: spec)
            own[spec.path] = ModelWeights.Entry(weightShape: w.weightShape, weight: w.weight, bias: w.bias)
        }
        h.explorer.state.modelWeights = ModelWeights(origin: "g.onnx", layers: own)
        h.go(to: "conv1")
        h.press(.char("+"))
        export(h, to: path("g.onnx"))
        let message = try XCTUnwrap(h.explorer.state.message)
        XCTAssertTrue(
            message.text.hasSuffix("; seeded 2 layers whose weights no longer fit: conv1, conv2_reduce"), message.text)
        XCTAssertEqual(message.role, .warning)
    }

    func testSaveNeverOverwritesAnImportedONNXFile() throws {
        // A model opened from model.onnx (here its layout, read by content), then edited: `s` asks
        // for a path, proposing model.json, and the .onnx stays as it was.
        let onnx = path("model.onnx")
        try Data(BuiltInLayout.googlenet.json.utf8).write(to: URL(fileURLWithPath: onnx))
        let h = try Harness(path: onnx)
        h.go(to: "conv1")
        h.press(.char("+"), .char("s"))
        guard case .prompt(.exportPath, let prompt) = h.explorer.state.mode else {
            return XCTFail("s should ask for a path, got \(h.explorer.state.mode)")
        }
        XCTAssertEqual(prompt.text, path("model.json"))
        h.press(.enter)
        XCTAssertEqual(try String(contentsOfFile: onnx, encoding: .utf8), BuiltInLayout.googlenet.json)
        let saved = try LayoutCodec.decode(String(contentsOfFile: path("model.json"), encoding: .utf8))
        XCTAssertEqual(saved.width(at: saved.address(ofPath: "conv1")!), 72)
        // `e` back onto the .onnx itself does not write it either.
        export(h, to: onnx)
        XCTAssertEqual(try String(contentsOfFile: onnx, encoding: .utf8), BuiltInLayout.googlenet.json)
    }
}
