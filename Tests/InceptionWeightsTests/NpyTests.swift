import Foundation
import TestSupport
import XCTest

@testable import InceptionWeights

final class NpyTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("npy")
    }
    override func tearDown() { tmp?.remove() }

    /// The fixtures were written once by NumPy 2.4.6: `np.arange(24, dtype=float32).reshape(2, 3, 4)
    /// * 0.5 - 3` with np.save (format 1.0) and with write_array(version=(2, 0)).
    func testReadsNumPyWrittenFilesVersion1And2() throws {
        let expected = (0..<24).map { Float($0) * 0.5 - 3 }
        for name in ["arange-2x3x4.npy", "arange-2x3x4-v2.npy"] {
            let a = try NpyFile.read(fixture(name))
            XCTAssertEqual(a.shape, [2, 3, 4], name)
            XCTAssertEqual(a.values, expected, name)
            XCTAssertEqual(try NpyFile.readHeader(fixture(name)).shape, [2, 3, 4])
        }
        let scalar = try NpyFile.read(fixture("scalar.npy"))
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.values, [1.5])
    }

    func testRoundTripKeepsShapeAndBits() throws {
        for shape in [[7], [2, 3, 5, 1], [0, 4], []] {
            let count = shape.reduce(1, *)
            let values = (0..<count).map { Float($0) * -0.37 + 1e-30 }
            let path = dir.appendingPathComponent("a.npy").path
            try NpyFile.write(path, shape: shape, values: values)
            let back = try NpyFile.read(path)
            XCTAssertEqual(back.shape, shape)
            XCTAssertEqual(back.values.map(\.bitPattern), values.map(\.bitPattern))
            // Data starts on a 64-byte boundary, as NumPy writes it.
            XCTAssertEqual(try NpyFile.readHeader(path).dataOffset % 64, 0)
        }
    }

    func testWrittenFileIsVersion1WithNumPysHeader() throws {
        let path = dir.appendingPathComponent("b.npy").path
        try NpyFile.write(path, shape: [3], values: [1, 2, 3])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(bytes[0..<8]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let header = String(decoding: bytes[10..<128], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header)
        XCTAssertEqual(bytes[127], 0x0a)
    }

    func testLongHeaderSwitchesToVersion2() throws {
        let shape = [Int](repeating: 1, count: 25_000)  // "1, " × 25,000: the dict alone is > 65,535 bytes
        let encoded = NpyHeader.encode(shape: shape)
        XCTAssertEqual(encoded[6], 2)
        XCTAssertEqual(try NpyHeader.parse(encoded).shape.count, 25_000)
    }

    func testRefusesFortranOrderOtherDtypesAndCorruptFiles() throws {
        XCTAssertThrowsError(try NpyFile.read(fixture("fortran-2x3.npy"))) { e in
            XCTAssertTrue("\(e)".contains("fortran_order True is not supported"), "\(e)")
            XCTAssertTrue("\(e)".hasPrefix(self.fixture("fortran-2x3.npy") + ": "), "\(e)")
        }
        XCTAssertThrowsError(try NpyFile.read(fixture("float64-3.npy"))) { e in
            XCTAssertTrue("\(e)".contains("dtype '<f8' is not supported"), "\(e)")
        }
        let good = try Data(contentsOf: Self.fixtures.appendingPathComponent("arange-2x3x4.npy"))
        let truncated = dir.appendingPathComponent("t.npy")
        try good.prefix(good.count - 4).write(to: truncated)
        XCTAssertThrowsError(try NpyFile.read(truncated.path)) { e in
            XCTAssertTrue("\(e)".contains("data is 92 bytes, shape [2, 3, 4] of float32 needs 96"), "\(e)")
        }
        XCTAssertThrowsError(try NpyFile.readHeader(truncated.path))
        let garbage = dir.appendingPathComponent("g.npy")
        try Data("hello, world".utf8).write(to: garbage)
        XCTAssertThrowsError(try NpyFile.read(garbage.path)) { e in XCTAssertTrue("\(e)".contains("not a .npy file")) }
        var badShape = [UInt8](good)
        if let i = badShape.firstIndex(of: UInt8(ascii: "(")) {
            badShape[i + 1] = UInt8(ascii: "x")
        }
        let bad = dir.appendingPathComponent("s.npy")
        try Data(badShape).write(to: bad)
        XCTAssertThrowsError(try NpyFile.read(bad.path)) { e in XCTAssertTrue("\(e)".contains("bad shape"), "\(e)") }
        XCTAssertThrowsError(try NpyFile.read(dir.appendingPathComponent("none.npy").path)) { e in
            XCTAssertTrue("\(e)".hasSuffix("none.npy: no such file"), "\(e)")
        }
    }
}
