import TerminalUI
import XCTest

final class NumberFormatTests: XCTestCase {
    func testThousands() {
        XCTAssertEqual(formatThousands(163_696), "163,696")  // example from DESIGN/brief
        XCTAssertEqual(formatThousands(0), "0")
        XCTAssertEqual(formatThousands(999), "999")
        XCTAssertEqual(formatThousands(1000), "1,000")
        XCTAssertEqual(formatThousands(-1_234_567), "-1,234,567")
        XCTAssertEqual(formatThousands(Int.min), "-9,223,372,036,854,775,808")
    }

    func testHumanizeThreeSignificantDigitsAtLeastOneDecimal() {
        XCTAssertEqual(humanize(163_696), "163.7K")  // DESIGN's example
        XCTAssertEqual(humanize(1_580_000_000), "1.58G")  // DESIGN's example
        XCTAssertEqual(humanize(999), "999")
        XCTAssertEqual(humanize(1000), "1.00K")
        XCTAssertEqual(humanize(1234), "1.23K")
        XCTAssertEqual(humanize(12_345), "12.3K")
        XCTAssertEqual(humanize(999_960), "1.00M", "rounding up to 1000 moves to the next unit")
        XCTAssertEqual(humanize(-1500), "-1.50K")
        XCTAssertEqual(humanize(Int.max), "9.22E")
        XCTAssertEqual(NumberFormat.humanize(2.5), "2.50")
        XCTAssertEqual(NumberFormat.humanize(3.0e9), "3.00G")
        XCTAssertEqual(NumberFormat.humanize(Double.nan), "nan")
    }

    func testBytesPercentDuration() {
        XCTAssertEqual(formatBytes(512), "512 B")
        XCTAssertEqual(formatBytes(1536), "1.50 KiB")
        XCTAssertEqual(formatBytes(1 << 20), "1.00 MiB")
        XCTAssertEqual(formatBytes(3 * 224 * 224 * 4), "588.0 KiB")  // one 3x224x224 float32 image
        XCTAssertEqual(formatPercent(0.1234), "12.3%")
        XCTAssertEqual(formatPercent(0), "0.0%")
        XCTAssertEqual(formatPercent(1), "100.0%")
        XCTAssertEqual(formatPercent(0.0001), "<0.1%")
        XCTAssertEqual(formatPercent(.nan), "-")
        XCTAssertEqual(NumberFormat.duration(0.00456), "4.56 ms")
        XCTAssertEqual(NumberFormat.duration(1.234), "1.23 s")
        XCTAssertEqual(NumberFormat.duration(12.3e-6), "12.3 µs")
        XCTAssertEqual(NumberFormat.duration(12.3e-6, ascii: true), "12.3 us")
        XCTAssertEqual(NumberFormat.duration(0.9999996), "1.00 s")
        XCTAssertEqual(NumberFormat.duration(-1), "-")
    }
}
