import XCTest

@testable import InceptionCore

/// Issue 21: the sum join (a residual block) in the format and the analysis.
final class SumJoinTests: XCTestCase {
    static func doc(_ layers: String, input: String = #"{ "channels": 8, "height": 6, "width": 6 }"#) -> String {
        #"{ "format": "inception-layout/1", "name": "t", "input": \#(input), "layers": [ \#(layers) ] }"#
    }

    /// An Inception-ResNet-style block on 8×6×6: identity + (1x1 → 4, bias; 3x3 → 8, no bias, linear)
    /// scaled 0.2, ReLU after the sum.
    static let residual = doc(
        #"""
        { "name": "res", "op": "inception", "join": "sum", "activation": "relu", "branches": [
          { "name": "shortcut", "layers": [] },
          { "name": "r", "scale": 0.2, "layers": [
            { "op": "conv", "out": 4, "kernel": 1 },
            { "op": "conv", "out": 8, "kernel": 3, "pad": 1, "bias": false, "activation": "none" } ] } ] }
        """#)

    func testCountsShapeAndReceptiveFieldAreExact() throws {
        let layout = try LayoutCodec.decode(Self.residual)
        let a = Analysis(layout)
        XCTAssertEqual(a.errors, [])
        let res = try XCTUnwrap(a.stats(path: "res"))
        // Params: 8·4 + 4 (1x1 with bias) + 4·8·3·3 (3x3) = 36 + 288 = 324; the scale is a constant.
        XCTAssertEqual(res.params, 324)
        // MACs: 4·6·6·8 + 8·6·6·4·9 = 1,152 + 10,368; the sum, scale and ReLU cost none (fvcore).
        XCTAssertEqual(res.macs, 11_520)
        XCTAssertEqual(res.output, Shape(8, 6, 6))
        // The largest branch's field: 1 (1x1) then 3 (3x3); the identity's is 1.
        XCTAssertEqual(res.receptiveField, Pair(3, 3))
        XCTAssertEqual(a.stats(path: "res/shortcut")?.output, Shape(8, 6, 6))
        XCTAssertEqual(OpLabel.text(layout.layers[0].op), "residual ×0.2 → relu")
        XCTAssertEqual(OpLabel.text(layout.layers[0].op, ascii: true), "residual x0.2 -> relu")
        // The tree's narrow column says what the block is, as the long label begins ("sum of 2"
        // read oddly on every Xception block); the scale and activation need the wide label.
        XCTAssertEqual(OpLabel.short(layout.layers[0].op), "residual")
        XCTAssertEqual(OpLabel.short(layout.layers[0].op, ascii: true), "residual")
    }

    func testCanonicalFormRoundTripsAndLeavesDefaultsOut() throws {
        let layout = try LayoutCodec.decode(Self.residual)
        let text = LayoutCodec.encode(layout)
        XCTAssertTrue(
            text.contains(#"{ "name": "res", "op": "inception", "join": "sum", "activation": "relu", "branches": ["#))
        XCTAssertTrue(text.contains(#"{ "name": "shortcut", "layers": [] },"#))
        XCTAssertTrue(text.contains(#"{ "name": "r", "scale": 0.2, "layers": ["#))
        XCTAssertEqual(try LayoutCodec.decode(text), layout)
        XCTAssertEqual(LayoutCodec.encode(try LayoutCodec.decode(text)), text)
        // A sum without activation writes no "activation"; a concat writes no "join".
        var plain = layout
        plain.layers[0].op = .block(Block(branches: layout.layers[0].op.block!.branches, join: .sum(activation: .none)))
        XCTAssertTrue(LayoutCodec.encode(plain).contains(#""op": "inception", "join": "sum", "branches": ["#))
        XCTAssertFalse(
            LayoutCodec.encode(
                try LayoutCodec.decode(
                    Self.doc(#"{ "op": "inception", "branches": [ { "layers": [ { "op": "softmax" } ] } ] }"#))
            ).contains("join"))
    }

    func testBranchesThatDisagreeAreALocatedErrorOnTheBlock() throws {
        let layout = try LayoutCodec.decode(
            Self.doc(
                #"""
                { "name": "res", "op": "inception", "join": "sum", "branches": [
                  { "name": "shortcut", "layers": [] },
                  { "name": "wide", "layers": [ { "op": "conv", "out": 16, "kernel": 1 } ] } ] }
                """#))
        let a = Analysis(layout)
        XCTAssertEqual(
            a.errors.map(\.description),
            [
                #"res: sum: branch "wide" outputs 16x6x6 but branch "shortcut" outputs 8x6x6 (summed branches must agree)"#
            ])
        XCTAssertEqual(a.mismatchedBranches, [NodeAddress([0, 1])])
    }

    func testJoinKeysAreRefusedWhereTheyMeanNothing() {
        func error(_ layers: String) -> String? {
            do { _ = try LayoutCodec.decode(Self.doc(layers)); return nil } catch { return error.description }
        }
        XCTAssertEqual(
            error(#"{ "op": "inception", "branches": [ { "scale": 0.1, "layers": [ { "op": "softmax" } ] } ] }"#),
            #"layers[0].branches[0].scale: only a branch of a "sum" join takes a scale"#)
        XCTAssertEqual(
            error(
                #"{ "op": "inception", "activation": "relu", "branches": [ { "layers": [ { "op": "softmax" } ] } ] }"#),
            #"layers[0].activation: only a "sum" join takes an activation (a concat's branches end in their own)"#)
        XCTAssertEqual(
            error(#"{ "op": "inception", "branches": [ { "layers": [] } ] }"#),
            "layers[0].branches[0].layers: a branch needs at least one layer")
        XCTAssertEqual(
            error(#"{ "op": "inception", "join": "product", "branches": [ { "layers": [] } ] }"#),
            #"layers[0].join: expected "concat", "sum" or "split", got "product""#)
        XCTAssertEqual(
            error(#"{ "op": "inception", "join": "sum", "branches": [ { "scale": "big", "layers": [] } ] }"#),
            #"layers[0].branches[0].scale: expected a number, got "big""#)
        XCTAssertNil(
            error(
                #"{ "op": "inception", "join": "sum", "branches": [ { "layers": [] }, { "scale": 0.1, "layers": [] } ] }"#
            ))
    }

    /// Edits and lints work inside residual branches: the width target, `a`/`d` on the block, and a
    /// 5x5 there still factorizes (large-kernel).
    func testEditsAndLintsWorkInsideResidualBranches() throws {
        var layout = try LayoutCodec.decode(
            Self.doc(
                #"""
                { "name": "res", "op": "inception", "join": "sum", "branches": [
                  { "name": "shortcut", "layers": [] },
                  { "name": "r", "scale": 0.1, "layers": [
                    { "op": "conv", "out": 4, "kernel": 1 },
                    { "op": "conv", "out": 8, "kernel": 5, "pad": 2, "activation": "none" } ] } ] }
                """#, input: #"{ "channels": 8, "height": 17, "width": 17 }"#))
        XCTAssertTrue(layout.lints().contains { $0.id == .largeKernel && $0.path == "res/r/1" })
        XCTAssertEqual(layout.widthTarget(of: NodeAddress([0, 1])), NodeAddress([0, 1, 1]))
        XCTAssertNil(layout.widthTarget(of: NodeAddress([0, 0])), "the identity has no width")
        // `a` on a sum adds a 1x1 as wide as the block's output, without activation: still valid.
        let (label, added) = try layout.addBranch(to: NodeAddress([0]))
        XCTAssertEqual(label, "add branch res/branch3 (1x1 → 8)")
        XCTAssertEqual(layout.layer(at: NodeAddress([0]))?.op.block?.join, .sum(activation: .none), "the join stays")
        XCTAssertEqual(Analysis(layout).errors, [])
        XCTAssertEqual(try layout.deleteBranch(at: added), "delete branch res/branch3")
        // Widening the residual branch breaks the sum, and the analysis says where and why.
        layout.adjustWidth(at: NodeAddress([0, 1, 1]), by: 8)
        XCTAssertEqual(Analysis(layout).errors.first?.location, "res")
        XCTAssertEqual(OpLabel.branch(layout.layer(at: NodeAddress([0]))!.op.block!.branches[0]), "identity")
        XCTAssertEqual(OpLabel.branch(layout.layer(at: NodeAddress([0]))!.op.block!.branches[1]), "branch ×0.1")
    }

    /// Inception-v4 section 3.3: past ~1,000 filters, residuals summed at more than ~0.3 fire; the
    /// identity shortcut and a branch at 0.17 do not, nor do narrower sums.
    func testResidualScalingLintFollowsTheInceptionV4Paper() throws {
        func sum(_ channels: Int, _ scale: Double) -> Layout {
            Layout(
                name: "t", input: Shape(channels, 8, 8),
                layers: [
                    Layer(
                        name: "block",
                        .block(
                            Block(
                                branches: [
                                    Branch(name: "shortcut", layers: []),
                                    Branch(
                                        name: "up", scale: scale,
                                        layers: [
                                            Layer(.conv(Conv(out: channels, kernel: Pair(1, 1), activation: .none)))
                                        ]),
                                ], join: .sum(activation: .relu))))
                ])
        }
        let fired = sum(1088, 1).lints().filter { $0.id == .residualScaling }
        XCTAssertEqual(fired.map(\.path), ["block/up"])
        XCTAssertEqual(fired.first?.measured, "residual branch summed at scale 1 into 1,088 channels (over 1,000)")
        XCTAssertEqual(sum(1088, 0.17).lints().filter { $0.id == .residualScaling }, [])
        XCTAssertEqual(sum(320, 1).lints().filter { $0.id == .residualScaling }, [])
    }
}
