import Foundation
import InceptionCore
import Synchronization
import XCTest
@testable import InceptionRuntime

final class TimerTests: XCTestCase {
    let quick = TimingOptions(threads: 2, batch: 2, warmup: 1, minIterations: 3, minSeconds: 0)

    func testTimesABlockAndEachBranch() throws {
        let progress = Mutex<[Double]>([])
        let r = try EngineForwardTimer(peak: .none).time(TestLayouts.blocks, path: "mix", options: quick,
                                                         progress: { p in progress.withLock { $0.append(p) } },
                                                         isCancelled: { false })
        XCTAssertEqual(r.path, "mix")
        XCTAssertEqual(r.input, Shape(19, 9, 9))
        XCTAssertEqual(r.output, Shape(72, 9, 9))
        XCTAssertEqual(r.batch, 2)
        XCTAssertEqual(r.threads, 2)
        XCTAssertEqual(r.iterations, 3)
        XCTAssertEqual(r.macs, Analysis(TestLayouts.blocks, batch: 2).stats(path: "mix")?.macs)
        XCTAssertEqual(r.branches.map(\.path), ["a", "b", "c", "d", "e", "id", "drop"].map { "mix/" + $0 })
        XCTAssertTrue(r.minMs <= r.medianMs && r.minMs > 0)
        XCTAssertNil(r.peakGFLOPS)
        let p = progress.withLock { $0 }
        XCTAssertEqual(p.last, 1)
        XCTAssertEqual(p, p.sorted(), "progress never goes back")
    }

    func testWholeNetworkHasNoBranchesAndCountsInferenceMACs() throws {
        let r = try EngineForwardTimer(peak: .none).time(TestLayouts.blocks, path: "", options: quick,
                                                         progress: { _ in }, isCancelled: { false })
        XCTAssertEqual(r.branches, [])
        XCTAssertEqual(r.macs, Analysis(TestLayouts.blocks, batch: 2).totals.macs)
        XCTAssertEqual(r.output, Shape(10, 1, 1))
    }

    func testCancellationReportsIterationsDone() throws {
        let polls = Atomic<Int>(0)
        let options = TimingOptions(threads: 1, batch: 1, warmup: 2, minIterations: 100, minSeconds: 0)
        XCTAssertThrowsError(try EngineForwardTimer(peak: .none).time(
            TestLayouts.blocks, path: "mix", options: options, progress: { _ in },
            isCancelled: { polls.add(1, ordering: .relaxed).newValue > 7 })) { e in
            // Polled before each of 2 warm-ups and each timed run: the 8th poll cancels after 5 runs.
            XCTAssertEqual(e as? TimingCancelled, TimingCancelled(iterationsDone: 5))
        }
    }

    func testPlanErrorsReachTheCaller() {
        XCTAssertThrowsError(try EngineForwardTimer(peak: .none).time(
            TestLayouts.blocks, path: "nope", options: quick, progress: { _ in }, isCancelled: { false })) { e in
            XCTAssertTrue("\(e)".hasPrefix("no node \"nope\""), "\(e)")
        }
    }

    func testSampleStats() {
        let s = SampleStats([3, 1, 2])
        XCTAssertEqual([s.median, s.min, s.mean], [2, 1, 2])
        XCTAssertEqual(SampleStats([4, 1, 2, 3]).median, 2.5)
    }

    func testPeakCacheRoundTripsUnderXDGCacheHome() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peak-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        setenv("XDG_CACHE_HOME", dir.path, 1)
        defer { unsetenv("XDG_CACHE_HOME") }
        XCTAssertNil(PeakCache.cached(threads: 3))
        PeakCache.store(123.5, threads: 3)
        XCTAssertEqual(PeakCache.cached(threads: 3), 123.5)
        XCTAssertEqual(PeakCache.peak(threads: 3), 123.5, "a cached peak is not re-measured")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("inception-explorer/peak.json").path))
    }
}
