@testable import ExplorerApp
import InceptionCore
import InceptionRuntime
import TerminalUI
import XCTest

/// The Forward pass panel names the conv algorithms that ran and flags debug-build timings.
final class ExplorerAlgorithmLineTests: XCTestCase {
    /// FixedTimer's result, as the engine timer would report a Winograd 3x3 and a debug build.
    struct WinogradTimer: ForwardTimer {
        func time(_ layout: InceptionCore.Layout, path: String, options: TimingOptions,
                  progress: @escaping @Sendable (Double) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> TimingResult {
            var r = try FixedTimer().time(layout, path: path, options: options, progress: progress, isCancelled: isCancelled)
            r.algorithms = [.init(path: "inception_3a/1x1/0", algorithm: "direct"),
                            .init(path: "inception_3a/3x3/1", algorithm: "winograd F(4,3)")]
            r.debugBuild = true
            return r
        }
    }

    func testPanelNamesAlgorithmsAndDebugBuild() throws {
        let h = try Harness(size: Size(width: 100, height: 40), timer: WinogradTimer())
        h.go(to: "inception_3a")
        h.press(.char("r"))
        h.explorer.waitForTiming()
        XCTAssertTrue(h.text.contains("convs: direct 1, winograd F(4,3) 1"), "\n" + h.text)
        XCTAssertTrue(h.text.contains("debug build: timings not representative"), "\n" + h.text)
        // The stand-in timer without them shows neither line.
        let plain = try Harness(size: Size(width: 100, height: 40), timer: FixedTimer())
        plain.go(to: "inception_3a")
        plain.press(.char("r"))
        plain.explorer.waitForTiming()
        XCTAssertFalse(plain.text.contains("convs:"))
        XCTAssertFalse(plain.text.contains("debug build"))
    }
}
