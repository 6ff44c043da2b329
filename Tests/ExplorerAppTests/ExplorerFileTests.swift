import Foundation
import InceptionCore
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

final class ExplorerFileTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-app")
    }

    override func tearDownWithError() throws { tmp?.remove() }

    func testExportWritesCanonicalJSONThatLoadsBackIdentically() throws {
        let h = try Harness()
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"))
        let path = dir.appendingPathComponent("edited.json").path
        h.press(.char("e"))
        XCTAssertTrue(
            h.screen.line(31).contains("save as (the title and s then use this file): googlenet.json"),
            "built-in layouts propose <name>.json")
        h.press(.ctrl("u"))
        h.type(path)
        h.press(.enter)
        XCTAssertTrue(h.screen.line(31).contains("wrote \(path)"), h.screen.line(31))
        XCTAssertFalse(h.screen.line(0).contains("[modified]"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let loaded = try LayoutCodec.decode(bytes)
        XCTAssertEqual(loaded, h.explorer.state.layout)
        XCTAssertEqual(Analysis(loaded).nodes, h.explorer.state.analysis.nodes)
        XCTAssertEqual(Array(LayoutCodec.encode(loaded).utf8), bytes, "exporting again gives identical bytes")
    }

    func testExportAsksBeforeOverwritingAndNoKeepsTheFile() throws {
        let path = dir.appendingPathComponent("existing.json").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        let h = try Harness()
        h.press(.char("e"), .ctrl("u"))
        h.type(path)
        h.press(.enter)
        XCTAssertTrue(h.screen.line(31).contains("\(path) exists: overwrite?"))
        h.press(.char("n"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep me")
        h.press(.char("e"), .ctrl("u"))
        h.type(path)
        h.press(.enter, .char("y"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), BuiltInLayout.googlenet.json)
    }

    func testSaveWritesBackToTheLoadedFile() throws {
        let path = dir.appendingPathComponent("g.json").path
        try Data(BuiltInLayout.googlenet.json.utf8).write(to: URL(fileURLWithPath: path))
        let h = try Harness(path: path)
        h.go(to: "conv1")
        h.press(.char("+"))
        XCTAssertTrue(h.screen.line(0).contains("[modified]"))
        h.press(.char("s"))
        XCTAssertFalse(h.screen.line(0).contains("[modified]"))
        let saved = try LayoutCodec.decode(String(contentsOfFile: path, encoding: .utf8))
        XCTAssertEqual(saved.width(at: saved.address(ofPath: "conv1")!), 72)
    }

    func testExportFailureSaysWhyAndChangesNothing() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("+"), .char("e"), .ctrl("u"))
        h.type(dir.appendingPathComponent("missing/dir/x.json").path)
        h.press(.enter)
        XCTAssertTrue(h.screen.line(31).contains("not written:"), h.screen.line(31))
        XCTAssertTrue(h.screen.line(0).contains("[modified]"))
    }

    func testForwardPassFillsThePanelAndGoesStaleAfterAnEdit() throws {
        // 40 rows: room for every panel in full (at 32 the per-branch rows share the space).
        let h = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer())
        h.go(to: "inception_3a/3x3/0")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        let text = h.text
        XCTAssertTrue(text.contains("median 2.50 ms"), "\n" + text)
        XCTAssertTrue(text.contains("% of peak"))
        // FixedTimer reports MACs / 1e8 ms per branch: pool_proj's 4,816,896 MACs → 0.048 ms.
        XCTAssertTrue(h.line(containing: "0.048 ms").contains("pool_proj"))
        h.press(.char("+"))
        XCTAssertTrue(h.text.contains("stale"))
    }

    func testNoEngineSaysSo() throws {
        let h = try Harness()
        h.press(.char("R"))
        XCTAssertTrue(h.screen.line(31).contains("forward passes are unavailable"))
    }
}
