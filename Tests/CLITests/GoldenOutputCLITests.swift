import Foundation
import InceptionCore
import TestSupport
import XCTest

/// `summary`, `lint` and `diff` on GoogLeNet, text and JSON, through the built binary, against
/// golden files in `Golden/` (torchinfo keeps its whole-model summaries, GoogLeNet among them, the
/// same way). A change to any of these outputs shows here as a line diff; when it is meant,
/// re-record with `RECORD_SNAPSHOTS=1 swift test --filter GoldenOutputCLITests` and review the
/// files' diff in the commit. The numbers themselves are checked against the paper and torchvision
/// elsewhere (AnalysisGoogLeNetTests, SummaryCLITests); these files pin the whole text around them.
final class GoldenOutputCLITests: XCTestCase {
    /// Exit 0, nothing on stderr, stdout compared with `Golden/<name>`.
    func assertOutput(
        _ args: [String], golden name: String, directory: URL? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let r = try CLI.run(args, directory: directory)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr, "", file: file, line: line)
        assertGolden(r.stdout, named: name, file: file, line: line)
    }

    func testSummary() throws {
        try assertOutput(["summary", "builtin:googlenet"], golden: "summary-googlenet.txt")
        try assertOutput(["summary", "builtin:googlenet", "--format", "json"], golden: "summary-googlenet.json")
    }

    func testLint() throws {
        try assertOutput(["lint", "builtin:googlenet"], golden: "lint-googlenet.txt")
        try assertOutput(["lint", "builtin:googlenet", "--format", "json"], golden: "lint-googlenet.json")
    }

    /// GoogLeNet against itself after three of the explorer's moves, made here by the core's own
    /// edits: `+` on inception_3a/3x3/1 (128 → 136), `f` on inception_3a/5x5/1 (5x5 → two 3x3,
    /// intermediate width 16, as the large-kernel lint proposes) and `D` on inception_5b/pool_proj.
    /// Run in the edited file's directory, so the text names it by its relative path.
    func testDiff() throws {
        var edited = try LayoutSource.load("builtin:googlenet").layout
        edited.name = "GoogLeNet (edited)"
        func at(_ path: String) throws -> NodeAddress { try XCTUnwrap(edited.address(ofPath: path), path) }
        XCTAssertTrue(edited.setWidth(at: try at("inception_3a/3x3/1"), to: 136))
        try edited.factorize(at: try at("inception_3a/5x5/1"), intermediate: 16)
        try edited.deleteBranch(at: try at("inception_5b/pool_proj"))
        let tmp = try TemporaryDirectory("ie-golden")
        defer { tmp.remove() }
        try tmp.write("googlenet-edited.json", LayoutCodec.encode(edited))
        try assertOutput(
            ["diff", "builtin:googlenet", "googlenet-edited.json"], golden: "diff-googlenet-edited.txt",
            directory: tmp.url)
        try assertOutput(
            ["diff", "builtin:googlenet", "googlenet-edited.json", "--format", "json"],
            golden: "diff-googlenet-edited.json", directory: tmp.url)
    }
}
