import XCTest

@testable import InceptionCore

final class SummaryTests: XCTestCase {
    let summary = Summary(PaperNetworks.googlenet)

    func testTableStatesTotalsAndConvention() {
        let table = summary.table()
        XCTAssertTrue(table.contains("Params (trainable): 6,998,552  (7.00M)"), table)
        XCTAssertTrue(table.contains("MACs: 1,582,671,872  (1.58G)"))
        XCTAssertTrue(table.contains("FLOPs (2 x MACs): 3,165,343,744"))
        XCTAssertTrue(table.contains("Aux heads (training only, not in the totals above)"))
        XCTAssertTrue(table.contains(Summary.convention))
        // A block row and an indented layer row, aligned as columns.
        let row3a = table.split(separator: "\n").first { $0.hasPrefix("inception_3a ") }
        XCTAssertNotNil(row3a)
        XCTAssertTrue(row3a!.hasSuffix("163,696  128,049,152"), String(row3a!))
        XCTAssertTrue(
            table.split(separator: "\n").contains { $0.hasPrefix("    1 ") && $0.contains("conv 3x3/1 → 128 ") },
            "branch layers are indented two levels")
    }

    func testDepthLimitsRows() {
        let top = Summary(PaperNetworks.googlenet, depth: 1)
        XCTAssertTrue(top.rows.allSatisfy { $0.stats.depth == 0 })
        XCTAssertEqual(top.rows.count, PaperNetworks.googlenet.layers.count)
    }

    func testJSONHasTheFixedKeys() throws {
        let data = Data(summary.json().utf8)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["name"] as? String, "GoogLeNet")
        XCTAssertEqual(object["input"] as? [Int], [3, 224, 224])
        XCTAssertEqual(object["output"] as? [Int], [1000, 1, 1])
        let totals = try XCTUnwrap(object["totals"] as? [String: Int])
        XCTAssertEqual(totals["params"], 6_998_552)
        XCTAssertEqual(totals["macs"], 1_582_671_872)
        XCTAssertEqual(totals["flops"], 3_165_343_744)
        XCTAssertEqual(totals["aux_params"], summary.analysis.auxTotals.params)
        let nodes = try XCTUnwrap(object["nodes"] as? [[String: Any]])
        XCTAssertEqual(nodes.count, summary.analysis.nodes.count)
        let branch = try XCTUnwrap(nodes.first { $0["path"] as? String == "inception_3a/3x3" })
        XCTAssertEqual(branch["op"] as? String, "branch")
        XCTAssertEqual(branch["receptive_field"] as? [Int], [43, 43])
        XCTAssertEqual(nodes.first { $0["path"] as? String == "aux1" }?["aux"] as? Bool, true)
    }

    func testCSVQuotesAndCounts() {
        let lines = summary.csv().split(separator: "\n")
        XCTAssertEqual(lines.count, summary.rows.count + 1)
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("inception_3a,0,inception,192x28x28,256x28x28,163696,0,128049152,") })
        XCTAssertEqual(Summary.csvField("a,b"), "\"a,b\"")
    }

    func testNumberFormats() {
        XCTAssertEqual(NumberFormat.grouped(163_696), "163,696")
        XCTAssertEqual(NumberFormat.grouped(-1_000), "-1,000")
        XCTAssertEqual(NumberFormat.grouped(999), "999")
        XCTAssertEqual(NumberFormat.humanized(163_696), "163.7K")
        XCTAssertEqual(NumberFormat.humanized(1_582_671_872), "1.58G")
        XCTAssertEqual(NumberFormat.humanized(999_999), "1.00M")
        XCTAssertEqual(NumberFormat.bytes(3 * 1024 * 1024), "3.00 MiB")
        XCTAssertEqual(NumberFormat.percentChange(from: 12_800, to: 13_824), "+8.0%")
        XCTAssertEqual(NumberFormat.fixed(-0.004, decimals: 2), "0.00")
    }
}
