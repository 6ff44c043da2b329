import ConvEngine
import Foundation
import InceptionCore
import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionRuntime

/// Per-layer conv algorithms: Winograd plans against the float64 reference, the accuracy gate,
/// the cache, and the memory estimate of transformed weights. (No timing is asserted.)
final class AlgorithmChoiceTests: XCTestCase {
    let weights = WeightSource.generated(seed: 42)

    func compare(
        _ layout: Layout, path: String = "", batch: Int = 1, algorithm: AlgorithmPolicy,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> ExecutionPlan {
        let plan = try ExecutionPlan(
            layout: layout,
            options: PlanOptions(
                path: path, batch: batch, threads: 2,
                weights: weights, algorithm: algorithm))
        let input = seededInput(plan.input.shape.count)
        try plan.setInput(input)
        let pool = ThreadPool(threads: 2)
        defer { pool.shutdown() }
        plan.run(pool)
        let ref = try ReferenceForward(layout: layout, weights: weights, batch: batch).run(path: path, input: input)
        let err = maxRelativeError(plan.outputValues(), ref.values)
        XCTAssertLessThanOrEqual(
            err, 1e-4, "\(layout.name) \(path) \(algorithm): max relative error \(err)",
            file: file, line: line)
        return plan
    }

    /// Under `winograd` every stride-1 conv with a transform (3×3, 5×5, 1×n, n×1) runs Winograd
    /// (these shapes keep the bound) and the whole plan stays within 1e-4 of float64; 1×1 and
    /// strided convs stay direct.
    func testWinogradPlansMatchTheReference() throws {
        let googlenet = try LayoutSource.load("builtin:googlenet").layout
        let v3 = try LayoutSource.load("builtin:inception-v3").layout
        for (layout, path, winograd) in [
            (TestLayouts.blocks, "", ["mix/b/1", "mix/e/1/1x3/0", "mix/e/1/3x1/0"]),
            (googlenet, "inception_3a", ["inception_3a/3x3/1", "inception_3a/5x5/1"]),
            (v3, "Mixed_5b", ["Mixed_5b/branch5x5/1", "Mixed_5b/branch3x3dbl/1", "Mixed_5b/branch3x3dbl/2"]),
            (
                v3, "Mixed_6b",
                [
                    "Mixed_6b/branch7x7/1", "Mixed_6b/branch7x7/2", "Mixed_6b/branch7x7dbl/1",
                    "Mixed_6b/branch7x7dbl/2", "Mixed_6b/branch7x7dbl/3", "Mixed_6b/branch7x7dbl/4",
                ]
            ),
            (
                v3, "Mixed_7b",
                [
                    "Mixed_7b/branch3x3/1/1x3/0", "Mixed_7b/branch3x3/1/3x1/0", "Mixed_7b/branch3x3dbl/1",
                    "Mixed_7b/branch3x3dbl/2/1x3/0", "Mixed_7b/branch3x3dbl/2/3x1/0",
                ]
            ),
        ] {
            let plan = try compare(layout, path: path, batch: layout.name == "blocks" ? 2 : 1, algorithm: .winograd)
            let used = plan.layers.filter { $0.algorithm.isWinograd }.map(\.path)
            XCTAssertEqual(used, winograd, "\(layout.name) \(path)")
            for l in plan.layers where l.algorithm.isWinograd {
                XCTAssertLessThan(l.executedMACs, l.macs, "\(l.path): Winograd multiplies less")
            }
        }
    }

    /// Random layouts of 3×3, 5×5, 1×n and n×1 convs at every size from 1×1 to 8×8, odd channel
    /// counts, under each policy.
    func testSmallLayoutsAtEverySize() throws {
        for size in 1...8 {
            let layout = Layout(
                name: "s\(size)", input: Shape(3 + size, size, size + size % 3),
                layers: [
                    TestLayouts.conv(5 + size, Pair(3, 3), pad: .same),
                    TestLayouts.conv(17, Pair(5, 5), pad: .same),
                    Layer(
                        .inception(branches: [
                            Branch(
                                name: "a",
                                layers: [TestLayouts.conv(9, Pair(1, 3), pad: .explicit(Pair(0, 1)), bn: true)]),
                            Branch(name: "b", layers: [TestLayouts.conv(6, Pair(3, 1), pad: .explicit(Pair(1, 0)))]),
                            Branch(name: "c", layers: [TestLayouts.conv(20, Pair(3, 3), pad: .same)]),
                        ])),
                ])
            for policy in [AlgorithmPolicy.direct, .winograd] { _ = try compare(layout, algorithm: policy) }
        }
    }

    /// A Winograd candidate over the error bound is not a candidate: with a bound of 0 every tile
    /// fails and `winograd` falls back to direct, recording each candidate's measured error.
    func testCandidatesOverTheBoundAreDropped() throws {
        let input = try Tensor(shape: TensorShape(c: 24, h: 12, w: 12))
        let output = try Tensor(shape: TensorShape(c: 20, h: 12, w: 12))
        var rng = SplitMix64(seed: 1)
        let w = try ConvWeights(
            outChannels: 20, inChannels: 24, kernelH: 3, kernelW: 3, weight: rng.normals(20 * 24 * 9, std: 0.1))
        let params = ConvParams(pad: Padding2D(h: 1, w: 1), relu: true)
        let strict = AlgorithmChooser(policy: .winograd, threads: 1, errorBound: 0)
        let (op, choice, _) = try strict.makeConv(
            input: input, output: ChannelSlice(output), params: params, weights: w)
        XCTAssertTrue(op is Conv2DOp)
        XCTAssertEqual(choice.algorithm, .direct)
        XCTAssertEqual(
            choice.candidates.map(\.algorithm),
            [.direct, .winograd(tile: 2, taps: 3), .winograd(tile: 4, taps: 3), .winograd(tile: 6, taps: 3)])
        XCTAssertTrue(choice.candidates.dropFirst().allSatisfy { !$0.keepsBound && $0.error > 0 })
        // The default bound keeps F(2,3) (its error here is ~1e-6; the bound is 1e-5).
        let usual = AlgorithmChooser(policy: .winograd, threads: 1)
        let (op2, choice2, _) = try usual.makeConv(
            input: input, output: ChannelSlice(output), params: params, weights: w)
        XCTAssertTrue(op2 is WinogradConvOp)
        XCTAssertTrue(choice2.candidates.first { $0.algorithm == .winograd(tile: 2, taps: 3) }!.keepsBound)
    }

    /// `auto` times once and caches per CPU, threads and shape; the next plan reads the choice.
    func testAutoChoicesAreCached() throws {
        let cacheHome = TemporaryCacheHome("algo-cache")
        defer { cacheHome.restore() }
        let layout = try LayoutSource.load("builtin:googlenet").layout
        let options = PlanOptions(path: "inception_3a", threads: 1, weights: weights, algorithm: .auto)
        let first = try ExecutionPlan(layout: layout, options: options)
        let conv = try XCTUnwrap(first.layers.first { $0.path == "inception_3a/3x3/1" })
        XCTAssertEqual(conv.choice?.cached, false)
        XCTAssertTrue(conv.choice?.candidates.contains { $0.ms != nil } ?? false, "candidates were timed")
        XCTAssertNotNil(AlgorithmCache.read()?.choices.values.first)
        let second = try ExecutionPlan(layout: layout, options: options)
        let again = try XCTUnwrap(second.layers.first { $0.path == "inception_3a/3x3/1" })
        XCTAssertEqual(again.choice?.cached, true)
        XCTAssertEqual(again.algorithm, conv.algorithm)
        // 1×1 convs have no Winograd candidate: direct, nothing timed or cached.
        let pointwise = ["inception_3a/1x1/0", "inception_3a/3x3/0", "inception_3a/5x5/0", "inception_3a/pool_proj/1"]
        for path in pointwise {
            let l = try XCTUnwrap(second.layers.first { $0.path == path }, path)
            XCTAssertEqual(l.algorithm, .direct, path)
            XCTAssertEqual(l.choice?.candidates, [], path)
        }
    }

    /// `replan` (bench/run `--replan`): a cached choice is not trusted but decided again, and the
    /// new decision replaces it; convs of one shape later in the same plan take this plan's
    /// decision. Here the cache is made to say "direct" for inception_3a's 3×3 (as a choice made on
    /// a busy machine could): a plain plan obeys it, a replan times the candidates and rewrites it.
    func testReplanDecidesAgainAndReplacesTheCachedChoice() throws {
        let cacheHome = TemporaryCacheHome("algo-replan")
        defer { cacheHome.restore() }
        let layout = try LayoutSource.load("builtin:googlenet").layout
        var options = PlanOptions(path: "inception_3a", threads: 1, weights: weights, algorithm: .auto)
        let path = "inception_3a/3x3/1"
        _ = try ExecutionPlan(layout: layout, options: options)
        var file = try XCTUnwrap(AlgorithmCache.read())
        let key = try XCTUnwrap(
            file.choices.keys.first { $0.contains("conv 3x3") && $0.contains("1x96x28x28 > 128") }, "\(file.choices)")
        file.choices[key] = "direct"
        AlgorithmCache.write(file)

        let obeying = try ExecutionPlan(layout: layout, options: options)
        let cached = try XCTUnwrap(obeying.layers.first { $0.path == path })
        XCTAssertEqual(cached.algorithm, .direct)
        XCTAssertEqual(cached.choice?.cached, true)

        options.replan = true
        let replanned = try ExecutionPlan(layout: layout, options: options)
        let fresh = try XCTUnwrap(replanned.layers.first { $0.path == path })
        XCTAssertEqual(fresh.choice?.cached, false)
        XCTAssertTrue(fresh.choice?.candidates.contains { $0.ms != nil } ?? false, "candidates were timed again")
        XCTAssertEqual(
            AlgorithmCache.read()?.choices[key], fresh.algorithm.description, "the cache keeps the new decision")
    }

    /// Close calls are decided inside whole passes: with the margin opened wide every timed conv is
    /// one, each of its timed candidates gets a time in the pass, the fastest there is what the
    /// plan runs and what the cache keeps, and the plan still matches the float64 reference.
    func testCloseCallsAreDecidedInsidePasses() throws {
        let cacheHome = TemporaryCacheHome("algo-close")
        defer { cacheHome.restore() }
        let layout = try LayoutSource.load("builtin:googlenet").layout
        var options = PlanOptions(path: "inception_3a", threads: 2, weights: weights, algorithm: .auto)
        options.closeCallMargin = .infinity
        let plan = try ExecutionPlan(layout: layout, options: options)
        let decided = plan.layers.filter { $0.choice?.decidedInPass == true }
        XCTAssertEqual(
            decided.map(\.path), ["inception_3a/3x3/1", "inception_3a/5x5/1"], "the two convs with candidates")
        for layer in decided {
            let choice = try XCTUnwrap(layer.choice)
            let inPass = choice.candidates.filter { $0.passMs != nil }
            XCTAssertEqual(
                inPass.map(\.algorithm), choice.candidates.filter { $0.ms != nil }.map(\.algorithm),
                "\(layer.path): every timed candidate was timed in the pass too")
            let fastest = try XCTUnwrap(inPass.min { $0.passMs! < $1.passMs! })
            XCTAssertEqual(layer.algorithm, fastest.algorithm, layer.path)
            XCTAssertEqual(
                AlgorithmCache.read()?.choices.first { $0.key.contains(layer.path.hasSuffix("5x5/1") ? "5x5" : "3x3") }?
                    .value,
                fastest.algorithm.description, "the cache keeps the pass's choice")
        }
        // A second plan takes the cached choices and decides nothing.
        let again = try ExecutionPlan(layout: layout, options: options)
        XCTAssertTrue(again.layers.allSatisfy { $0.choice?.decidedInPass != true })
        XCTAssertEqual(again.layers.map(\.algorithm), plan.layers.map(\.algorithm))
        // And the plan computes what the reference does (whatever was chosen).
        _ = try compare(layout, path: "inception_3a", algorithm: .auto)
    }

    /// Convs of one shape get one choice, as the cache keeps one per shape: Mixed_6b has two 1×7
    /// 128 → 128 convs (branch7x7/1, branch7x7dbl/2) and two 7×1 128 → 128 (branch7x7dbl/1,
    /// branch7x7dbl/3); the passes decide each pair together, and a second plan, from the cache,
    /// runs the same algorithms (so the same output, bit for bit).
    func testConvsOfOneShapeAreDecidedTogether() throws {
        let cacheHome = TemporaryCacheHome("algo-shape")
        defer { cacheHome.restore() }
        let layout = try LayoutSource.load("builtin:inception-v3").layout
        var options = PlanOptions(path: "Mixed_6b", threads: 1, weights: weights, algorithm: .auto)
        options.closeCallMargin = .infinity
        func algorithm(_ plan: ExecutionPlan, _ path: String) -> ConvMethod? {
            plan.layers.first { $0.path == path }?.algorithm
        }
        let pairs = [
            ("Mixed_6b/branch7x7/1", "Mixed_6b/branch7x7dbl/2"), ("Mixed_6b/branch7x7dbl/1", "Mixed_6b/branch7x7dbl/3"),
        ]
        let first = try ExecutionPlan(layout: layout, options: options)
        for (a, b) in pairs {
            XCTAssertNotNil(algorithm(first, a))
            XCTAssertEqual(algorithm(first, a), algorithm(first, b), "\(a) and \(b) have one shape")
            XCTAssertEqual(first.layers.first { $0.path == b }?.choice?.decidedInPass, true, b)
        }
        let second = try ExecutionPlan(layout: layout, options: options)
        XCTAssertEqual(second.layers.map(\.algorithm), first.layers.map(\.algorithm))
        // Decided again (`replan`), each pair still gets one choice.
        options.replan = true
        let third = try ExecutionPlan(layout: layout, options: options)
        for (a, b) in pairs {
            XCTAssertEqual(algorithm(third, a), algorithm(third, b), "replanned: \(a) and \(b) have one shape")
            XCTAssertEqual(third.layers.first { $0.path == a }?.choice?.cached, false, a)
        }
        let input = seededInput(first.input.shape.count)
        let pool = ThreadPool(threads: 1)
        defer { pool.shutdown() }
        var outputs: [[Float]] = []
        for plan in [first, second] {
            try plan.setInput(input)
            plan.run(pool)
            outputs.append(plan.outputValues())
        }
        XCTAssertEqual(outputs[0], outputs[1])
    }

    /// Choices cached before the timing method changed (no or another version) are re-measured.
    func testCacheOfAnotherVersionIsIgnored() throws {
        let cacheHome = TemporaryCacheHome("algo-version")
        defer { cacheHome.restore() }
        try FileManager.default.createDirectory(
            at: AlgorithmCache.fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{\"choices\": {\"k\": \"winograd F(4,3)\"}}".utf8).write(to: AlgorithmCache.fileURL)
        XCTAssertNil(AlgorithmCache.cached("k"), "a file without a version predates cold-cache timing")
        AlgorithmCache.store(.winograd(tile: 2, taps: 3), key: "k")
        XCTAssertEqual(AlgorithmCache.cached("k"), .winograd(tile: 2, taps: 3))
        XCTAssertEqual(AlgorithmCache.read()?.version, AlgorithmCache.version)
    }

    /// Transformed weights count in the estimate: a 3×3 16 → 32 conv has 32·16·9 direct weights
    /// and (m + 2)² / 9 times as many for F(m,3); before the choice the plan counts the largest
    /// candidate, F(6,3) (64 values per kernel), so a budget that fits only direct weights refuses it.
    func testMemoryEstimateCountsTransformedWeights() throws {
        let layout = Layout(
            name: "one", input: Shape(16, 10, 10), layers: [TestLayouts.conv(32, Pair(3, 3), pad: .same)])
        let direct = try ExecutionPlan(layout: layout, options: PlanOptions(weights: weights, algorithm: .direct))
        XCTAssertEqual(direct.memory.weightBytes, (32 * 144 + 32 + 144) * 4)
        var b = ProgramBuilder(layout: layout, batch: 1, includeAux: false)
        try b.build(b.resolve(""))
        let bound = b.program.estimate(threads: 1, algorithm: .winograd)
        XCTAssertEqual(bound.weightBytes, (64 * 2 * 16 * 16 + 32) * 4 + 16 * 4 + 32 * 4)
        let chosen = try ExecutionPlan(layout: layout, options: PlanOptions(weights: weights, algorithm: .winograd))
        let m = try XCTUnwrap(Int(chosen.layers[0].algorithm.description.dropFirst("winograd F(".count).prefix(1)))
        XCTAssertEqual(chosen.memory.weightBytes, ((m + 2) * (m + 2) * 2 * 16 * 16 + 32) * 4 + 16 * 4 + 32 * 4)
        // While the conv is chosen, every candidate's weights exist at once (direct, F(2,3),
        // F(4,3), F(6,3); the largest is counted above) plus the chooser's 48 MiB eviction buffer.
        func winograd(_ m: Int) -> Int { ((m + 2) * (m + 2) * 2 * 16 * 16 + 32) * 4 + 16 * 4 + 32 * 4 }
        let others = (32 * 144 + 32 + 144) * 4 + winograd(2) + winograd(4)
        XCTAssertEqual(bound.transientBytes, others + 48 * 1024 * 1024)
        XCTAssertLessThan(
            b.program.estimate(threads: 1, algorithm: .direct).transientBytes, 1024 * 1024,
            "a direct plan chooses nothing")
        let tight = direct.memory.totalBytes + 1000
        XCTAssertNoThrow(
            try ExecutionPlan(layout: layout, options: PlanOptions(weights: weights, maxMemoryBytes: tight)))
        XCTAssertThrowsError(
            try ExecutionPlan(
                layout: layout,
                options: PlanOptions(
                    weights: weights, maxMemoryBytes: tight,
                    algorithm: .winograd)))
    }
}
