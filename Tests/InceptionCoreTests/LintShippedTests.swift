import Foundation
import XCTest

@testable import InceptionCore

/// The shipped layouts produce exactly the lints docs/lints.md lists (and justifies).
final class LintShippedTests: XCTestCase {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/lints.md")

    /// The "- `id` `path`" lines between `<!-- shipped:NAME -->` and `<!-- end -->`.
    func documented(_ name: String) throws -> [String] {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        guard let start = text.range(of: "<!-- shipped:\(name) -->"),
            let end = text.range(of: "<!-- end -->", range: start.upperBound..<text.endIndex)
        else {
            XCTFail("docs/lints.md has no shipped:\(name) section")
            return []
        }
        return text[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "`")
            guard line.hasPrefix("- `"), parts.count >= 4 else { return nil }
            return "\(parts[1]) \(parts[3])"
        }
    }

    func testGoogLeNetLintsAreTheDocumentedOnes() throws {
        let lints = try DesignFixtures.googlenet().lints().map { "\($0.id.rawValue) \($0.path)" }
        // Every 5x5 of the nine modules: Rethinking's figure 5 proposes exactly this replacement.
        XCTAssertEqual(
            lints, ["3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"].map { "large-kernel inception_\($0)/5x5/1" })
        XCTAssertEqual(lints, try documented("googlenet"))
    }

    func testInceptionV3LintsAreTheDocumentedOnes() throws {
        let lints = try DesignFixtures.inceptionV3().lints().map { "\($0.id.rawValue) \($0.path)" }
        XCTAssertEqual(
            lints,
            [
                "large-kernel Mixed_5b/branch5x5/1", "large-kernel Mixed_5c/branch5x5/1",
                "large-kernel Mixed_5d/branch5x5/1", "missing-reduction Mixed_6a/branch3x3/0",
            ])
        XCTAssertEqual(lints, try documented("inception-v3"))
    }

    func testXceptionLintsAreTheDocumentedOnes() throws {
        // Before the fix, missing-reduction fired on block1/rep/0 and conv3_depthwise, depthwise 3x3s
        // (groups = channels), with the weights of a dense conv (64*9*64 = 36,864 for 576) and a
        // suggestion (x) the move refuses. Only block12's 1,024-channel sum at scale 1 remains, at its
        // residual branch: the 1x1 stride-2 projection `skip` (fired on too, before) is the shortcut.
        let lints = try LayoutSource.load("builtin:xception").layout.lints().map { "\($0.id.rawValue) \($0.path)" }
        XCTAssertEqual(lints, ["residual-scaling block12/rep"])
        XCTAssertEqual(lints, try documented("xception"))
    }

    func testMACShareBalanceFlagsBothShippedNetworks() throws {
        // Documented alternative: by MAC share, both networks' spatial share falls stage to stage.
        var o = LintOptions()
        o.balanceMeasure = .macs
        o.enabled = [.widthDepthBalance]
        XCTAssertEqual(
            try DesignFixtures.googlenet().lints(options: o).map(\.path),
            try documented("googlenet-macs").map { String($0.split(separator: " ")[1]) })
        XCTAssertEqual(
            try DesignFixtures.inceptionV3().lints(options: o).map(\.path),
            try documented("inception-v3-macs").map { String($0.split(separator: " ")[1]) })
    }
}
