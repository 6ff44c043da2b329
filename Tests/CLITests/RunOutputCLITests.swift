import Foundation
import TestSupport
import XCTest

/// Issue 24 item 18: `run` names a classifier's top-5 classes, and says when `--seed` seeds
/// nothing (or only the input) because the weights come from a file.
final class RunOutputCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-runout")
    }
    override func tearDown() { tmp?.remove() }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = dir.appendingPathComponent("cache").path
        return e
    }

    /// GoogLeNet ends in 1000 classes (1000x1x1): five "#index value" pairs, largest first, in
    /// the sum's fixed six-decimal format. A block's feature map (256x28x28) gets none.
    func testAClassifierOutputListsItsTopFiveClasses() throws {
        let r = try CLI.run(["run", "builtin:googlenet", "--threads", "1"], environment: env, timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("top-5 classes: ") }, r.stdout)
        let items = line.dropFirst("top-5 classes: ".count).components(separatedBy: ", ")
        XCTAssertEqual(items.count, 5, String(line))
        var values: [Double] = []
        for item in items {
            let parts = item.split(separator: " ")
            XCTAssertEqual(parts.count, 2, item)
            XCTAssertTrue(parts[0].hasPrefix("#"), item)
            let index = try XCTUnwrap(Int(parts[0].dropFirst()), item)
            XCTAssertTrue((0..<1000).contains(index), item)
            XCTAssertEqual(parts[1].split(separator: ".").last?.count, 6, "six decimals, as the sum: \(item)")
            values.append(try XCTUnwrap(Double(parts[1]), item))
        }
        XCTAssertEqual(values, values.sorted(by: >), String(line))
        let block = try CLI.run(
            ["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1"], environment: env)
        XCTAssertEqual(block.status, 0, block.stderr)
        XCTAssertFalse(block.stdout.contains("top-5"), block.stdout)
    }

    /// Only a classifier's vector has classes: a network ending in a linear (logits) or a softmax
    /// gets its top-5, one ending in a norm after the linear does not, though its output is the
    /// same 10x1x1 (facenet-pytorch's InceptionResnetV1 ends in linear → batchnorm → l2norm: a
    /// 512-d face embedding, whose "top-5 classes" were five arbitrary coordinates).
    func testOnlyAClassifierOutputListsTopClassesNotAnEmbedding() throws {
        let tails: [(String, Bool)] = [
            ("", true),
            (#", { "op": "softmax" }"#, true),
            (#", { "op": "dropout", "rate": 0.2 }"#, true),
            (#", { "name": "embedding", "op": "l2norm" }"#, false),
            (#", { "op": "batchnorm" }, { "op": "l2norm" }"#, false),
            (#", { "op": "layernorm" }"#, false),
        ]
        for (i, (tail, classifier)) in tails.enumerated() {
            let file = dir.appendingPathComponent("tail\(i).json")
            try #"""
            { "format": "inception-layout/1", "name": "tail\#(i)", "input": { "channels": 3, "height": 8, "width": 8 },
              "layers": [ { "op": "conv", "out": 4, "kernel": 3, "pad": 1 }, { "op": "globalavgpool" },
                          { "name": "fc", "op": "linear", "out": 10 }\#(tail) ] }
            """#.write(to: file, atomically: true, encoding: .utf8)
            let r = try CLI.run(["run", file.path, "--threads", "1"], environment: env)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("output [1, 10, 1, 1]"), r.stdout)
            XCTAssertEqual(r.stdout.contains("top-5 classes: #"), classifier, "layers ending \(tail): \(r.stdout)")
        }
        // The linear itself, run as a node, is the logits.
        let fc = try CLI.run(
            ["run", dir.appendingPathComponent("tail3.json").path, "--block", "fc", "--threads", "1"], environment: env)
        XCTAssertEqual(fc.status, 0, fc.stderr)
        XCTAssertTrue(fc.stdout.contains("top-5 classes: #"), fc.stdout)
        // facenet's two tails as torch exports them (make_embedding_fixtures.py): the default
        // embedding (MatMul → BatchNormalization → ReduceL2 … Div) has no classes; classify=True's
        // Gemm to 4 classes lists all four.
        let embedding = try CLI.run(
            ["run", SharedFixtures.onnx("tiny_embedding.onnx"), "--threads", "1"], environment: env)
        XCTAssertEqual(embedding.status, 0, embedding.stderr)
        XCTAssertTrue(embedding.stdout.contains("output [1, 6, 1, 1]"), embedding.stdout)
        XCTAssertFalse(embedding.stdout.contains("classes"), embedding.stdout)
        let logits = try CLI.run(["run", SharedFixtures.onnx("tiny_logits.onnx"), "--threads", "1"], environment: env)
        XCTAssertEqual(logits.status, 0, logits.stderr)
        XCTAssertTrue(logits.stdout.contains("top-4 classes: #"), logits.stdout)
    }

    func testSeedIsSaidToBeIgnoredWhenTheWeightsComeFromAFolder() throws {
        let saved = dir.appendingPathComponent("w").path
        let save = try CLI.run(
            ["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1", "--save", saved],
            environment: env)
        XCTAssertEqual(save.status, 0, save.stderr)
        XCTAssertFalse(save.stderr.contains("--seed"), save.stderr)
        let weightsOnly = try CLI.run(
            [
                "run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1",
                "--weights", saved, "--seed", "7",
            ], environment: env)
        XCTAssertEqual(weightsOnly.status, 0, weightsOnly.stderr)
        XCTAssertTrue(
            weightsOnly.stderr.contains("warning: --seed 7 only seeds the input: the weights are --weights "),
            weightsOnly.stderr)
        let both = try CLI.run(
            [
                "run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1",
                "--weights", saved, "--input", saved + "/input.npy", "--seed", "7",
            ], environment: env)
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertTrue(both.stderr.contains("warning: --seed 7 is ignored: the weights are --weights "), both.stderr)
        // Without --seed nothing is said.
        let quiet = try CLI.run(
            ["run", "builtin:googlenet", "--block", "inception_3a", "--threads", "1", "--weights", saved],
            environment: env)
        XCTAssertFalse(quiet.stderr.contains("--seed"), quiet.stderr)
    }
}
