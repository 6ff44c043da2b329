import InceptionCore
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// Issue 24 item 2 in the tree: Inception-v4's repeated blocks carry their kind in a column on wide
/// screens ("InceptionD ×4" on the run's first block) and "×4" after the name on narrow ones.
final class ExplorerRepeatedBlocksTests: XCTestCase {
    func testInceptionV4RunsGoldens() throws {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 60)] {
            let h = try Harness(.inceptionV4, size: size)
            h.go(to: "Mixed_5b")
            assertSnapshot(h.screen, named: "repeated-v4-\(size.width)x\(size.height)")
        }
    }

    func testKindColumnAndRunMarks() throws {
        let wide = try Harness(.inceptionV4, size: Size(width: 200, height: 60))
        let rows = (0..<60).map { wide.screen.line($0) }
        XCTAssertTrue(rows.contains { $0.contains("kind") && $0.contains("op") }, "a kind column header")
        XCTAssertTrue(rows.contains { $0.contains("Mixed_5b") && $0.contains("InceptionD ×4") })
        XCTAssertTrue(rows.contains { $0.contains("Mixed_5c") && $0.contains("InceptionD ") && !$0.contains("×4") })
        let narrow = try Harness(.inceptionV4, size: Size(width: 80, height: 24))
        narrow.go(to: "Mixed_5b")
        XCTAssertTrue((0..<24).contains { narrow.screen.line($0).contains("Mixed_5b ×4") })
        let googlenet = try Harness(.googlenet, size: Size(width: 200, height: 60))
        XCTAssertFalse((0..<60).contains { googlenet.screen.line($0).contains("kind") }, "no run: no kind column")
    }
}
