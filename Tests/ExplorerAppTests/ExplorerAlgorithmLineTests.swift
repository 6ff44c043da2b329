import InceptionCore
import TerminalUI
import XCTest

@testable import ExplorerApp

/// The Forward pass panel names the conv algorithms that ran and flags debug-build timings.
final class ExplorerAlgorithmLineTests: XCTestCase {
    /// FixedTimer's result, as the engine timer would report a Winograd 3x3 and a debug build.
    struct WinogradTimer: ForwardTimer {
        func time(
            _ layout: InceptionCore.Layout, path: String, options: TimingOptions,
            progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
        ) throws -> TimingResult {
            var r = try FixedTimer().time(
                layout, path: path, options: options, progress: progress, isCancelled: isCancelled)
            r.algorithms = [
                .init(path: "inception_3a/1x1/0", algorithm: .direct),
                .init(path: "inception_3a/3x3/1", algorithm: .winograd(tile: 4, taps: 3)),
            ]
            r.debugBuild = true
            return r
        }
    }

    func testPanelNamesAlgorithmsAndDebugBuild() throws {
        let h = try Harness(size: Size(width: 100, height: 40), timer: WinogradTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertTrue(h.text.contains("convs: direct 1, winograd F(4,3) 1"), "\n" + h.text)
        XCTAssertTrue(h.text.contains("debug build: timings not representative"), "\n" + h.text)
        // The stand-in timer without them shows neither line.
        let plain = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer())
        plain.go(to: "inception_3a")
        plain.press(.char("r"))
        try plain.explorer.waitForTiming()
        XCTAssertFalse(plain.text.contains("convs:"))
        XCTAssertFalse(plain.text.contains("debug build"))
    }

    /// A plan that multiplied fewer MACs than direct shows its effective rate (which may pass the
    /// peak) on a line of its own, and the executed rate with the % of peak (FixedTimer's peak:
    /// 113 GFLOP/s). The plain timer's single line is unchanged.
    func testPanelShowsTheExecutedRateWithThePercentOfPeak() throws {
        struct EighthTimer: ForwardTimer {
            func time(
                _ layout: InceptionCore.Layout, path: String, options: TimingOptions,
                progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
            ) throws -> TimingResult {
                var r = try FixedTimer(medianMs: 0.5).time(
                    layout, path: path, options: options, progress: progress, isCancelled: isCancelled)
                r.executedMACs = r.macs / 8
                return r
            }
        }
        let h = try Harness(size: Size(width: 100, height: 40), timer: EighthTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        // inception_3a: 128,049,152 MACs in 0.5 ms = 512.2 GFLOP/s effective; an eighth of them
        // executed: 64.0 GFLOP/s, 57% of a 113 GFLOP/s peak.
        XCTAssertTrue(h.line(containing: "GFLOP/s effective").contains("512.2 GFLOP/s effective"), "\n" + h.text)
        XCTAssertTrue(h.line(containing: "executed").contains("64.0 GFLOP/s executed"), "\n" + h.text)
        XCTAssertTrue(h.line(containing: "executed").contains("57% of peak"), "\n" + h.text)
        // Issue 24 item 8: the reason an effective rate can pass the peak, in the panel.
        // At 100 columns it wraps after "than the".
        XCTAssertTrue(h.text.contains("Winograd multiplies fewer MACs than the"), "\n" + h.text)
        XCTAssertTrue(h.text.contains("direct conv counts"), "\n" + h.text)
        // The Markdown report (m) carries both rates too: median 0.500, min 0.400, 1 thread, batch 1.
        XCTAssertTrue(
            h.explorer.reportMarkdown().contains("| inception_3a | 0.500 | 0.400 | 512.2 | 64.0 | 1 | 1 | no |"),
            h.explorer.reportMarkdown())
        let plain = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer(medianMs: 0.5))
        plain.go(to: "inception_3a")
        plain.press(.char("r"))
        try plain.explorer.waitForTiming()
        XCTAssertTrue(plain.line(containing: "of peak").contains("512.2 GFLOP/s"), "\n" + plain.text)
        XCTAssertFalse(plain.text.contains("effective") || plain.text.contains("executed"), "\n" + plain.text)
        XCTAssertFalse(plain.text.contains("Winograd multiplies"), "\n" + plain.text)
    }
}
