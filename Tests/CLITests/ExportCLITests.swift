import Foundation
import TestSupport
import XCTest

/// `export` end to end: the format by extension, usage and bad-input errors, nothing written on failure.
final class ExportCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-export")
    }
    override func tearDown() { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testUnknownExtensionIsAUsageErrorListingTheFormats() throws {
        let r = try CLI.run(["export", "builtin:googlenet", "-o", path("g.txt")])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains(".onnx, .py, .json, .svg or .dot"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("g.txt")))
    }

    func testWeightsOptionsAreForONNXOnly() throws {
        let r = try CLI.run(["export", "builtin:googlenet", "-o", path("g.py"), "--seed", "3"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains(".onnx only"), r.stderr)
    }

    func testInvalidLayoutIsRefusedWithItsLocatedMessageAndNothingWritten() throws {
        let bad = path("bad.json")
        let text = try String(contentsOfFile: CLI.layout("googlenet.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"height\": 224, \"width\": 224", with: "\"height\": 8, \"width\": 8")
        try text.write(toFile: bad, atomically: true, encoding: .utf8)
        for ext in ["onnx", "py", "json"] {
            let r = try CLI.run(["export", bad, "-o", path("out.\(ext)")])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("\(bad): "), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.\(ext)")), ext)
        }
    }

    func testJSONIsTheCanonicalFileByteForByte() throws {
        let r = try CLI.run(["export", CLI.layout("googlenet.json"), "-o", path("g.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: path("g.json"))),
            try Data(contentsOf: URL(fileURLWithPath: CLI.layout("googlenet.json"))))
    }

    func testPythonAndONNXAreWrittenAndReported() throws {
        let py = try CLI.run(["export", "builtin:googlenet", "-o", path("g.py")])
        XCTAssertEqual(py.status, 0, py.stderr)
        XCTAssertTrue(py.stdout.hasPrefix("wrote \(path("g.py")) (py, "), py.stdout)
        let text = try String(contentsOfFile: path("g.py"), encoding: .utf8)
        XCTAssertTrue(text.contains("# Command: inception-explorer export builtin:googlenet -o \(path("g.py"))"))
        let onnx = try CLI.run(["export", "builtin:googlenet", "-o", path("g.onnx"), "--seed", "2"])
        XCTAssertEqual(onnx.status, 0, onnx.stderr)
        // Szegedy et al. 2014 Table 1: 6,998,552 params, 1,582,671,872 MACs.
        XCTAssertTrue(onnx.stdout.contains("GoogLeNet, 6,998,552 params, 1,582,671,872 MACs"), onnx.stdout)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("g.onnx")))
        XCTAssertGreaterThan(bytes.count, 4 * 6_998_552)
    }

    func testRoundTripThroughONNXKeepsTheTotalsAndTheWeights() throws {
        // export → summary FILE.onnx (the importer) gives back summary's totals; LAYOUT may itself be
        // the ONNX file: exporting it again keeps its own weights (none seeded) and the .py follows.
        let onnx = path("v3.onnx")
        XCTAssertEqual(try CLI.run(["export", "builtin:inception-v3", "-o", onnx, "--seed", "4"]).status, 0)
        let r = try CLI.run(["summary", onnx, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let totals = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["totals"] as? [String: Any]
        )
        // torchvision inception_v3 without aux: 23,834,568 params, 34,432 buffers, 5,713,216,096 MACs.
        XCTAssertEqual(totals["params"] as? Int, 23_834_568)
        XCTAssertEqual(totals["buffers"] as? Int, 34_432)
        XCTAssertEqual(totals["macs"] as? Int, 5_713_216_096)
        let again = try CLI.run(["export", onnx, "-o", path("again.onnx")])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stdout.contains("seeded"), again.stdout)
        XCTAssertEqual(try CLI.run(["export", onnx, "-o", path("v3.py")]).status, 0)
        XCTAssertTrue(
            try String(contentsOfFile: path("v3.py"), encoding: .utf8).contains("class InceptionE(nn.Module):"))
    }

    func testMissingWeightsDirectoryFailsInOneLine() throws {
        let r = try CLI.run(["export", "builtin:googlenet", "-o", path("g.onnx"), "--weights", path("nope")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("nope"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("g.onnx")))
    }

    func testWritingOverADirectoryFailsAndLeavesItAlone() throws {
        try FileManager.default.createDirectory(atPath: path("d.py"), withIntermediateDirectories: true)
        let r = try CLI.run(["export", "builtin:googlenet", "-o", path("d.py")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("directory"), r.stderr)
        var isDir: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("d.py"), isDirectory: &isDir) && isDir.boolValue)
    }
}
