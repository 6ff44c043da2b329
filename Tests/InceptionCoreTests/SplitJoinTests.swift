import XCTest

@testable import InceptionCore

/// Issue 21: the split join (InceptionNeXt's token mixer) in the format, the analysis, the labels
/// and the edits.
final class SplitJoinTests: XCTestCase {
    static func doc(_ layers: String, input: String = #"{ "channels": 96, "height": 56, "width": 56 }"#) -> String {
        #"{ "format": "inception-layout/1", "name": "t", "input": \#(input), "layers": [ \#(layers) ] }"#
    }

    /// InceptionNeXt-T's first-stage token mixer (timm `InceptionDWConv2d(96)`: branch ratio 1/8, so
    /// gc = 12 and `split_indexes` = (96 − 3·12, 12, 12, 12)): identity, depthwise 3x3, 1x11, 11x1,
    /// each with bias.
    static func mixer(sizes: String = "[60, 12, 12, 12]") -> String {
        doc(
            #"""
            { "name": "mixer", "op": "inception", "join": "split", "sizes": \#(sizes), "branches": [
              { "name": "id", "layers": [] },
              { "name": "hw", "layers": [ { "op": "conv", "out": 12, "kernel": 3, "pad": 1, "groups": 12, "activation": "none" } ] },
              { "name": "w", "layers": [ { "op": "conv", "out": 12, "kernel": [1, 11], "pad": [0, 5], "groups": 12, "activation": "none" } ] },
              { "name": "h", "layers": [ { "op": "conv", "out": 12, "kernel": [11, 1], "pad": [5, 0], "groups": 12, "activation": "none" } ] } ] }
            """#)
    }

    func testCountsShapesAndReceptiveFieldAreExact() throws {
        let layout = try LayoutCodec.decode(Self.mixer())
        let a = Analysis(layout)
        XCTAssertEqual(a.errors, [])
        let mixer = try XCTUnwrap(a.stats(path: "mixer"))
        // Params: 3x3 12·9 + 12 = 120; 1x11 and 11x1 12·11 + 12 = 144 each; the identity none: 408
        // (timm's InceptionDWConv2d(96): sum(p.numel()) = 408).
        XCTAssertEqual(mixer.params, 408)
        // MACs: 12·56·56·9 = 338,688 and 12·56·56·11 = 413,952 twice: 1,166,592; the split and the
        // concatenation cost none.
        XCTAssertEqual(mixer.macs, 1_166_592)
        XCTAssertEqual(mixer.output, Shape(96, 56, 56))
        // Each branch reads its slice; the identity passes its 60 channels through.
        XCTAssertEqual(a.stats(path: "mixer/id")?.input, Shape(60, 56, 56))
        XCTAssertEqual(a.stats(path: "mixer/id")?.output, Shape(60, 56, 56))
        XCTAssertEqual(a.stats(path: "mixer/w/0")?.input, Shape(12, 56, 56))
        // Per axis the largest branch's: 3x3 → 3, 11x1 → 11 tall, 1x11 → 11 wide.
        XCTAssertEqual(mixer.receptiveField, Pair(11, 11))
        XCTAssertEqual(a.stats(path: "mixer/w")?.receptiveField, Pair(1, 11))
        XCTAssertEqual(OpLabel.text(layout.layers[0].op), "split 60/12/12/12")
        XCTAssertEqual(OpLabel.short(layout.layers[0].op), "split of 4")
        XCTAssertEqual(OpLabel.branch(layout.layers[0].op.block!.branches[0]), "identity")
    }

    func testCanonicalFormRoundTrips() throws {
        let layout = try LayoutCodec.decode(Self.mixer())
        let text = LayoutCodec.encode(layout)
        XCTAssertTrue(
            text.contains(
                #"{ "name": "mixer", "op": "inception", "join": "split", "sizes": [60, 12, 12, 12], "branches": ["#),
            text)
        XCTAssertTrue(text.contains(#"{ "name": "id", "layers": [] },"#))
        XCTAssertEqual(try LayoutCodec.decode(text), layout)
        XCTAssertEqual(LayoutCodec.encode(try LayoutCodec.decode(text)), text)
    }

    func testSizesThatDoNotCutTheInputAreALocatedErrorOnTheBlock() throws {
        let layout = try LayoutCodec.decode(Self.mixer(sizes: "[60, 12, 12, 13]"))
        let a = Analysis(layout)
        XCTAssertEqual(
            a.errors.map(\.description),
            ["mixer: split 60/12/12/13: the sizes add up to 97 channels but the input has 96"])
        XCTAssertEqual(
            a.stats(path: "mixer")?.error, "split 60/12/12/13: the sizes add up to 97 channels but the input has 96")
        XCTAssertNil(a.stats(path: "mixer")?.output)
        XCTAssertNil(a.stats(path: "mixer/hw")?.input, "no slice is given when the sizes do not cut the input")
        // The layer before it changes the input: the same block, now wrong, says so where it is.
        let narrower = try LayoutCodec.decode(
            Self.doc(
                #"{ "op": "conv", "out": 80, "kernel": 1 }, "#
                    + Self.mixer().components(separatedBy: #""layers": [ "#).dropFirst().joined(
                        separator: #""layers": [ "#
                    ).dropLast(3),
                input: #"{ "channels": 3, "height": 56, "width": 56 }"#))
        XCTAssertEqual(
            Analysis(narrower).errors.map(\.description),
            ["mixer: split 60/12/12/12: the sizes add up to 96 channels but the input has 80"])
    }

    func testSplitKeysAreCheckedWhereTheyAreRead() {
        func error(_ layers: String) -> String? {
            do { _ = try LayoutCodec.decode(Self.doc(layers)); return nil } catch { return error.description }
        }
        XCTAssertEqual(
            error(#"{ "op": "inception", "join": "split", "branches": [ { "layers": [] } ] }"#),
            #"layers[0]: missing key "sizes" (a split's channels per branch)"#)
        XCTAssertEqual(
            error(#"{ "op": "inception", "join": "split", "sizes": [90, 6], "branches": [ { "layers": [] } ] }"#),
            "layers[0].sizes: 2 sizes for 1 branch (one slice per branch)")
        XCTAssertEqual(
            error(
                #"{ "op": "inception", "join": "split", "sizes": [96, 0], "branches": [ { "layers": [] }, { "layers": [] } ] }"#
            ),
            "layers[0].sizes: expected positive channel counts, got 0")
        XCTAssertEqual(
            error(#"{ "op": "inception", "join": "split", "sizes": 96, "branches": [ { "layers": [] } ] }"#),
            "layers[0].sizes: expected an array of positive channel counts, one per branch, got 96")
        XCTAssertEqual(
            error(#"{ "op": "inception", "sizes": [96], "branches": [ { "layers": [ { "op": "softmax" } ] } ] }"#),
            #"layers[0].sizes: only a "split" join takes sizes (the other joins give every branch the whole input)"#)
        XCTAssertEqual(
            error(
                #"{ "op": "inception", "join": "split", "sizes": [96], "branches": [ { "scale": 0.5, "layers": [] } ] }"#
            ),
            #"layers[0].branches[0].scale: only a branch of a "sum" join takes a scale"#)
        XCTAssertNil(
            error(
                #"{ "op": "inception", "join": "split", "sizes": [90, 6], "branches": [ { "layers": [] }, { "layers": [] } ] }"#
            ))
    }

    /// Lints, the figure and the diff see the split: a 5x5 in a split branch still factorizes, the
    /// figure draws the cut on its bottom bus, and a change of sizes is listed on the block.
    func testLintsFigureAndDiffInsideASplit() throws {
        let layout = try LayoutCodec.decode(
            Self.doc(
                #"""
                { "name": "mixer", "op": "inception", "join": "split", "sizes": [64, 32], "branches": [
                  { "name": "id", "layers": [] },
                  { "name": "big", "layers": [ { "op": "conv", "out": 32, "kernel": 5, "pad": 2 } ] } ] }
                """#))
        XCTAssertEqual(Analysis(layout).errors, [])
        XCTAssertTrue(layout.lints().contains { $0.id == .largeKernel && $0.path == "mixer/big/0" })
        let figure = try XCTUnwrap(
            FigureBuilder.block(at: NodeAddress([0]), layout: layout, analysis: Analysis(layout)))
        XCTAssertEqual(figure.block.fanOut, .split([64, 32]))
        XCTAssertEqual(figure.block.fanOut.label(ascii: false), "split 64/32")
        XCTAssertEqual(figure.block.join, .concat)
        var moved = layout
        moved.layers[0].op = .block(
            Block(branches: layout.layers[0].op.block!.branches, join: .split(sizes: [80, 16])))
        let diff = LayoutDiff(before: layout, after: moved)
        XCTAssertEqual(diff.changed.first?.path, "mixer")
        XCTAssertEqual(diff.changed.first?.before?.op, "split 64/32")
        XCTAssertEqual(diff.changed.first?.after?.op, "split 80/16")
        XCTAssertEqual(diff.changed.map(\.path), ["mixer", "mixer/big/0"], "the 5x5 reads 16 channels now")
    }

    /// `a` cuts a new slice from the identity's, `d` gives a slice back to it: the split still cuts
    /// its input, so the block stays valid (and as wide: the new 1x1 keeps its slice's width).
    func testAddAndDeleteBranchKeepTheSizesCuttingTheInput() throws {
        var layout = try LayoutCodec.decode(Self.mixer())
        let (label, added) = try layout.addBranch(to: NodeAddress([0]))
        XCTAssertEqual(label, "add branch mixer/branch5 (30 of the identity's channels, 1x1 → 30)")
        XCTAssertEqual(layout.layers[0].op.block?.join, .split(sizes: [30, 12, 12, 12, 30]))
        XCTAssertEqual(Analysis(layout).errors, [])
        XCTAssertEqual(Analysis(layout).stats(path: "mixer")?.output, Shape(96, 56, 56))
        _ = try layout.deleteBranch(at: added)
        XCTAssertEqual(layout, try LayoutCodec.decode(Self.mixer()), "deleting the new branch gives its slice back")
        _ = try layout.deleteBranch(at: NodeAddress([0, 1]))
        XCTAssertEqual(layout.layers[0].op.block?.join, .split(sizes: [72, 12, 12]))
        XCTAssertEqual(
            Analysis(layout).stats(path: "mixer")?.output, Shape(96, 56, 56), "the identity passes the 12 channels on")
        XCTAssertEqual(Analysis(layout).errors, [])
        // Without an identity slice there is nothing to cut from.
        var noIdentity = try LayoutCodec.decode(
            Self.doc(
                #"{ "name": "s", "op": "inception", "join": "split", "sizes": [48, 48], "branches": [ { "layers": [ { "op": "conv", "out": 8, "kernel": 1 } ] }, { "layers": [ { "op": "conv", "out": 8, "kernel": 1 } ] } ] }"#
            ))
        XCTAssertThrowsError(try noIdentity.addBranch(to: NodeAddress([0]))) { error in
            XCTAssertTrue("\(error)".contains("a split's slices are fixed by its input"), "\(error)")
        }
        // And deleting a branch there leaves sizes that fall short: the analysis says where.
        _ = try noIdentity.deleteBranch(at: NodeAddress([0, 0]))
        XCTAssertEqual(
            Analysis(noIdentity).errors.map(\.description),
            ["s: split 48: the sizes add up to 48 channels but the input has 96"])
    }

    /// A width edit of a branch changes its conv's outputs; the slice it reads is the input's and
    /// stays. A depthwise conv (groups = its input) then no longer divides: a located error on it.
    func testWidthEditInsideASplitBranch() throws {
        var layout = try LayoutCodec.decode(Self.mixer())
        XCTAssertEqual(layout.widthTarget(of: NodeAddress([0, 1])), NodeAddress([0, 1, 0]))
        XCTAssertTrue(layout.adjustWidth(at: NodeAddress([0, 1, 0]), by: Layout.widthStep))
        let a = Analysis(layout)
        XCTAssertEqual(a.stats(path: "mixer/hw/0")?.input, Shape(12, 56, 56))
        XCTAssertEqual(a.errors.map(\.location), ["mixer/hw/0"])
        // Twice as wide (a channel multiplier of 2) is valid: the block grows by 12.
        XCTAssertTrue(layout.setWidth(at: NodeAddress([0, 1, 0]), to: 24))
        XCTAssertEqual(Analysis(layout).errors, [])
        XCTAssertEqual(Analysis(layout).stats(path: "mixer")?.output, Shape(108, 56, 56))
    }
}
