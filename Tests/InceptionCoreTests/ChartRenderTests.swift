import XCTest

@testable import InceptionCore

final class ChartRenderTests: XCTestCase {
    func testBarLengthsForKnownFractions() {
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.5, cells: 40, ascii: false), String(repeating: "█", count: 20))
        // 1/3 of 10 cells = 26.67 eighths → 27 = 3 full cells + 3/8.
        XCTAssertEqual(ChartGlyphs.bar(fraction: 1.0 / 3.0, cells: 10, ascii: false), "███▍")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 1.0 / 3.0, cells: 10, ascii: true), "###")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 1, cells: 7, ascii: true), "#######")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.75, cells: 1, ascii: false), "▊")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0, cells: 10, ascii: false), "")
        // A tiny non-zero value still shows; over-full clamps; NaN draws nothing.
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.001, cells: 10, ascii: false), "▏")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.001, cells: 10, ascii: true), "#")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 1.5, cells: 4, ascii: false), "████")
        XCTAssertEqual(ChartGlyphs.bar(fraction: .nan, cells: 4, ascii: false), "")
    }

    /// The cases the explorer's own bar widget (BarGauge, now gone: its panels draw this one bar)
    /// was tested with; its tiny-fraction case differed (it drew nothing) and now shows a mark.
    func testTheExplorersBarCasesKeepTheirLengths() {
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.5, cells: 3, ascii: false), "█▌")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 1, cells: 4, ascii: false), "████")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.33, cells: 30, ascii: false), "█████████▉")  // 79.2 eighths → 79
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.01, cells: 10, ascii: false), "▏")
        XCTAssertEqual(ChartGlyphs.bar(fraction: -1, cells: 3, ascii: false), "")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.5, cells: 3, ascii: true), "##")  // 1.5 cells rounds up
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.4, cells: 3, ascii: true), "#")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.01, cells: 10, ascii: true), "#", "a non-zero share shows")
    }

    func testSparklineAndColumnsOnALogScale() {
        // log10: 0, 1, 2, 3 → levels 0, 2.33, 4.67, 7 → 0, 2, 5, 7.
        XCTAssertEqual(ChartGlyphs.sparkline([1, 10, 100, 1000], log: true, ascii: false), "▁▃▆█")
        XCTAssertEqual(ChartGlyphs.sparkline([1, 10, 100, 1000], log: true, ascii: true), ".:+#")
        XCTAssertEqual(ChartGlyphs.sparkline([5, 5], log: false, ascii: false, repeat: 2), "▄▄▄▄")
        // Two rows, 16 levels: the smallest value gets 1 level, the largest all 16.
        XCTAssertEqual(ChartGlyphs.columns([1, 2], rows: 2, log: false, ascii: false), [" █", "▁█"])
        XCTAssertEqual(ChartGlyphs.columns([1, 2, 3], rows: 3, log: false, ascii: true), ["  #", " ##", "###"])
    }

    func testGoogLeNetChartsFit80ColumnsAndASCIIIsASCII() throws {
        let layout = try DesignFixtures.googlenet()
        let unicode = NetworkCharts(layout).text()
        for line in unicode.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        let ascii = NetworkCharts(layout, ascii: true).text()
        XCTAssertTrue(ascii.utf8.allSatisfy { $0 < 0x80 }, "ASCII mode writes only ASCII bytes")
        for line in ascii.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        let narrow = NetworkCharts(layout, width: 60).text()
        for line in narrow.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 60, String(line)) }
    }

    func testParamsBarsScaleToTheLargestBlock() throws {
        let charts = NetworkCharts(try DesignFixtures.googlenet(), ascii: true)
        let lines = charts.bars(title: "Params", value: \.params)
        // Labels 12 wide ("inception_5b"), numbers 9 ("1,444,080"), share 6: 80 − 12 − 9 − 6 − 3 = 50 cells.
        let b5 = try XCTUnwrap(lines.first { $0.hasPrefix("inception_5b ") })
        XCTAssertEqual(b5, "inception_5b " + String(repeating: "#", count: 50) + " 1,444,080  20.6%")
        // fc: 1,025,000 / 1,444,080 · 50 = 35.49 → 35 cells.
        let fc = try XCTUnwrap(lines.first { $0.hasPrefix("fc ") })
        XCTAssertEqual(fc.filter { $0 == "#" }.count, 35)
        XCTAssertEqual(lines.first, "Params by top-level layer (total 6,998,552)")
        // Pools, LRN, dropout and softmax have no params: no rows.
        XCTAssertFalse(lines.contains { $0.hasPrefix("pool1") })
    }

    func testRepresentationChartNamesTheEnds() throws {
        let lines = NetworkCharts(try DesignFixtures.inceptionV3()).representation()
        XCTAssertEqual(lines.count, 7, "title, 4 rows, axis, ends")
        // 3x299x299 = 268,203 in; 64x147x147 = 1,382,976 after Conv2d_2b is the peak.
        XCTAssertEqual(lines.last, "  input 268,203 -> prob 1,000; peak 1,382,976 at Conv2d_2b_3x3")
    }
}
