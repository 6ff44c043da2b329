import InceptionCore
import XCTest

/// Issue 24 item 2: runs of repeated blocks and each block's kind (`BlockRuns`), shown by `summary`
/// (table, Markdown, JSON), the report and the explorer tree.
final class BlockRunsTests: XCTestCase {
    func runs(_ name: String) throws -> (Layout, BlockRuns) {
        let layout = try LayoutSource.load(name).layout
        return (layout, BlockRuns(layout))
    }

    func names(_ layout: Layout, _ runs: BlockRuns) -> [String] {
        runs.runs.map { "\(layout.layers[$0.start].name ?? "?") ×\($0.count)" }
    }

    /// Inception-v4 (Szegedy et al. 2016, figure 9): 4 × Inception-A, 7 × Inception-B, 3 ×
    /// Inception-C, each run of one kind, the kinds the PyTorch export's classes.
    func testInceptionV4HasItsThreeRuns() throws {
        let (layout, runs) = try self.runs("builtin:inception-v4")
        XCTAssertEqual(names(layout, runs), ["Mixed_5b ×4", "Mixed_6b ×7", "Mixed_7b ×3"])
        for run in runs.runs {
            let kinds = Set(run.range.map { runs.kinds[$0] })
            XCTAssertEqual(kinds.count, 1, "one kind per run")
            XCTAssertNotNil(kinds.first!)
            let py = try PyTorchExport.source(layout, command: "test")
            XCTAssertTrue(py.contains("class \(kinds.first!!)(nn.Module):"), "the kind is the export's class")
        }
        XCTAssertEqual(runs.label(runs.runs[0].start), "InceptionD ×4")
        XCTAssertEqual(runs.label(runs.runs[0].start + 1), "InceptionD")
        XCTAssertEqual(runs.label(runs.runs[0].start, ascii: true), "InceptionD x4")
        XCTAssertEqual(runs.label(0), "", "a conv has no kind")
    }

    /// Inception-ResNet-v2 as released (timm; DESIGN.md): 10 Block35, 20 Block17, 9 Block8 with
    /// scale 0.2 and ReLU, then a last Block8 with scale 1.0 and no ReLU, which is not in the run.
    func testInceptionResNetV2RunsStopAtTheLastBlock8() throws {
        let (layout, runs) = try self.runs("builtin:inception-resnet-v2")
        XCTAssertEqual(runs.runs.map(\.count), [10, 20, 9])
        let last = try XCTUnwrap(runs.runs.last)
        XCTAssertNil(runs.run(containing: last.range.upperBound), "the final Block8 differs (scale 1, no ReLU)")
        XCTAssertEqual(layout.layers[last.range.upperBound].op.block?.join.kind, .sum)
    }

    /// GoogLeNet's nine blocks share one kind (one export class) but no two in a row have the same
    /// widths (Szegedy et al. 2014, table 1), so nothing repeats.
    func testGoogLeNetRepeatsNothing() throws {
        let (layout, runs) = try self.runs("builtin:googlenet")
        XCTAssertEqual(runs.runs, [])
        let blockKinds = layout.layers.indices.filter { layout.layers[$0].op.block != nil }.map { runs.kinds[$0] }
        XCTAssertEqual(blockKinds.count, 9)
        XCTAssertEqual(Set(blockKinds), ["Inception"])
    }

    /// Same structure ignores names at every depth and compares every width: a renamed branch
    /// keeps the run, one changed width ends it.
    func testNamesAreIgnoredAndWidthsCompared() throws {
        var layout = try LayoutSource.load("builtin:inception-v4").layout
        let start = try XCTUnwrap(BlockRuns(layout).runs.first).start
        guard case .block(var block) = layout.layers[start + 1].op else { return XCTFail("not a block") }
        block.branches[0].name = "renamed"
        layout.layers[start + 1] = Layer(name: "other", .block(block))
        XCTAssertEqual(BlockRuns(layout).runs.first?.count, 4, "names do not count")
        XCTAssertTrue(BlockRuns.sameStructure(layout.layers[start], layout.layers[start + 1]))
        guard case .conv(var conv) = block.branches[0].layers[0].op else { return XCTFail("not a conv") }
        conv.out += 8
        block.branches[0].layers[0].op = .conv(conv)
        layout.layers[start + 1] = Layer(name: "other", .block(block))
        XCTAssertFalse(BlockRuns.sameStructure(layout.layers[start], layout.layers[start + 1]))
        XCTAssertEqual(
            BlockRuns(layout).runs.first.map { [$0.start, $0.count] }, [start + 2, 2],
            "the run splits at the wider block")
    }

    /// The summary shows the kind column and "×N" in the table and Markdown, and lists runs in JSON.
    func testSummaryShowsKindsAndRuns() throws {
        let summary = Summary(try LayoutSource.load("builtin:inception-v4").layout, depth: 1)
        let table = summary.table()
        XCTAssertTrue(table.contains("\nLayer          Kind           Op"), table)
        XCTAssertTrue(
            table.split(separator: "\n").contains {
                $0.hasPrefix("Mixed_6b       InceptionF ×7  inception (4 branches)")
            }, table)
        XCTAssertTrue(summary.markdown().contains("| Mixed_7b | InceptionH ×3 | inception (4 branches) |"))
        let json = summary.json()
        XCTAssertTrue(json.contains(#""repeated": [{ "path": "Mixed_5b", "count": 4, "kind": "InceptionD" }, "#), json)
        XCTAssertTrue(json.contains(#""path": "Mixed_6c", "op": "inception""#))
        XCTAssertTrue(json.contains(#""kind": "InceptionF", "run": [2, 7] }"#), json)
        XCTAssertFalse(
            Summary(try LayoutSource.load("builtin:googlenet").layout).table().contains("×"), "no run, no mark")
    }
}
