import Foundation
import InceptionCore
import TestSupport
import XCTest

/// The explorer on an ONNX model in a real terminal (tmux): the imported tree and counts, a forward
/// pass with the model's own weights, `s` saving a layout beside the model, never over it, and the
/// binary's document I/O (`DocumentIO.onnx`): `e` writing ONNX and `O` opening a model from inside.
/// Needs tmux; skips where it is missing.
final class TmuxONNXTests: XCTestCase {
    func testExplorerOpensTimesAndSavesAnImportedModel() throws {
        try XCTSkipUnless(Tmux.available, "tmux is not installed (apt-get install tmux); .ci/run installs it")
        let tmp = try TemporaryDirectory("ie-onnx-e2e")
        defer { tmp.remove() }
        let dir = tmp.url
        let model = dir.appendingPathComponent("tiny.onnx").path
        try FileManager.default.copyItem(atPath: ONNXImportCLITests.fixture("tiny_inception_bn.onnx"), toPath: model)
        let before = try Data(contentsOf: URL(fileURLWithPath: model))

        let tmux = try Tmux(
            command: "cd '\(dir.path)' && env LANG=C.UTF-8 TERM=xterm-256color '\(CLI.binary.path)' tiny.onnx; "
                + "echo \"EXIT=$?\"; sleep 600", width: 110)
        defer { tmux.kill() }
        try tmux.waitFor(text: "Mixed_7b")
        try tmux.waitFor(text: "29,574")  // fixtures.json: params counted from the graph
        try tmux.send("r")
        try tmux.waitFor("the forward pass to end", timeout: 60) { $0.contains("median") || $0.contains("unavailable") }
        try tmux.send("s")
        try tmux.waitFor(text: "tiny.json")  // proposed beside the model, not over it
        try tmux.send("Enter")
        try tmux.waitFor(text: "wrote tiny.json")
        try tmux.send("e", "C-u")
        try tmux.type("again.onnx")
        try tmux.send("Enter")
        try tmux.waitFor(text: "wrote again.onnx (onnx,")
        try tmux.send("O")
        try tmux.type("again.onnx")
        try tmux.send("Enter")
        try tmux.waitFor(text: "opened again.onnx")
        try tmux.waitFor(text: "29,574")  // the same model, back through the importer
        try tmux.send("q")
        try tmux.waitFor(text: "EXIT=0")

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: model)), before, "the model file is untouched")
        let saved = try LayoutSource.load(dir.appendingPathComponent("tiny.json").path)
        XCTAssertEqual(Analysis(saved.layout).totals.params, 29_574)
    }
}
