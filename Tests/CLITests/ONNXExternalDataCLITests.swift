import Foundation
import TestSupport
import XCTest

/// Issue 19 through the real binary: external data reached through a link out of the model's
/// folder (item 1), a model cache of links (item 13) and a model whose node name and op type carry
/// terminal escapes (item 2). The models are the ONNX test target's fixtures, copied or patched.
final class ONNXExternalDataCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-onnxsec")
    }
    override func tearDown() { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static func fixture(_ name: String) -> String {
        SharedFixtures.onnx(name)
    }

    func copy(_ fixture: String, to name: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture(fixture), toPath: path(name))
    }

    /// QA's repro: `m/external.onnx.data -> s/secret` (the fixture's own data file, so the import
    /// succeeded and wrote the bytes out). Now exit 1, one line, and nothing written.
    func testExternalDataLinkedOutOfTheFolderIsRefusedAndNothingWritten() throws {
        try copy("external.onnx", to: "m/external.onnx")
        try copy("external.onnx.data", to: "s/secret")
        XCTAssertEqual(symlink(path("s/secret"), path("m/external.onnx.data")), 0)
        let r = try CLI.run(["import", path("m/external.onnx"), "--weights", path("W"), "-o", path("out.json")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
        XCTAssertTrue(
            r.stderr.contains("external data location \"external.onnx.data\" leads out of the model's folder"), r.stderr
        )
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("W")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.json")))
    }

    /// A Hugging Face cache: the model and its data are links from snapshots/REV/ to blobs/. Every
    /// command reads it (`import` said "not an ONNX model", the others "not a regular file").
    func testAModelCacheOfLinksImports() throws {
        try copy("external.onnx", to: "hub/models--org--net/blobs/aaaa1111")
        try copy("external.onnx.data", to: "hub/models--org--net/blobs/bbbb2222")
        let snapshot = path("hub/models--org--net/snapshots/0123abcd")
        try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
        XCTAssertEqual(symlink("../../blobs/aaaa1111", snapshot + "/external.onnx"), 0)
        XCTAssertEqual(symlink("../../blobs/bbbb2222", snapshot + "/external.onnx.data"), 0)
        let r = try CLI.run(["import", snapshot + "/external.onnx", "-o", path("out.json"), "--weights", path("W")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("W/conv.weight.npy")))
        let s = try CLI.run(["summary", snapshot + "/external.onnx"])
        XCTAssertEqual(s.status, 0, s.stderr)
    }

    /// A node named `g\n\e[J` with op type `\e]0;P\aX` (the fixture bad_sigmoid.onnx patched in
    /// place, same lengths): one line on stderr, no control character in it.
    func testEscapesInNamesNeverReachTheTerminal() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("bad_sigmoid.onnx"))))
        func patch(_ old: String, _ new: [UInt8]) {
            let o = Array(old.utf8)
            guard let i = (0...(bytes.count - o.count)).first(where: { Array(bytes[$0..<($0 + o.count)]) == o }) else {
                return XCTFail("\(old) not in the fixture")
            }
            bytes.replaceSubrange(i..<(i + o.count), with: new)
        }
        patch("gate7", [0x67, 0x0A, 0x1B, 0x5B, 0x4A])
        patch("Sigmoid", [0x1B, 0x5D, 0x30, 0x3B, 0x50, 0x07, 0x58])
        try Data(bytes).write(to: URL(fileURLWithPath: path("evil.onnx")))
        for args in [["import", path("evil.onnx")], ["summary", path("evil.onnx")]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasSuffix("\n"), r.stderr)
            XCTAssertFalse(
                r.stderr.dropLast().unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                r.stderr)
            XCTAssertTrue(r.stderr.contains(#"node "g\n\u001B[J" ("\u001B]0;P\u0007X"): unsupported op"#), r.stderr)
        }
    }
}
