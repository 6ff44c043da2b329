import XCTest

@testable import InceptionCore

/// Each lint fires on a small layout that breaks its principle and stays quiet on one that follows it.
final class LintRuleTests: XCTestCase {
    typealias F = DesignFixtures

    func ids(_ layout: Layout, _ options: LintOptions = LintOptions(), only: LintID? = nil) -> [String] {
        var o = options
        if let only { o.enabled = [only] }
        return layout.lints(options: o).map { "\($0.id.rawValue) \($0.path)" }
    }

    func block(_ name: String, _ branches: [(String, [Layer])]) -> Layer {
        Layer(name: name, .inception(branches: branches.map { Branch(name: $0.0, layers: $0.1) }))
    }

    func testBottleneckFiresOnASqueezeAndOnALargeStride() throws {
        // 64x32x32 = 65,536 → 8x32x32 = 8,192: 1/8 of its input.
        let squeeze = Layout(
            name: "s", input: Shape(64, 32, 32),
            layers: [F.conv(8, 1, name: "squeeze"), F.conv(64, 3, pad: Pair(1, 1), name: "c")])
        XCTAssertEqual(ids(squeeze), ["bottleneck squeeze"])
        let lint = try XCTUnwrap(squeeze.lints().first)
        XCTAssertTrue(
            lint.measured.contains("65,536") && lint.measured.contains("8,192")
                && lint.measured.contains("0.13 of its input"), lint.measured)
        XCTAssertTrue(lint.measured.contains("top-level layer 1 of 2 (early)"), lint.measured)
        // The notes' counter-example: a 7x7 stride 5 at the start.
        let stem = Layout(
            name: "s", input: Shape(3, 224, 224), layers: [F.conv(64, 7, stride: 5, pad: Pair(3, 3), name: "stem")])
        XCTAssertEqual(ids(stem), ["bottleneck stem"])
        XCTAssertTrue(try XCTUnwrap(stem.lints().first).measured.contains("squeezes H*W 25x at once"))
    }

    func testBottleneckQuietOnGradualShrinkAndTheHead() {
        // A stride-2 pool keeping channels is exactly 1/4 (not below); valid 3x3/2 on 147 (0.2466 of
        // the cells) counts on the stride grid; global pooling and the classifier are the head.
        let ok = Layout(
            name: "ok", input: Shape(3, 147, 147),
            layers: [
                F.conv(64, 3, pad: Pair(1, 1)),
                Layer(name: "pool", .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2)))),
                Layer(.globalavgpool), Layer(.linear(Linear(out: 10))),
            ])
        XCTAssertEqual(ids(ok), [])
        var strict = LintOptions()
        strict.bottleneckFraction = 0.3
        XCTAssertEqual(ids(ok, strict), ["bottleneck pool"])
    }

    func testFactorizationGridFiresOffMediumGridsOnly() {
        func stack(_ n: Int) -> Layout {
            Layout(
                name: "g", input: Shape(32, n, n),
                layers: [
                    F.conv(32, 1, 7, pad: Pair(0, 3), name: "a"), F.conv(32, 7, 1, pad: Pair(3, 0), name: "b"),
                ])
        }
        XCTAssertEqual(ids(stack(35)), ["factorization-grid a"])
        XCTAssertEqual(ids(stack(8)), ["factorization-grid a"])
        XCTAssertEqual(ids(stack(17)), [])
        XCTAssertEqual(ids(stack(12)), [])
        XCTAssertEqual(ids(stack(20)), [])
        // Figure 7: 1x3 and 3x1 side by side on 8x8 is not a stack.
        let fig7 = Layout(
            name: "f7", input: Shape(32, 8, 8),
            layers: [
                block(
                    "split",
                    [("1x3", [F.conv(32, 1, 3, pad: Pair(0, 1))]), ("3x1", [F.conv(32, 3, 1, pad: Pair(1, 0))])])
            ])
        XCTAssertEqual(ids(fig7, only: .factorizationGrid), [])
    }

    func testLargeKernelStatesTheSavingOfTwo3x3() throws {
        // Equal widths: 64·25·64 → 64·9·64 · 2, 1 − 18/25 = 28% fewer weights.
        let five = Layout(name: "k", input: Shape(64, 17, 17), layers: [F.conv(64, 5, pad: Pair(2, 2), name: "five")])
        XCTAssertEqual(ids(five, only: .largeKernel), ["large-kernel five"])
        let m = try XCTUnwrap(five.lints().first).measured
        XCTAssertTrue(m.contains("64*25*64 = 102,400 weights vs 64*9*64 + 64*9*64 = 73,728"), m)
        XCTAssertTrue(m.contains("28.0% fewer"), m)
        // Params with biases: 102,464 → 73,856 = 27.9% fewer: below a 30% threshold it is quiet.
        var opts = LintOptions()
        opts.minFactorizeSaving = 0.3
        XCTAssertEqual(ids(five, opts, only: .largeKernel), [])
        let three = Layout(
            name: "k", input: Shape(64, 17, 17),
            layers: [F.conv(64, 3, pad: Pair(1, 1)), F.conv(64, 5, stride: 2, pad: Pair(2, 2))])
        XCTAssertEqual(ids(three, only: .largeKernel), [])
    }

    func testMissingReductionReproducesTheNotesArithmetic() throws {
        let naive = Layout(
            name: "n", input: Shape(128, 100, 100),
            layers: [
                Layer(
                    name: "conv5x5", .conv(Conv(out: 256, kernel: Pair(5, 5), pad: .explicit(Pair(2, 2)), bias: false)))
            ])
        var only = LintOptions()
        only.enabled = [.missingReduction]
        XCTAssertEqual(ids(naive, only), ["missing-reduction conv5x5"])
        let m = try XCTUnwrap(naive.lints(options: only).first).measured
        // The notes: 819,200 vs 208,896, about 4x (3.92x).
        XCTAssertTrue(
            m.contains("128*25*256 = 819,200") && m.contains("128*32 + 32*25*256 = 208,896") && m.contains("3.92x"), m)
        var reduced = naive
        try reduced.toggleReduction(at: NodeAddress([0]))
        XCTAssertEqual(ids(reduced, only), [])
        // A thin stem (32 channels in) is not a case; a naive block's spatial branches are.
        let stem = Layout(name: "s", input: Shape(32, 64, 64), layers: [F.conv(64, 3, pad: Pair(1, 1))])
        XCTAssertEqual(ids(stem, only), [])
        let module = Layout(
            name: "m", input: Shape(192, 28, 28),
            layers: [
                block(
                    "naive",
                    [
                        ("1x1", [F.conv(64, 1)]), ("3x3", [F.conv(128, 3, pad: Pair(1, 1))]),
                        ("pool", [PaperNetworks.maxpool(3, 1, pad: 1)]),
                    ])
            ])
        XCTAssertEqual(ids(module, only), ["missing-reduction naive/3x3/0"])
    }

    func testWidthDepthBalanceComparesGridStages() {
        func net(_ early: (Int, Int), _ late: (Int, Int)) -> Layout {
            Layout(
                name: "b", input: Shape(32, 16, 16),
                layers: [
                    block(
                        "s1",
                        [("1x1", [F.conv(early.0, 1)]), ("3x3", [F.conv(16, 1), F.conv(early.1, 3, pad: Pair(1, 1))])]),
                    PaperNetworks.maxpool(2, 2, name: "pool"),
                    block(
                        "s2",
                        [("1x1", [F.conv(late.0, 1)]), ("3x3", [F.conv(16, 1), F.conv(late.1, 3, pad: Pair(1, 1))])]),
                ])
        }
        // 3x3 share 75% at 16x16, 25% at 8x8: fires at the later stage's first block.
        XCTAssertEqual(ids(net((16, 48), (48, 16))), ["width-depth-balance s2"])
        XCTAssertEqual(ids(net((48, 16), (16, 48))), [])
        // A drop within the tolerance (75% → 70%) is quiet.
        XCTAssertEqual(ids(net((16, 48), (30, 70))), [])
    }

    func testOptionsProblemsAreOneLine() {
        var o = LintOptions()
        XCTAssertNil(o.problem())
        o.gridMin = 30
        XCTAssertEqual(o.problem(), "grid range must satisfy 1 <= min <= max, got 30...20")
        o = LintOptions()
        o.bottleneckFraction = 0
        XCTAssertNotNil(o.problem())
    }

    func testReportFormats() throws {
        let lints = try DesignFixtures.inceptionV3().lints()
        let json = LintReport.json(lints, layoutName: "v3")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["count"] as? Int, lints.count)
        let table = LintReport.table(lints, layoutName: "Inception-v3")
        XCTAssertTrue(table.hasPrefix("Inception-v3: 4 lints (3 large-kernel, 1 missing-reduction)\n"), table)
        XCTAssertTrue(table.utf8.allSatisfy { $0 < 0x80 }, "lint text is ASCII")
        XCTAssertEqual(LintReport.table([], layoutName: "x"), "x: no lints\n")
    }
}
