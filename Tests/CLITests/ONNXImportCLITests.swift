import Foundation
import InceptionCore
import InceptionWeights
import TestSupport
import XCTest

/// The binary on ONNX files: every LAYOUT command takes one (recognised by content), `import`
/// writes the layout and weights, `run` uses the model's own weights, and a corrupt file is one
/// line and exit 1.
final class ONNXImportCLITests: XCTestCase {
    static func fixture(_ name: String) -> String {
        SharedFixtures.onnx(name)
    }

    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-onnx")
    }

    override func tearDownWithError() throws { tmp?.remove() }

    /// fixtures.json: counted from the graph itself (29,574 params, 608 buffers, 417,276 MACs).
    func testEveryLayoutCommandTakesAnONNXFile() throws {
        let model = Self.fixture("tiny_inception_bn.onnx")
        let summary = try CLI.run(["summary", model, "--format", "json"])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(
            summary.stdout.contains("\"params\": 29574") || summary.stdout.contains("\"params\":29574"), summary.stdout)
        for args in [["validate", model], ["lint", model], ["diff", model, model]] {
            let r = try CLI.run(args)
            XCTAssertTrue(r.status == 0 || (args[0] == "lint" && r.status <= 1), "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("JSON"), "\(args) treated the model as JSON: \(r.stderr)")
        }
        // Content, not the extension, decides.
        let renamed = dir.appendingPathComponent("model.json").path
        try FileManager.default.copyItem(atPath: model, toPath: renamed)
        XCTAssertEqual(try CLI.run(["validate", renamed]).status, 0)
    }

    func testImportWritesALayoutAndWeightsThatRunTheSame() throws {
        let model = Self.fixture("tiny_inception_bn.onnx")
        let out = dir.appendingPathComponent("tiny.json").path, weights = dir.appendingPathComponent("w").path
        let r = try CLI.run(["import", model, "-o", out, "--weights", weights])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try LayoutSource.load(out).layout.layers.count, 7)
        let input = Self.fixture("input_tiny_inception_bn.npy")
        // Bitwise equality needs the same conv algorithms in both runs: `auto` times them, and a run
        // that starts with an empty cache (every test process has its own) may choose differently
        // from one that reads it (Winograd and direct agree to ~1e-6, not bit for bit), so pin them.
        let a = try CLI.run([
            "run", model, "--input", input, "--threads", "1", "--algo", "direct",
            "--save", dir.appendingPathComponent("a").path,
        ])
        let b = try CLI.run([
            "run", out, "--weights", weights, "--input", input, "--threads", "1", "--algo", "direct",
            "--save", dir.appendingPathComponent("b").path,
        ])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        let ours = try Self.npyFloats(dir.appendingPathComponent("a/output.npy").path)
        XCTAssertEqual(ours, try Self.npyFloats(dir.appendingPathComponent("b/output.npy").path))
        // And onnxruntime's output (made by make_fixtures.py) within 1e-4 of its scale.
        let ort = try Self.npyFloats(Self.fixture("output_tiny_inception_bn.npy"))
        let scale = ort.map(abs).max()!
        XCTAssertLessThanOrEqual(zip(ours, ort).map { abs($0 - $1) }.max()! / scale, 1e-4)
    }

    func testImportNeverWritesOverTheModel() throws {
        // A model is recognised by content, so one named .json passes the -o name check: the
        // same-file check still refuses it.
        let model = dir.appendingPathComponent("m.json").path
        try FileManager.default.copyItem(atPath: Self.fixture("helper_mix.onnx"), toPath: model)
        let r = try CLI.run(["import", model, "-o", model])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "\(model): is the model itself; write to another file\n")
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: model)),
            try Data(contentsOf: URL(fileURLWithPath: Self.fixture("helper_mix.onnx"))))
        // Named .onnx, it is refused before anything is read (a usage error).
        let onnx = dir.appendingPathComponent("m.onnx").path
        try FileManager.default.copyItem(atPath: Self.fixture("helper_mix.onnx"), toPath: onnx)
        XCTAssertEqual(try CLI.run(["import", onnx, "-o", onnx]).status, 2)
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: onnx)),
            try Data(contentsOf: URL(fileURLWithPath: Self.fixture("helper_mix.onnx"))))
    }

    func testImportWithoutOutputPrintsTheLayout() throws {
        let r = try CLI.run(["import", Self.fixture("helper_mix.onnx")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("{"), r.stdout)
        XCTAssertNoThrow(try LayoutCodec.decode(r.stdout))
    }

    func testImportWritesOnlyJSON() throws {
        let out = dir.appendingPathComponent("other.onnx").path
        let r = try CLI.run(["import", Self.fixture("tiny_inception_bn.onnx"), "-o", out])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("-o must name a .json file"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written")
    }

    func testImportRefusesWhatIsNotONNX() throws {
        let r = try CLI.run(["import", CLI.layout("googlenet.json")])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "\(CLI.layout("googlenet.json")): not an ONNX model (a ModelProto protobuf file)\n")
        XCTAssertEqual(try CLI.run(["import", dir.path]).stderr, "\(dir.path): is a directory, not a regular file\n")
        // A FIFO is named for what it is, as every other command names it (and never opened to block).
        let fifo = dir.appendingPathComponent("pipe.onnx").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(try CLI.run(["import", fifo]).stderr, "\(fifo): is a FIFO, not a regular file\n")
        XCTAssertEqual(
            try CLI.run(["import", dir.appendingPathComponent("none.onnx").path]).stderr,
            "\(dir.appendingPathComponent("none.onnx").path): no such file\n")
    }

    func testCorruptModelsAreOneLineAndExit1() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("tiny_inception_bn.onnx")))
        for (i, cut) in [bytes.count / 3, bytes.count - 7].enumerated() {
            let path = dir.appendingPathComponent("cut\(i).onnx").path
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            for command in ["summary", "run", "import"] {
                let r = try CLI.run([command, path])
                XCTAssertEqual(r.status, 1, "\(command) \(path): \(r.stderr)")
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertTrue(r.stderr.hasPrefix(path + ": "), r.stderr)
            }
        }
        let bad = try CLI.run(["summary", Self.fixture("bad_sigmoid.onnx")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(
            bad.stderr.contains(": node \"gate7\" (Sigmoid): unsupported op (no layer maps it)\n"), bad.stderr)
    }

    /// Issue 24 item 3: `lint --json` (and `--format json`) on a model the importer refuses answers
    /// a JSON error object on stdout (the same line on stderr, exit 1), not text; a layout whose
    /// analysis fails too.
    func testLintJSONOnARefusedModelIsAnErrorObject() throws {
        let model = Self.fixture("bad_sigmoid.onnx")
        for flag in [["--json"], ["--format", "json"]] {
            let r = try CLI.run(["lint", model] + flag)
            XCTAssertEqual(r.status, 1, r.stderr)
            let object = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
            let error = try XCTUnwrap(object["error"] as? String)
            XCTAssertTrue(error.hasPrefix(model + ": node \"gate7\" (Sigmoid): unsupported op"), error)
            XCTAssertEqual(r.stderr, error + "\n")
        }
        let bad = dir.appendingPathComponent("bad.json").path
        try Data(
            #"{"format": "inception-layout/1", "name": "b", "input": [3, 8, 8], "layers": [{"op": "maxpool", "kernel": 9}]}"#
                .utf8
        )
        .write(to: URL(fileURLWithPath: bad))
        let r = try CLI.run(["lint", bad, "--format", "json"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertNotNil(
            (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["error"] as? String,
            r.stdout)
        let text = try CLI.run(["lint", model])
        XCTAssertEqual(text.stdout, "", "text lint keeps stdout empty on a refusal")
    }

    /// The float32 values of a little-endian .npy file (the version 1 header, as NpyFile writes).
    static func npyFloats(_ path: String) throws -> [Float] {
        let d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = Int(d[8]) | Int(d[9]) << 8
        let body = d[(10 + headerLength)...]
        return stride(from: body.startIndex, to: body.endIndex, by: 4).map { i in
            Float(
                bitPattern: UInt32(body[i]) | UInt32(body[i + 1]) << 8 | UInt32(body[i + 2]) << 16 | UInt32(body[i + 3])
                    << 24)
        }
    }
}
