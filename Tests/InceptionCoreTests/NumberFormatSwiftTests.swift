import InceptionCore
import Testing

/// Number formats as parameterized Swift Testing cases (the rest of the suite is XCTest): every
/// report and screen goes through these, so each rounding boundary is pinned.
@Suite struct NumberFormatBoundaries {
    @Test(arguments: [
        (0, "0"), (999, "999"), (1_000, "1.00K"), (99_949, "99.95K"), (99_950, "100.0K"), (163_696, "163.7K"),
        (999_949, "999.9K"), (999_950, "1.00M"), (1_582_671_872, "1.58G"), (-12_345, "-12.35K"),
    ])
    func humanized(_ n: Int, _ text: String) {
        #expect(NumberFormat.humanized(n) == text)
    }

    @Test(arguments: [(0, "0"), (7, "7"), (1_000, "1,000"), (6_998_552, "6,998,552"), (-1_234_567, "-1,234,567")])
    func grouped(_ n: Int, _ text: String) {
        #expect(NumberFormat.grouped(n) == text)
    }

    @Test(arguments: [(0.0, "0.0%"), (0.0004, "<0.1%"), (0.125, "12.5%"), (1.0, "100.0%")])
    func percent(_ f: Double, _ text: String) {
        #expect(NumberFormat.percent(f) == text)
    }
}
