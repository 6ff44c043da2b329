import XCTest

@testable import InceptionCore

/// Shape errors name the node path and say what is wrong; analysis goes on where it can.
final class AnalysisErrorTests: XCTestCase {
    typealias P = PaperNetworks

    func testBranchMismatchNamesBothBranches() {
        let layout = Layout(
            name: "t", input: Shape(8, 14, 14),
            layers: [
                Layer(
                    name: "inception_4e",
                    .inception(branches: [
                        Branch(name: "1x1", layers: [P.conv(4, 1)]),
                        Branch(name: "5x5", layers: [P.conv(4, 2)]),
                    ])),
                Layer(name: "after", .globalavgpool),
            ])
        let a = Analysis(layout)
        XCTAssertEqual(
            a.errors,
            [LayoutError(.shape, at: "inception_4e", "branch \"5x5\" outputs 13x13 but branch \"1x1\" outputs 14x14")])
        XCTAssertEqual(
            a.stats(path: "inception_4e")?.error, "branch \"5x5\" outputs 13x13 but branch \"1x1\" outputs 14x14")
        // The branch that differs is recorded once, here, for the explorer's tree marks.
        XCTAssertEqual(a.mismatchedBranches, [NodeAddress([0, 1])])
        // Downstream still gets shapes (channels add up), so later rows stay informative.
        XCTAssertEqual(a.stats(path: "after")?.output, Shape(8, 1, 1))
    }

    func testKernelLargerThanPaddedInput() {
        let layout = Layout(
            name: "t", input: Shape(3, 5, 5), layers: [P.conv(8, 7, name: "big"), P.conv(8, 1, name: "next")])
        let a = Analysis(layout)
        XCTAssertEqual(a.errors.map(\.description), ["big: kernel 7x7 is larger than the padded input 5x5"])
        XCTAssertNil(a.stats(path: "next")?.output)
        XCTAssertNil(a.output)
    }

    func testZeroWidthFromAnEditIsAnErrorNotATrap() throws {
        var layout = P.googlenet
        layout.setWidth(at: try XCTUnwrap(layout.address(ofPath: "conv1")), to: 0)
        let a = Analysis(layout)
        XCTAssertEqual(a.errors.first?.location, "conv1")
        XCTAssertEqual(a.errors.first?.message, "out must be at least 1, got 0")
    }

    func testOverflowIsReported() {
        // 2^24 channels x 2^24 outputs x 7x7 kernel x 2^10 x 2^10 outputs overflows 64 bits.
        let layout = Layout(
            name: "t", input: Shape(1 << 24, 1 << 10, 1 << 10), layers: [P.conv(1 << 24, 7, pad: 3, name: "huge")])
        let a = Analysis(layout)
        XCTAssertEqual(a.errors.map(\.description), ["huge: counts overflow 64-bit integers"])
    }

    func testPoolPadOverHalfKernelRejected() {
        let layout = Layout(name: "t", input: Shape(3, 8, 8), layers: [P.maxpool(3, 1, pad: 2, name: "p")])
        XCTAssertEqual(
            Analysis(layout).errors.first?.message,
            "pad 2 is more than half the kernel 3 (else a window can see only padding)")
    }

    /// Issue 21: the decoder and the analysis share one pool-pad rule (PyTorch's: 2·pad ≤ kernel).
    /// Exactly half reads and analyses; one more is refused by both, with the same words.
    func testPoolPadRuleIsOneRuleForDecoderAndAnalysis() throws {
        for (kernel, pad, ok) in [
            (3, 1, true), (2, 1, true), (3, 2, false), (4, 2, true), (4, 3, false), (1, 1, false),
        ] {
            let text =
                #"{ "format": "inception-layout/1", "name": "t", "input": { "channels": 1, "height": 9, "width": 9 }, "#
                + #""layers": [ { "op": "maxpool", "kernel": \#(kernel), "stride": 1, "pad": \#(pad) } ] }"#
            let decoded = Result { try LayoutCodec.decode(text) }
            let analysed = Analysis(
                Layout(
                    name: "t", input: Shape(1, 9, 9),
                    layers: [
                        Layer(.maxpool(Pool(kernel: Pair(kernel, kernel), stride: Pair(1, 1), pad: Pair(pad, pad))))
                    ]))
            XCTAssertEqual((try? decoded.get()) != nil, ok, "decoder, kernel \(kernel) pad \(pad)")
            XCTAssertEqual(analysed.isValid, ok, "analysis, kernel \(kernel) pad \(pad)")
            if !ok, case .failure(let e as LayoutError) = decoded {
                XCTAssertEqual(e.message, analysed.errors.first?.message)
            }
        }
    }

    func testCeilModeDropsAWindowStartingInThePadding() {
        // PyTorch's rule: 5 wide, kernel 2, stride 2, pad 1, ceil: ceil((5+2-2)/2)+1 = 4, and the
        // 4th window starts at 6 ≥ 5+1, so 3.
        XCTAssertEqual(ShapeRules.poolOut(5, kernel: 2, stride: 2, pad: 1, ceil: true), 3)
        XCTAssertEqual(ShapeRules.poolOut(112, kernel: 3, stride: 2, pad: 0, ceil: true), 56)
        XCTAssertEqual(ShapeRules.poolOut(112, kernel: 3, stride: 2, pad: 0, ceil: false), 55)
    }

    func testReceptiveFieldOfGlobalLayersCoversTheInput() {
        // conv 3x3 (r 3, jump 1) on 10x10, then a global pool covers the 10x10: r = 3 + 9 = 12.
        let layout = Layout(
            name: "t", input: Shape(1, 12, 12), layers: [P.conv(2, 3, name: "c"), Layer(name: "g", .globalavgpool)])
        XCTAssertEqual(Analysis(layout).stats(path: "g")?.receptiveField, Pair(12, 12))
    }
}
