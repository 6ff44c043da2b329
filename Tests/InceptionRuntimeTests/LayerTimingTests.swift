import ConvEngine
import Foundation
import InceptionCore
import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionRuntime

/// Per-layer timings (for the roofline), their MACs and bytes, and the bandwidth in the peak cache.
final class LayerTimingTests: XCTestCase {
    let quick = TimingOptions(threads: 2, batch: 2, warmup: 1, minIterations: 2, minSeconds: 0, perLayer: true)

    func testEveryConvOfABlockIsTimedWithItsMACsAndBytes() throws {
        let r = try EngineForwardTimer(peak: .none).time(
            TestLayouts.blocks, path: "mix", options: quick,
            progress: { _ in }, isCancelled: { false })
        let layers = try XCTUnwrap(r.layers)
        // The block's conv layers in plan order (pools, copies and dropout have no MACs and no row).
        XCTAssertEqual(
            layers.map(\.path),
            [
                "mix/a/0", "mix/b/0", "mix/b/1", "mix/c/1", "mix/d/1", "mix/e/0",
                "mix/e/1/1x3/0", "mix/e/1/3x1/0",
            ])
        XCTAssertTrue(layers.allSatisfy { $0.op == .conv && $0.medianMs > 0 })
        let analysis = Analysis(TestLayouts.blocks, batch: 2)
        XCTAssertEqual(layers.reduce(0) { $0 + $1.macs }, analysis.stats(path: "mix")?.macs, "only convs have MACs")
        XCTAssertEqual(layers.first { $0.path == "mix/b/1" }?.macs, analysis.stats(path: "mix/b/1")?.macs)
        // mix/b/1: 3x3 "same" conv 7 → 11 channels on 9x9, batch 2, with bias:
        // input 2·7·81 = 1,134 + output 2·11·81 = 1,782 + weights 11·7·9 = 693 + bias 11 = 3,620 floats.
        XCTAssertEqual(layers.first { $0.path == "mix/b/1" }?.bytes, 3_620 * 4)
        // mix/e/0: 1x1 conv 19 → 8 with batchnorm and no bias (folded into a bias of 8):
        // 2·19·81 = 3,078 + 2·8·81 = 1,296 + 8·19 = 152 + 8 = 4,534 floats.
        XCTAssertEqual(layers.first { $0.path == "mix/e/0" }?.bytes, 4_534 * 4)
        XCTAssertNil(r.bandwidthGBs, "peak policy .none looks nothing up")
    }

    func testLinearLayersAreTimedAndLayersAreOffByDefault() throws {
        let r = try EngineForwardTimer(peak: .none).time(
            TestLayouts.ops, path: "", options: quick,
            progress: { _ in }, isCancelled: { false })
        let layers = try XCTUnwrap(r.layers)
        XCTAssertEqual(layers.map(\.path), ["c1", "c2", "c3", "c4", "fc1", "fc2"])
        XCTAssertEqual(layers.map(\.op), [.conv, .conv, .conv, .conv, .linear, .linear])
        // fc2: 12 → 5 features without bias, batch 2: input 24 + output 10 + weights 60 floats.
        XCTAssertEqual(layers.last?.bytes, (24 + 10 + 60) * 4)
        var off = quick
        off.perLayer = false
        let plain = try EngineForwardTimer(peak: .none).time(
            TestLayouts.ops, path: "", options: off,
            progress: { _ in }, isCancelled: { false })
        XCTAssertNil(plain.layers)
        XCTAssertFalse(TimingOptions().perLayer, "bench's default stays whole-node only")
    }

    /// `perOp` (bench --profile): every engine op of the block, pools and copies too, in plan order
    /// with its kind; a pass run op by op computes what the overlapped graph pass computes.
    func testEveryOpIsTimedInsideOpByOpPasses() throws {
        var options = quick
        options.perLayer = false
        options.perOp = true
        let r = try EngineForwardTimer(peak: .none, algorithm: .direct).time(
            TestLayouts.blocks, path: "mix", options: options, progress: { _ in }, isCancelled: { false })
        let ops = try XCTUnwrap(r.ops)
        let plan = try ExecutionPlan(
            layout: TestLayouts.blocks, options: PlanOptions(path: "mix", batch: 2, threads: 2))
        XCTAssertEqual(ops.map(\.path), plan.plannedOps.map(\.path))
        XCTAssertEqual(ops.count, plan.opCount)
        // Convs, and the pool branches' pools computed inside their 1×1 convs ("maxpool+conv").
        let convs = ops.filter { $0.kind.hasSuffix("conv") }
        XCTAssertEqual(convs.map(\.path), try XCTUnwrap(r.algorithms.map(\.path)))
        XCTAssertEqual(convs.filter { $0.kind != "conv" }.map(\.kind), ["maxpool+conv", "avgpool+conv"])
        XCTAssertTrue(ops.contains { !$0.kind.hasSuffix("conv") }, "the block's copies are ops too")
        XCTAssertTrue(ops.allSatisfy { $0.medianMs >= 0 && $0.kind.hasSuffix("conv") == ($0.algorithm != nil) })
        XCTAssertNotNil(r.opByOpMedianMs)
        XCTAssertNil(r.layers)

        // Same output either way: op by op (with clock reads between ops) and as one graph.
        var rng = SplitMix64(seed: 3, stream: "input")
        try plan.setInput(rng.normals(plan.input.shape.count, std: 1))
        let pool = ThreadPool(threads: 2)
        defer { pool.shutdown() }
        plan.run(pool)
        let graph = plan.outputValues()
        var times: [[Double]] = []
        plan.runTimingEachOp(pool, into: &times)
        plan.runTimingEachOp(pool, into: &times)
        XCTAssertEqual(plan.outputValues(), graph)
        XCTAssertEqual(times.count, plan.opCount)
        XCTAssertTrue(times.allSatisfy { $0.count == 2 })
        XCTAssertFalse(TimingOptions().perOp, "bench's default stays whole-node only")
    }

    func testBandwidthProbeReturnsARate() {
        // 1 MiB per array, one pass: only that the loop ran and checked its output (no speed assertion).
        XCTAssertGreaterThan(measureBandwidthGBs(threads: 2, megabytesPerArray: 1, passes: 1), 0)
    }

    func testBandwidthIsCachedBesideThePeakAndOldFilesStillRead() throws {
        let cacheHome = TemporaryCacheHome("bw")
        defer { cacheHome.restore() }
        let dir = cacheHome.url
        // A file as written before the bandwidth existed: peaks only.
        let file = dir.appendingPathComponent("inception-explorer/peak.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let key = PeakCache.key(threads: 3)
        try Data("{\"entries\": {\"\(key)\": 200.5}}".utf8).write(to: file)
        XCTAssertEqual(PeakCache.cached(threads: 3), 200.5)
        XCTAssertNil(PeakCache.cachedBandwidth(threads: 3))
        PeakCache.storeBandwidth(31.25, threads: 3)
        XCTAssertEqual(PeakCache.cachedBandwidth(threads: 3), 31.25)
        XCTAssertEqual(PeakCache.bandwidth(threads: 3), 31.25, "a cached bandwidth is not re-measured")
        XCTAssertEqual(PeakCache.cached(threads: 3), 200.5, "storing the bandwidth keeps the peak")
        PeakCache.store(210, threads: 3)
        XCTAssertEqual(PeakCache.cachedBandwidth(threads: 3), 31.25, "storing the peak keeps the bandwidth")
    }
}
