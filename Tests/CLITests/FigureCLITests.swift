import Foundation
import TestSupport
import XCTest

/// `export -o FIG.svg|FIG.dot [--block PATH]` end to end (issue 23): the figure of a block or of the
/// network, and one clear line for a bad block.
final class FigureCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-figure")
    }
    override func tearDown() { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testBlockSVGAndDot() throws {
        let r = try CLI.run(["export", "builtin:googlenet", "-o", path("3a.svg"), "--block", "inception_3a"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("wrote \(path("3a.svg")) (svg, "), r.stdout)
        let svg = try String(contentsOfFile: path("3a.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains(">Filter concatenation 256x28x28</text>"))
        XCTAssertTrue(svg.contains(">Previous layer 192x28x28</text>"))
        XCTAssertFalse(svg.contains("<style"))

        let v3 = try CLI.run([
            "export", "builtin:inception-v3", "-o", path("7b.svg"), "--block", "Mixed_7b", "--theme", "gray",
            "--figure", "macs",
        ])
        XCTAssertEqual(v3.status, 0, v3.stderr)
        let seven = try String(contentsOfFile: path("7b.svg"), encoding: .utf8)
        XCTAssertTrue(seven.contains(">concat 768x8x8</text>"), "the nested 1x3 / 3x1 pair joins inside its branch")
        XCTAssertTrue(seven.contains(">Filter concatenation 2048x8x8</text>"))
        XCTAssertFalse(seven.contains("#b9d3ee"), "gray theme: no blue")

        let dot = try CLI.run(["export", "builtin:googlenet", "-o", path("3a.dot"), "--block", "inception_3a"])
        XCTAssertEqual(dot.status, 0, dot.stderr)
        let text = try String(contentsOfFile: path("3a.dot"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("digraph figure {"))
        XCTAssertTrue(text.contains("rankdir=BT;"))
        XCTAssertEqual(text.components(separatedBy: "subgraph cluster_").count - 1, 1, "one cluster for the block")
        XCTAssertEqual(
            text.components(separatedBy: " -> ").count - 1, 4 + 3 + 4,
            "input to 4 branches, 3 inside them, 4 into the concat")
    }

    func testWholeNetworkWhenNoBlockIsGiven() throws {
        let r = try CLI.run(["export", "builtin:googlenet", "-o", path("net.svg")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let svg = try String(contentsOfFile: path("net.svg"), encoding: .utf8)
        for name in ["inception_3a", "inception_4e", "inception_5b", "input 3x224x224"] {
            XCTAssertTrue(svg.contains(">\(name)</text>"), name)
        }
        let dot = try CLI.run(["export", "builtin:googlenet", "-o", path("net.dot")])
        XCTAssertEqual(dot.status, 0, dot.stderr)
        let text = try String(contentsOfFile: path("net.dot"), encoding: .utf8)
        XCTAssertEqual(
            text.components(separatedBy: "subgraph cluster_").count - 1, 9, "GoogLeNet's nine modules, one cluster each"
        )
    }

    func testBadBlockIsOneLineAndNothingWritten() throws {
        for (block, needle) in [
            ("inception_3x", "did you mean \"inception_3a\""), ("conv1", "\"conv1\" is not a block"),
        ] {
            let r = try CLI.run(["export", "builtin:googlenet", "-o", path("x.svg"), "--block", block])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(needle), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.svg")))
        }
        let usage = try CLI.run(["export", "builtin:googlenet", "-o", path("x.json"), "--block", "inception_3a"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
        let theme = try CLI.run(["export", "builtin:googlenet", "-o", path("x.svg"), "--theme", "dark"])
        XCTAssertEqual(theme.status, 2, theme.stderr)
    }
}
