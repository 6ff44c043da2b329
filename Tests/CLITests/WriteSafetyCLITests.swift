import Foundation
import TestSupport
import XCTest

/// Issue 19's data-loss findings through the real binary: no output may replace a file the
/// command reads (8), a name that is not UTF-8 is refused instead of written under another name
/// (9), a failed command changes no file (10), and `run --input` checks the header before reading
/// the data (5).
final class WriteSafetyCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-writes")
    }
    override func tearDown() { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = path("cache")
        e["SWIFT_BACKTRACE"] = "enable=no"
        return e
    }

    static func fixture(_ name: String) -> String {
        SharedFixtures.onnx(name)
    }

    func bytes(_ p: String) -> Data? { FileManager.default.contents(atPath: p) }

    /// A one-conv layout on a 3x4x4 input.
    func smallLayout() throws -> String {
        let json =
            #"{"format":"inception-layout/1","name":"x","input":{"channels":3,"height":4,"width":4},"layers":[{"name":"c","op":"conv","out":2,"kernel":1}]}"#
        try json.write(toFile: path("x.json"), atomically: true, encoding: .utf8)
        return path("x.json")
    }

    func assertRefused(_ r: CLIResult, containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)", file: file, line: line)
    }

    // MARK: 8. Never over what the command reads

    /// `export MODEL.onnx -o MODEL.onnx` replaced the source model; through a symbolic link or a
    /// hard link as well. Each is refused in one line and the model stays byte for byte.
    func testExportRefusesToWriteOverItsModelThroughAnyName() throws {
        let model = path("m.onnx")
        try FileManager.default.copyItem(atPath: Self.fixture("tiny_inception_bn.onnx"), toPath: model)
        let original = bytes(model)
        try FileManager.default.createSymbolicLink(atPath: path("link.onnx"), withDestinationPath: model)
        XCTAssertEqual(link(model, path("hard.onnx")), 0)
        for out in [model, path("link.onnx"), path("hard.onnx"), dir.path + "/./m.onnx"] {
            assertRefused(try CLI.run(["export", model, "-o", out], environment: env), containing: "is the model")
            XCTAssertEqual(bytes(model), original, "export -o \(out) changed the model")
        }
        // A JSON layout too (its text is kept as the user wrote it, not rewritten canonical).
        let layout = try smallLayout()
        let text = bytes(layout)
        assertRefused(
            try CLI.run(["export", layout, "-o", layout], environment: env), containing: "x.json: is the layout itself")
        XCTAssertEqual(bytes(layout), text)
    }

    /// A model whose external data file ends in `.onnx`: `export m.onnx -o w.onnx` overwrote the
    /// data, after which m.onnx loaded garbage weights. The fixture's location "external.onnx.data"
    /// is renamed in place to a name of the same length ending in .onnx.
    func testExportAndImportRefuseTheModelsExternalData() throws {
        let data = "wwwwwwwwwwwww.onnx"
        var model = try XCTUnwrap(bytes(Self.fixture("external.onnx")))
        let old = Data("external.onnx.data".utf8), new = Data(data.utf8)
        var replaced = 0
        while let r = model.range(of: old) {
            model.replaceSubrange(r, with: new)
            replaced += 1
        }
        XCTAssertGreaterThan(replaced, 0)
        try model.write(to: URL(fileURLWithPath: path("m.onnx")))
        try FileManager.default.copyItem(atPath: Self.fixture("external.onnx.data"), toPath: path(data))
        let original = bytes(path(data))
        XCTAssertEqual(try CLI.run(["summary", path("m.onnx")], environment: env).status, 0)

        assertRefused(
            try CLI.run(["export", path("m.onnx"), "-o", path(data)], environment: env), containing: "external data")
        XCTAssertEqual(bytes(path(data)), original)
        // Through a link named .json, for import -o.
        try FileManager.default.createSymbolicLink(atPath: path("d.json"), withDestinationPath: path(data))
        assertRefused(
            try CLI.run(["import", path("m.onnx"), "-o", path("d.json")], environment: env), containing: "external data"
        )
        XCTAssertEqual(bytes(path(data)), original)
    }

    /// `run --save DIR` where DIR holds what the run reads under a name the save writes: the
    /// --weights files, the --input file.
    func testRunSaveRefusesToReplaceWhatTheRunReads() throws {
        let layout = try smallLayout()
        XCTAssertEqual(try CLI.run(["run", layout, "--save", path("s")], environment: env).status, 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: path("s")).sorted().map {
            bytes(path("s/" + $0))
        }
        assertRefused(
            try CLI.run(["run", layout, "--weights", path("s"), "--save", path("s")], environment: env),
            containing: "--weights file")
        assertRefused(
            try CLI.run(
                ["run", layout, "--input", path("s/input.npy"), "--save", path("s"), "--seed", "3"], environment: env),
            containing: "--input file")
        let after = try FileManager.default.contentsOfDirectory(atPath: path("s")).sorted().map {
            bytes(path("s/" + $0))
        }
        XCTAssertEqual(before, after)
    }

    // MARK: 9. Names that are not UTF-8

    /// Runs the binary through /bin/sh so an argument can hold bytes that are not UTF-8
    /// (Foundation's Process takes Strings): `$B` is the binary, `$D` the test directory.
    func shell(_ script: String) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var e = env
        e["B"] = CLI.binary.path
        e["D"] = dir.path
        process.environment = e
        let err = path("stderr.txt")
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: bytes(err) ?? Data(), as: UTF8.self)
        try? FileManager.default.removeItem(atPath: err)
        return CLIResult(status: process.terminationStatus, stdout: "", stderr: text)
    }

    /// The raw names in the test directory.
    func rawNames() -> Set<[UInt8]> {
        guard let d = opendir(dir.path) else { return [] }
        defer { closedir(d) }
        var out = Set<[UInt8]>()
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [0x2e] && name != [0x2e, 0x2e] { out.insert(name) }
        }
        return out
    }

    /// `-o $'caf\xe9.json'` wrote `caf\xef\xbf\xbd.json`; a link to `data\xff.json` said "wrote"
    /// and left the target unchanged. Both are refused and nothing is created.
    func testNamesThatAreNotUTF8AreRefusedNotRenamed() throws {
        let r = try shell(#"exec "$B" export builtin:googlenet -o "$D/$(printf 'caf\351.json')""#)
        assertRefused(r, containing: "not valid UTF-8")
        XCTAssertEqual(rawNames(), [])

        // data\xff.json holds "old"; l.json links to it.
        let target: [UInt8] = Array("data".utf8) + [0xff] + Array(".json".utf8)
        let full = Array(dir.path.utf8) + [0x2f] + target
        let fd = (full.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644)
        }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = write(fd, "old", 3)
        close(fd)
        let linked = (target.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            symlink($0.baseAddress!, path("l.json"))
        }
        XCTAssertEqual(linked, 0)
        let before = rawNames()
        assertRefused(
            try CLI.run(["export", "builtin:googlenet", "-o", path("l.json")], environment: env),
            containing: "not valid UTF-8")
        XCTAssertEqual(rawNames(), before, "no file created under a repaired name")
        // And the run --save directory path.
        assertRefused(
            try shell(#"exec "$B" run builtin:googlenet --block inception_3a --save "$D/$(printf 'w\377')""#),
            containing: "not valid UTF-8")
        XCTAssertEqual(rawNames(), before)
    }

    // MARK: 10. A failed command changes nothing

    /// `import m.onnx -o fifo.json --weights W` exited 1 but wrote W/.
    func testImportWithAnUnwritableLayoutTargetWritesNoWeights() throws {
        XCTAssertEqual(mkfifo(path("fifo.json"), 0o644), 0)
        let r = try CLI.run(
            ["import", Self.fixture("tiny_inception_bn.onnx"), "-o", path("fifo.json"), "--weights", path("W")],
            environment: env, timeout: 30)
        assertRefused(r, containing: "fifo.json: not a regular file (FIFO)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("W")))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["fifo.json"])
    }

    /// `run --weights BAD --save new/a/b/W` failed and left new/a/b behind.
    func testFailedRunLeavesNoSaveFolders() throws {
        let r = try CLI.run(
            ["run", try smallLayout(), "--weights", path("bad"), "--save", path("new/a/b/W")], environment: env)
        assertRefused(r, containing: "no such weights directory")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)), ["x.json"])
        // Succeeding, it makes them.
        XCTAssertEqual(try CLI.run(["run", path("x.json"), "--save", path("new/a/b/W")], environment: env).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("new/a/b/W/output.npy")))
    }

    // MARK: 14. Long names, short messages

    /// Names within the limit whose node path makes a file name over 255 bytes (a 200-byte block
    /// name and a 100-byte layer name): `run --save` failed with a "one line" of kilobytes naming
    /// the hidden staging folder. Now one short line naming DIR, and nothing is created.
    func testSavingAnOverlongFileNameIsOneShortLine() throws {
        let block = String(repeating: "b", count: 200), layer = String(repeating: "l", count: 100)
        let json =
            #"{"format":"inception-layout/1","name":"x","input":{"channels":3,"height":4,"width":4},"layers":["#
            + #"{"name":"\#(block)","op":"inception","branches":[{"name":"a","layers":[{"name":"\#(layer)","op":"conv","out":2,"kernel":1}]}]}]}"#
        try json.write(toFile: path("long.json"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["validate", path("long.json")], environment: env).status, 0)
        let r = try CLI.run(["run", path("long.json"), "--save", path("S")], environment: env)
        assertRefused(r, containing: "over the limit of 255")
        XCTAssertLessThan(r.stderr.utf8.count, 400, r.stderr)
        XCTAssertFalse(r.stderr.contains(".tmp-"), "names the staging folder: \(r.stderr)")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)), ["long.json"])
    }

    /// A 20,000-character path (a folder that does not exist) in every place a command takes
    /// one: each refusal is one line of at most a few hundred bytes, the path cut in the middle.
    func testA20KBPathMakesAShortLineEverywhere() throws {
        let long = path(String(repeating: "d", count: 20_000))
        let layout = try smallLayout()
        let cases: [[String]] = [
            ["export", layout, "-o", long + ".json"],
            ["import", Self.fixture("tiny_inception_bn.onnx"), "-o", long + ".json"],
            ["import", Self.fixture("tiny_inception_bn.onnx"), "-o", path("o.json"), "--weights", long + "/W"],
            ["run", layout, "--input", long + ".npy"],
            ["run", layout, "--weights", long],
            ["run", layout, "--save", long + "/S"],
            ["validate", long + ".json"],
        ]
        for args in cases {
            let r = try CLI.run(args, environment: env)
            XCTAssertEqual(r.status, 1, "\(args[0]) \(args.count): \(r.stderr.prefix(200))")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args[0])")
            XCTAssertLessThan(r.stderr.utf8.count, 400, "\(args[0]) \(args[args.count - 2]): \(r.stderr.prefix(300))")
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)), ["x.json"])
    }

    // MARK: 5. --input: the header first

    /// A header declaring 32 GiB aborted ("failed to allocate"): the whole file was read before
    /// its shape was compared. Here a sparse file whose header declares [1, 3, 32768, 32768]
    /// (12 GiB of float32, taking no disk) is given to a 3x4x4 layout, with the address space
    /// capped at 4 GB so reading it would fail at once: the header alone refuses it.
    func testRunInputShapeIsCheckedBeforeTheDataIsRead() throws {
        _ = try smallLayout()  // writes the layout the run reads
        // A .npy 1.0 header: magic, version, uint16 length, the dict padded to 64 bytes in all.
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 32768, 32768), }"
        let padded = dict + String(repeating: " ", count: 64 * 2 - 10 - dict.utf8.count - 1) + "\n"
        let header: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(padded.utf8.count), 0] + Array(padded.utf8)
        XCTAssertEqual(header.count, 128)
        let npy = path("big.npy")
        _ = FileManager.default.createFile(atPath: npy, contents: Data(header))
        XCTAssertEqual(truncate(npy, off_t(header.count) + 3 * 32768 * 32768 * 4), 0)
        let r = try shell(#"ulimit -v 4000000; exec "$B" run "$D/x.json" --input "$D/big.npy""#)
        assertRefused(r, containing: "big.npy: input shape [1, 3, 32768, 32768] does not match x's input [1, 3, 4, 4]")
    }
}
