import Foundation
import TestSupport
import XCTest

@testable import InceptionWeights

/// Issue 12's `.npy` findings and a seeded fuzz of the reader: whatever the bytes, reading either
/// gives an array whose values fill its shape, or a one-line error naming the file (header text
/// quoted, never raw newlines or NULs). `IE_FUZZ_ITERATIONS` runs it long (docs/fuzzing.md).
final class NpyFuzzTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("npy-fuzz")
    }
    override func tearDown() { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A v1 file with `dict` as its header text (padded to 64) and `dataBytes` zero bytes.
    func file(_ name: String, dict: String, dataBytes: Int, major: UInt8 = 1) -> String {
        var text = Array(dict.utf8)
        let prefix = major == 1 ? 10 : 12
        while (prefix + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0A)
        var bytes = NpyHeader.magic + [major, 0]
        for i in 0..<(prefix - 8) { bytes.append(UInt8((text.count >> (8 * i)) & 0xFF)) }
        bytes += text + [UInt8](repeating: 0, count: dataBytes)
        _ = FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
        return path(name)
    }

    func testLenientShapesAreRefused() {
        for (i, shape) in ["(+4, 3)", "(4,, 3)", "(,)", "(4 3)", "(-0, 3)", "(0x4, 3)", "(4,3,,)", "(1_000,)"]
            .enumerated()
        {
            let p = file(
                "s\(i).npy", dict: "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }", dataBytes: 48)
            XCTAssertThrowsError(try NpyFile.read(p), shape) { e in
                XCTAssertTrue("\(e)".contains("header has a bad shape"), "\(shape): \(e)")
            }
        }
        // What Python writes is still read: (), (3,), (4, 3), and a trailing comma.
        for (shape, count) in [("()", 1), ("(3,)", 3), ("(4, 3)", 12), ("(4, 3,)", 12)] {
            let p = file(
                "ok.npy", dict: "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }", dataBytes: count * 4)
            XCTAssertEqual(try NpyFile.read(p).values.count, count, shape)
        }
    }

    func testHeaderBytesInMessagesAreQuoted() {
        let p = file("nl.npy", dict: "{'descr': '<f4\n\0evil', 'fortran_order': False, 'shape': (1,), }", dataBytes: 4)
        XCTAssertThrowsError(try NpyFile.read(p)) { e in
            let text = "\(e)"
            XCTAssertFalse(text.contains("\n") || text.contains("\0"), text)
            XCTAssertTrue(text.contains(#"\n\u{0}evil"#), text)
        }
    }

    /// A valid v2 header longer than 64 KiB (NumPy writes one for a shape with many dimensions, or
    /// pads with spaces) works as a weight file (readHeader) and as an input (read) alike.
    func testAV2HeaderOver64KiBReadsBothWays() throws {
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + String(repeating: " ", count: 70_000)
        let p = file("big-header.npy", dict: dict, dataBytes: 24, major: 2)
        XCTAssertEqual(try NpyFile.readHeader(p).shape, [2, 3])
        XCTAssertEqual(try NpyFile.read(p).values, [Float](repeating: 0, count: 6))
    }

    func testAFIFOIsRefusedWithoutBlocking() {
        let fifo = path("w.npy")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for read in [{ _ = try NpyFile.readHeader(fifo) }, { _ = try NpyFile.read(fifo) }] {
            XCTAssertThrowsError(try read()) { e in XCTAssertEqual("\(e)", "\(fifo): is a FIFO, not a regular file") }
        }
    }

    func testNpyWriteRefusesANonRegularTarget() {
        let fifo = path("out.npy")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertThrowsError(try NpyFile.write(fifo, shape: [1], values: [1])) { e in
            XCTAssertEqual("\(e)", "\(fifo): not a regular file (FIFO)")
        }
    }

    func testSeededMutationsReadOrFailInOneLine() throws {
        var rng = SplitMix64(
            seed: ProcessInfo.processInfo.environment["IE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x4E50_59)
        func next() -> Int { rng.nextInt() }
        let iterations = ProcessInfo.processInfo.environment["IE_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 400
        var valid = NpyHeader.encode(shape: [2, 3, 4])
        valid += [UInt8](repeating: 0, count: 96)
        let interesting: [[UInt8]] = [
            Array("99999999999999999999".utf8), Array("-1".utf8), Array(",,".utf8), [0], [0x0A],
            Array("(".utf8), Array(")".utf8), Array("'".utf8), Array("True".utf8), [0xFF, 0xFF],
        ]
        let p = path("m.npy")
        for i in 0..<iterations {
            var m = valid
            for _ in 0..<(1 + next() % 3) {
                let at = next() % m.count
                switch next() % 5 {
                case 0: m[at] = UInt8(truncatingIfNeeded: next())
                case 1: m.remove(at: at)
                case 2: m.insert(contentsOf: interesting[next() % interesting.count], at: at)
                case 3: m = Array(m.prefix(at))
                default: m[min(at, 9)] = UInt8(truncatingIfNeeded: next())  // the length field
                }
                if m.isEmpty { m = [0] }
            }
            _ = FileManager.default.createFile(atPath: p, contents: Data(m))
            do {
                let a = try NpyFile.read(p)
                XCTAssertEqual(a.values.count, a.shape.reduce(1, *), "mutant \(i)")
            } catch {
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix(p + ": "), "mutant \(i): \(text)")
                XCTAssertFalse(text.contains("\n") || text.contains("\0"), "mutant \(i): \(text)")
            }
            _ = try? NpyFile.readHeader(p)
        }
    }
}
