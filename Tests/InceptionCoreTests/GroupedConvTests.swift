import XCTest

@testable import InceptionCore

/// Issue 21: conv `groups` (depthwise when groups = in channels).
final class GroupedConvTests: XCTestCase {
    /// Xception's middle-flow separable conv (timm `legacy_xception` SeparableConv2d(728, 728): a
    /// depthwise 3x3 with groups = 728 and no bias, then a 1x1 without bias) on 728x19x19.
    func testSeparableConvCountsAreExact() throws {
        let layout = try LayoutCodec.decode(
            #"""
            { "format": "inception-layout/1", "name": "sep", "input": { "channels": 728, "height": 19, "width": 19 },
              "layers": [
                { "name": "dw", "op": "conv", "out": 728, "kernel": 3, "pad": 1, "groups": 728, "bias": false, "activation": "none" },
                { "name": "pw", "op": "conv", "out": 728, "kernel": 1, "bias": false, "activation": "none" } ] }
            """#)
        let a = Analysis(layout)
        XCTAssertEqual(a.errors, [])
        // Depthwise: 728·(728/728)·3·3 = 6,552 params; MACs 728·19·19·1·9 = 2,365,272.
        XCTAssertEqual(a.stats(path: "dw")?.params, 6_552)
        XCTAssertEqual(a.stats(path: "dw")?.macs, 2_365_272)
        // Pointwise: 728·728 = 529,984 params; MACs 529,984·361 = 191,324,224. Together 536,536.
        XCTAssertEqual(a.totals.params, 536_536)
        XCTAssertEqual(a.totals.macs, 2_365_272 + 191_324_224)
        XCTAssertEqual(OpLabel.text(layout.layers[0].op), "conv 3x3/1 → 728 g728 linear")
        let text = LayoutCodec.encode(layout)
        XCTAssertTrue(text.contains(#""pad": 1, "groups": 728, "bias": false"#))
        XCTAssertEqual(try LayoutCodec.decode(text), layout)
    }

    func testGroupsThatDoNotDivideAreLocatedErrors() {
        XCTAssertThrowsError(
            try LayoutCodec.decode(
                #"""
                { "format": "inception-layout/1", "name": "t", "input": { "channels": 8, "height": 4, "width": 4 },
                  "layers": [ { "op": "conv", "out": 10, "kernel": 1, "groups": 4 } ] }
                """#)
        ) { e in
            XCTAssertEqual((e as? LayoutError)?.description, "layers[0].groups: out 10 is not divisible by groups 4")
        }
        XCTAssertThrowsError(
            try LayoutCodec.decode(
                #"""
                { "format": "inception-layout/1", "name": "t", "input": { "channels": 8, "height": 4, "width": 4 },
                  "layers": [ { "op": "conv", "out": 8, "kernel": 1, "groups": 0 } ] }
                """#)
        ) { e in
            XCTAssertEqual((e as? LayoutError)?.description, "layers[0].groups: expected a positive integer, got 0")
        }
        let layout = Layout(
            name: "t", input: Shape(6, 4, 4),
            layers: [Layer(name: "g", .conv(Conv(out: 8, kernel: Pair(1, 1), groups: 4)))])
        XCTAssertEqual(
            Analysis(layout).errors.map(\.description), ["g: input channels 6 are not divisible by groups 4"])
    }

    func testDenseOnlyMovesRefuseGroupedConvs() {
        var layout = Layout(
            name: "t", input: Shape(8, 9, 9),
            layers: [
                Layer(name: "dw", .conv(Conv(out: 8, kernel: Pair(5, 5), pad: .explicit(Pair(2, 2)), groups: 8)))
            ])
        XCTAssertThrowsError(try layout.factorize(at: NodeAddress([0])))
        XCTAssertThrowsError(try layout.toggleReduction(at: NodeAddress([0])))
    }
}
