import Foundation
import InceptionCore
import Synchronization
import TestSupport
import XCTest

@testable import InceptionRuntime

final class TimerTests: XCTestCase {
    let quick = TimingOptions(threads: 2, batch: 2, warmup: 1, minIterations: 3, minSeconds: 0)

    func testTimesABlockAndEachBranch() throws {
        let progress = Mutex<[Double]>([])
        let r = try EngineForwardTimer(peak: .none).time(
            TestLayouts.blocks, path: "mix", options: quick,
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
        let r = try EngineForwardTimer(peak: .none).time(
            TestLayouts.blocks, path: "", options: quick,
            progress: { _ in }, isCancelled: { false })
        XCTAssertEqual(r.branches, [])
        XCTAssertEqual(r.macs, Analysis(TestLayouts.blocks, batch: 2).totals.macs)
        XCTAssertEqual(r.output, Shape(10, 1, 1))
    }

    func testCancellationReportsIterationsDone() throws {
        let polls = Atomic<Int>(0)
        let options = TimingOptions(threads: 1, batch: 1, warmup: 2, minIterations: 100, minSeconds: 0)
        XCTAssertThrowsError(
            try EngineForwardTimer(peak: .none).time(
                TestLayouts.blocks, path: "mix", options: options, progress: { _ in },
                isCancelled: { polls.add(1, ordering: .relaxed).newValue > 7 })
        ) { e in
            // Polled before each of 2 warm-ups and each timed run: the 8th poll cancels after 5 runs.
            XCTAssertEqual(e as? TimingCancelled, TimingCancelled(iterationsDone: 5))
        }
    }

    func testPlanErrorsReachTheCaller() {
        XCTAssertThrowsError(
            try EngineForwardTimer(peak: .none).time(
                TestLayouts.blocks, path: "nope", options: quick, progress: { _ in }, isCancelled: { false })
        ) { e in
            XCTAssertTrue("\(e)".hasPrefix("no node \"nope\""), "\(e)")
        }
    }

    func testSampleStats() {
        let s = SampleStats([3, 1, 2])
        XCTAssertEqual([s.median, s.min, s.mean], [2, 1, 2])
        XCTAssertEqual(SampleStats([4, 1, 2, 3]).median, 2.5)
    }

    /// The tests' temporary cache home puts back a user's own XDG_CACHE_HOME (it used to unset it).
    func testTemporaryCacheHomeRestoresThePreviousValue() {
        let before = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        defer { if let before { setenv("XDG_CACHE_HOME", before, 1) } else { unsetenv("XDG_CACHE_HOME") } }
        setenv("XDG_CACHE_HOME", "/users/own/cache", 1)
        let home = TemporaryCacheHome("restore")
        XCTAssertEqual(ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], home.path)
        XCTAssertTrue(PeakCache.fileURL.path.hasPrefix(home.path))
        home.restore()
        XCTAssertEqual(ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], "/users/own/cache")
    }

    func testPeakCacheRoundTripsUnderXDGCacheHome() throws {
        let cacheHome = TemporaryCacheHome("peak")
        defer { cacheHome.restore() }
        let dir = cacheHome.url
        XCTAssertNil(PeakCache.cached(threads: 3))
        PeakCache.store(123.5, threads: 3)
        XCTAssertEqual(PeakCache.cached(threads: 3), 123.5)
        XCTAssertEqual(PeakCache.peak(threads: 3), 123.5, "a cached peak is not re-measured")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("inception-explorer/peak.json").path))
    }

    /// A measurement can only come out low (a busy machine), so `peak` never replaces a higher
    /// cached figure: QA saw a 2-thread peak measured under load (259 of 512 GFLOP/s) cached, and
    /// `bench` then put direct convs at 177-190% of it. A lower cached figure is raised.
    func testPeakMeasurementKeepsTheBestFigureSeen() throws {
        let cacheHome = TemporaryCacheHome("peak")
        defer { cacheHome.restore() }
        // 100,000 GFLOP/s: plausible to the cache (it is below its 1e6 bound) and above any CPU here.
        PeakCache.store(100_000, threads: 1)
        let measured = PeakCache.measure(threads: 1)
        XCTAssertLessThan(measured, 100_000)
        XCTAssertEqual(PeakCache.cached(threads: 1), 100_000, "a lower measurement does not replace it")
        // 0.5 GFLOP/s: below what one core's FMA loop does (the slowest CPU this runs on does >5).
        PeakCache.store(0.5, threads: 1)
        let again = PeakCache.measure(threads: 1)
        XCTAssertEqual(PeakCache.cached(threads: 1), again, "a higher measurement replaces a low figure")
        XCTAssertGreaterThan(again, 0.5)
    }

    /// Two CPU generations that report one name under a hypervisor (this project's hosts: a Zen 4
    /// and a Zen 5, both "AMD EPYC") get different cache keys, so a cache carried from the faster
    /// one does not lend its peak (kept as "the best figure seen") or its algorithm choices to the
    /// other. Before, both were keyed "AMD EPYC / 1 thread".
    func testCacheKeysTellCPUGenerationsWithOneNameApart() {
        func cpuinfo(family: Int, model: Int) -> String {
            (0..<2).map { cpu in
                "processor\t: \(cpu)\nvendor_id\t: AuthenticAMD\ncpu family\t: \(family)\nmodel\t\t: \(model)\n"
                    + "model name\t: AMD EPYC\nflags\t\t: fpu avx512f\n"
            }.joined(separator: "\n")
        }
        let zen4 = PeakCache.identity(cpuinfo: cpuinfo(family: 25, model: 17))
        let zen5 = PeakCache.identity(cpuinfo: cpuinfo(family: 26, model: 2))
        XCTAssertEqual(zen4, "AMD EPYC (family 25, model 17)")
        XCTAssertEqual(zen5, "AMD EPYC (family 26, model 2)")
        // An Arm core names no family, but its implementer and part.
        let arm = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xd0c\n"
        XCTAssertEqual(PeakCache.identity(cpuinfo: arm), "unknown CPU (implementer 0x41, part 0xd0c)")
        XCTAssertEqual(PeakCache.identity(cpuinfo: ""), "unknown CPU")
        // The second processor's block does not override the first's.
        XCTAssertEqual(PeakCache.identity(cpuinfo: cpuinfo(family: 25, model: 17) + "\n\ncpu family\t: 26\n"), zen4)
        XCTAssertTrue(PeakCache.key(threads: 1).hasPrefix(PeakCache.cpuModel + " / "), PeakCache.key(threads: 1))
    }
}
