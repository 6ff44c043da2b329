import InceptionCore
import XCTest

/// The rename rule, owned by the core (`Layout.renameRefusal` / `rename(at:to:)`): the explorer's F2
/// asks it, and a name it allows always loads again.
final class RenameRuleTests: XCTestCase {
    func googlenet() throws -> Layout { try LayoutSource.load("builtin:googlenet").layout }

    func address(_ layout: Layout, _ path: String) throws -> NodeAddress { try XCTUnwrap(layout.address(ofPath: path)) }

    func testARenameChangesTheNameAndTheCountsNot() throws {
        var layout = try googlenet()
        let before = Analysis(layout).totals
        try layout.rename(at: try address(layout, "inception_3a/3x3"), to: "wide")
        XCTAssertNotNil(layout.address(ofPath: "inception_3a/wide/1"))
        XCTAssertNil(layout.address(ofPath: "inception_3a/3x3"))
        XCTAssertEqual(Analysis(layout).totals, before)
        XCTAssertEqual(try LayoutCodec.decode(Array(LayoutCodec.encode(layout).utf8)), layout)
    }

    func testRefusalsLeaveTheLayoutUnchanged() throws {
        let layout = try googlenet()
        let branch = try address(layout, "inception_3a/3x3")
        let cases: [(String, RenameRefusal)] = [
            ("", .invalidName("name must not be empty (leave the key out for an unnamed node)")),
            ("a/b", .invalidName(try XCTUnwrap(NodeNameRule.problem(with: "a/b")))),
            ("42", .invalidName(try XCTUnwrap(NodeNameRule.problem(with: "42")))),
            ("rtl\u{202E}x", .invalidName(try XCTUnwrap(NodeNameRule.problem(with: "rtl\u{202E}x")))),
            ("two words", .whiteSpace(name: "two words")),
            ("3x3", .unchanged(name: "3x3")),
            ("5x5", .taken(name: "5x5")),  // a sibling branch of inception_3a
        ]
        for (name, refusal) in cases {
            XCTAssertEqual(layout.renameRefusal(at: branch, to: name), refusal, name)
            var copy = layout
            XCTAssertThrowsError(try copy.rename(at: branch, to: name), name)
            XCTAssertEqual(copy, layout, name)
        }
        // The network itself and an address that names nothing.
        XCTAssertEqual(layout.renameRefusal(at: .root, to: "x"), .noNode)
        XCTAssertEqual(layout.renameRefusal(at: NodeAddress([999]), to: "x"), .noNode)
        // Top-level layers are siblings too.
        XCTAssertEqual(layout.renameRefusal(at: try address(layout, "conv1"), to: "conv2"), .taken(name: "conv2"))
    }
}
