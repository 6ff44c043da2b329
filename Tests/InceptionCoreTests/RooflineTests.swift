import Foundation
import InceptionCore
import XCTest

/// The roofline model and its text on hand-made numbers: a machine of 100 GFLOP/s and 25 GB/s has
/// its ridge at 100 / 25 = 4 FLOP/B = 2 MAC/B, and every figure below follows from that by hand.
final class RooflineTests: XCTestCase {
    let machine = Roofline(peakGFLOPS: 100, bandwidthGBs: 25)!

    func testRidgeAndRoof() {
        XCTAssertEqual(machine.ridgeFLOPsPerByte, 4)
        XCTAssertEqual(machine.ridgeMACsPerByte, 2)
        XCTAssertEqual(machine.roof(flopsPerByte: 1), 25, "memory roof: 25 GB/s x 1 FLOP/B")
        XCTAssertEqual(machine.roof(flopsPerByte: 4), 100)
        XCTAssertEqual(machine.roof(flopsPerByte: 40), 100, "compute roof: the peak")
        XCTAssertEqual(machine.roof(flopsPerByte: .infinity), 100)
        XCTAssertNil(Roofline(peakGFLOPS: 0, bandwidthGBs: 25))
        XCTAssertNil(Roofline(peakGFLOPS: 100, bandwidthGBs: .nan))
    }

    func testClassificationAtAboveAndBelowTheRidge() {
        // 2e8 MACs over 1e8 bytes = 4 FLOP/B: exactly the ridge, where both roofs meet → compute.
        let at = machine.point(RooflineSample(path: "at", macs: 200_000_000, bytes: 100_000_000, ms: 4))
        XCTAssertEqual(at.flopsPerByte, 4)
        XCTAssertEqual(at.macsPerByte, 2)
        XCTAssertEqual(at.bound, .compute)
        XCTAssertEqual(at.roofGFLOPS, 100)
        // One MAC fewer is below the ridge.
        let justBelow = machine.point(RooflineSample(path: "b", macs: 199_999_999, bytes: 100_000_000, ms: 4))
        XCTAssertEqual(justBelow.bound, .memory)
        // 1e8 MACs over 1e8 bytes = 2 FLOP/B: roof 25 x 2 = 50; 2e8 FLOPs in 8 ms = 25 GFLOP/s = 50%.
        let below = machine.point(RooflineSample(path: "below", macs: 100_000_000, bytes: 100_000_000, ms: 8))
        XCTAssertEqual(below.bound, .memory)
        XCTAssertEqual(below.roofGFLOPS, 50)
        XCTAssertEqual(below.achievedGFLOPS, 25)
        XCTAssertEqual(below.percentOfRoof, 50)
        // 1e9 MACs over 1e8 bytes = 20 FLOP/B: roof = peak; 2e9 FLOPs in 40 ms = 50 GFLOP/s = 50%.
        let above = machine.point(RooflineSample(path: "above", macs: 1_000_000_000, bytes: 100_000_000, ms: 40))
        XCTAssertEqual(above.bound, .compute)
        XCTAssertEqual(above.macsPerByte, 10)
        XCTAssertEqual(above.roofGFLOPS, 100)
        XCTAssertEqual(above.achievedGFLOPS, 50)
        XCTAssertEqual(above.percentOfRoof, 50)
        // No bytes: infinite intensity, compute-bound; no time: no rate.
        let free = machine.point(RooflineSample(path: "free", macs: 10, bytes: 0, ms: 0))
        XCTAssertEqual(free.bound, .compute)
        XCTAssertEqual(free.roofGFLOPS, 100)
        XCTAssertEqual(free.achievedGFLOPS, 0)
    }

    func testPointsAreSlowestFirst() {
        let samples = [
            RooflineSample(path: "b", macs: 1, bytes: 1, ms: 1), RooflineSample(path: "c", macs: 1, bytes: 1, ms: 3),
            RooflineSample(path: "a", macs: 1, bytes: 1, ms: 1),
        ]
        XCTAssertEqual(machine.points(samples).map(\.sample.path), ["c", "a", "b"])
    }

    func testBarLengths() {
        let unicode = RooflineChart(machine, samples: [])
        XCTAssertEqual(unicode.bar(0.5, cells: 16), String(repeating: "█", count: 8) + String(repeating: "░", count: 8))
        // 0.53 x 16 cells = 8.48 cells = 67.84 eighths → 68: 8 full cells and a half cell.
        XCTAssertEqual(
            unicode.bar(0.53, cells: 16), String(repeating: "█", count: 8) + "▌" + String(repeating: "░", count: 7))
        XCTAssertEqual(unicode.bar(1.7, cells: 10), String(repeating: "█", count: 10), "past the roof: a full bar")
        XCTAssertEqual(unicode.bar(0, cells: 4), "░░░░")
        let ascii = RooflineChart(machine, samples: [], ascii: true)
        XCTAssertEqual(ascii.bar(0.25, cells: 12), "###.........")
    }

    let samples = [
        RooflineSample(path: "inception_3a/1x1/1", macs: 100_000_000, bytes: 100_000_000, ms: 8),
        RooflineSample(path: "inception_3a/3x3/2", macs: 1_000_000_000, bytes: 100_000_000, ms: 40),
        RooflineSample(path: "inception_3a/5x5/1", macs: 200_000_000, bytes: 100_000_000, ms: 4),
    ]

    func testTableRowsFitAndCarryTheFigures() {
        let chart = RooflineChart(machine, samples: samples, width: 80, prefix: "inception_3a/")
        let table = chart.table()
        XCTAssertEqual(table.count, 4)
        XCTAssertTrue(table[0].contains("layer") && table[0].contains("MAC/B") && table[0].contains("%roof"), table[0])
        // Slowest first, keyed a, b, c, the block prefix cut.
        XCTAssertTrue(table[1].hasPrefix("a 3x3/2 "), table[1])
        XCTAssertTrue(table[2].hasPrefix("b 1x1/1 "), table[2])
        XCTAssertTrue(table[3].hasPrefix("c 5x5/1 "), table[3])
        let fields = table[2].split(separator: " ").map(String.init)
        // 1x1/1: 8 ms, 1.00 MAC/B, 25 GFLOP/s under a roof of 50, memory-bound, 50% of the roof.
        XCTAssertEqual(fields[2...6], ["8.000", "1.00", "25.0", "50.0", "mem"])
        XCTAssertEqual(fields.last, "50%")
        XCTAssertTrue(table[1].contains(" cmp "), table[1])
        // 5x5/1: 4e8 FLOPs in 4 ms = 100 GFLOP/s, all of its roof at the ridge.
        XCTAssertTrue(table[3].hasSuffix(" 100%"), table[3])
        for line in chart.text().split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 80, String(line))
        }
        // The bar fills exactly half of its cells for the 50% rows.
        let bar = table[2].split(separator: " ").first { $0.contains("░") || $0.contains("█") } ?? ""
        XCTAssertEqual(bar.filter { $0 == "█" }.count * 2, bar.count, String(bar))
    }

    func testScatterPlotsEveryKeyUnderTheRoofsInASCII() {
        let chart = RooflineChart(machine, samples: samples, width: 72, ascii: true)
        let lines = chart.scatter(rows: 8)
        XCTAssertEqual(lines.count, 1 + 8 + 2)
        let plot = lines[1...8].joined(separator: "\n")
        for key in ["a", "b", "c"] { XCTAssertTrue(plot.contains(key), "missing \(key):\n\(plot)") }
        XCTAssertTrue(plot.contains("/") && plot.contains("-"), plot)
        // c sits on the ridge at the peak: the flat roof's row or just under it, never below a or b.
        let rowOf = { (k: Character) in (1...8).first { lines[$0].dropFirst(9).contains(k) } ?? -1 }
        XCTAssertGreaterThan(rowOf("c"), 0)
        XCTAssertLessThanOrEqual(rowOf("c"), rowOf("a"))
        XCTAssertLessThan(rowOf("a"), rowOf("b"), "50 GFLOP/s above 25")
        if ProcessInfo.processInfo.environment["SHOW_ROOFLINE"] != nil { print(chart.text()) }
        for line in chart.text().split(separator: "\n") {
            XCTAssertTrue(line.allSatisfy(\.isASCII), String(line))
            XCTAssertLessThanOrEqual(line.count, 72, String(line))
        }
    }

    func testEmptyTableSaysSo() {
        let chart = RooflineChart(machine, samples: [])
        XCTAssertEqual(chart.table().last, "  (no conv or linear layers timed)")
        XCTAssertEqual(chart.scatter(), [])
    }
}
