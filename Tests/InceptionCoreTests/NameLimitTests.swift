import XCTest

@testable import InceptionCore

/// Names become file names (`run --save` writes NODE.PATH.weight.npy), so the format limits them to
/// 255 UTF-8 bytes, the usual NAME_MAX (issue 19, item 14: `validate` accepted a 1,000-character
/// name, and `run --save` then failed with a 2-20 KB "one line").
final class NameLimitTests: XCTestCase {
    private func document(name: String = "t", layerName: String) -> String {
        #"{ "format": "inception-layout/1", "name": "\#(name)", "input": { "channels": 3, "height": 8, "width": 8 }, "#
            + #""layers": [{ "name": "\#(layerName)", "op": "conv", "out": 4, "kernel": 1 }] }"#
    }

    func testTheLimitIsInBytesNotCharacters() throws {
        XCTAssertEqual(LayoutLimits.maxNameBytes, 255)
        // "é" is 2 bytes in UTF-8: 127 of them and one "a" are 255 bytes (128 characters).
        let fits = String(repeating: "é", count: 127) + "a"
        XCTAssertEqual(fits.utf8.count, 255)
        XCTAssertEqual(try LayoutCodec.decode(document(layerName: fits)).layers[0].name, fits)
        let over = String(repeating: "é", count: 128)
        XCTAssertEqual(over.count, 128, "the same number of characters as the name that fits")
        XCTAssertThrowsError(try LayoutCodec.decode(document(layerName: over))) { error in
            let e = error as? LayoutError
            XCTAssertEqual(e?.location, "layers[0].name")
            XCTAssertTrue(
                "\(error)".contains("is 256 bytes, over the limit of 255 (names become file names)"), "\(error)")
        }
        XCTAssertNil(NodeNameRule.problem(with: fits))
        XCTAssertNotNil(NodeNameRule.problem(with: over))
    }

    func testAHugeNameIsRefusedInOneShortLine() {
        let huge = String(repeating: "n", count: 20_000)
        XCTAssertThrowsError(try LayoutCodec.decode(document(layerName: huge))) { error in
            XCTAssertLessThan("\(error)".utf8.count, 200, "\(error)")
        }
        XCTAssertThrowsError(try LayoutCodec.decode(document(name: huge, layerName: "c"))) { error in
            XCTAssertEqual((error as? LayoutError)?.location, "name")
            XCTAssertLessThan("\(error)".utf8.count, 200, "\(error)")
        }
    }
}
