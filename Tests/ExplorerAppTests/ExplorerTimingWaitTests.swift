import InceptionCore
import TerminalUI
import XCTest

@testable import ExplorerApp

/// `waitForTiming`, the tests' hook for a background forward pass: a pass that does not end is a
/// failure, not a silent return after the timeout (issue 20).
final class ExplorerTimingWaitTests: XCTestCase {
    /// A timer that runs until it is cancelled.
    struct EndlessTimer: ForwardTimer {
        func time(
            _ layout: InceptionCore.Layout, path: String, options: TimingOptions,
            progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool
        ) throws -> TimingResult {
            while !isCancelled() { Thread.sleep(forTimeInterval: 0.005) }
            throw TimingCancelled(iterationsDone: 0)
        }
    }

    func testAPassThatDoesNotEndFailsTheWait() throws {
        let h = try Harness(timer: EndlessTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        XCTAssertThrowsError(try h.explorer.waitForTiming(timeoutSeconds: 0.2)) {
            XCTAssertEqual(
                ($0 as? Explorer.TimingTimeout)?.description,
                "the forward pass of \"inception_3a\" still ran after 0.2 s")
        }
        h.explorer.run?.cancel()
        try h.explorer.waitForTiming()
        XCTAssertEqual(h.explorer.state.message?.text, "forward pass cancelled")
    }

    func testAPassThatEndsIsTakenIntoTheState() throws {
        let h = try Harness(timer: FixedTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertEqual(h.explorer.state.timings["inception_3a"]?.result.medianMs, 2.5, "FixedTimer's median")
    }
}
