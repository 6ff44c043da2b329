import XCTest

@testable import InceptionRuntime

/// The p10–p90 spread the explorer shows beside a timing's median (issue 11).
final class SampleSpreadTests: XCTestCase {
    func testNearestRankPercentiles() {
        // 1...10: p10 is the 1st smallest (⌈0.1·10⌉ = 1), p90 the 9th.
        let s = SampleStats((1...10).map(Double.init).shuffled())
        XCTAssertEqual(s.p10, 1)
        XCTAssertEqual(s.p90, 9)
        // 1...20: the 2nd and the 18th.
        let t = SampleStats((1...20).map(Double.init).reversed())
        XCTAssertEqual([t.p10, t.p90], [2, 18])
        // One sample: both are it.
        XCTAssertEqual([SampleStats([7]).p10, SampleStats([7]).p90], [7, 7])
    }
}
