import XCTest

@testable import InceptionCore

/// Layouts the design, lint, diff and chart tests share: the shipped ones through the codec.
enum DesignFixtures {
    static func googlenet() throws -> Layout { try LayoutCodec.decode(BuiltInLayout.googlenet.json) }
    static func inceptionV3() throws -> Layout { try LayoutCodec.decode(BuiltInLayout.inceptionV3.json) }

    static func conv(
        _ out: Int, _ kh: Int, _ kw: Int? = nil, stride: Int = 1, pad: Pair = Pair(0, 0), name: String? = nil
    ) -> Layer {
        Layer(
            name: name,
            .conv(Conv(out: out, kernel: Pair(kh, kw ?? kh), stride: Pair(square: stride), pad: .explicit(pad))))
    }

    /// Output shapes of every node by path.
    static func shapes(_ layout: Layout) -> [String: Shape] {
        var out: [String: Shape] = [:]
        for n in Analysis(layout).nodes { if let s = n.output { out[n.path] = s } }
        return out
    }
}

final class DesignEditTests: XCTestCase {
    func address(_ layout: Layout, _ path: String) throws -> NodeAddress {
        try XCTUnwrap(layout.address(ofPath: path), "no node \(path)")
    }

    // MARK: factorize

    func testFactorizingGoogLeNet3a5x5IntoTwo3x3() throws {
        let base = try DesignFixtures.googlenet()
        var layout = base
        let label = try layout.factorize(at: try address(layout, "inception_3a/5x5/1"), intermediate: 32)
        XCTAssertEqual(label, "factorize inception_3a/5x5/1: 5x5 → 3x3 + 3x3 (mid 32)")
        let before = Analysis(base), after = Analysis(layout)
        XCTAssertTrue(after.isValid)
        // Every node that existed keeps its output shape (3a/5x5/1 is now the first 3x3, 32 wide).
        let old = DesignFixtures.shapes(base), new = DesignFixtures.shapes(layout)
        for (path, shape) in old { XCTAssertEqual(new[path], shape, path) }
        XCTAssertEqual(new["inception_3a/5x5/2"], Shape(32, 28, 28))
        // Weights: 16·25·32 = 12,800 become 16·9·32 + 32·9·32 = 13,824; two biases of 32 instead of one.
        let d = try XCTUnwrap(Delta(node: "inception_3a/5x5", before, after))
        XCTAssertEqual(d.params.difference, 13_824 - 12_800 + 32)
        XCTAssertEqual(d.macs.difference, (13_824 - 12_800) * 28 * 28)
        XCTAssertEqual(d.activationBytes.difference, 32 * 28 * 28 * 4)
        XCTAssertEqual(Delta(network: before, after).params.difference, 1_056)
        // Pads 2 → 1 + 1; the first is ReLU, flags carried.
        guard case .conv(let c1)? = layout.layer(at: try address(layout, "inception_3a/5x5/1"))?.op,
            case .conv(let c2)? = layout.layer(at: try address(layout, "inception_3a/5x5/2"))?.op
        else { return XCTFail() }
        XCTAssertEqual(c1.pad, .explicit(Pair(1, 1)))
        XCTAssertEqual(c2.pad, .explicit(Pair(1, 1)))
        XCTAssertEqual(c1.activation, .relu)
        XCTAssertTrue(c1.bias && c2.bias)
    }

    func testFactorizingNamedTopLevel3x3IntoAsymmetricPair() throws {
        let base = try DesignFixtures.googlenet()
        var layout = base
        try layout.factorize(at: try address(layout, "conv2"))
        XCTAssertEqual(layout.layers.count, base.layers.count + 1)
        XCTAssertEqual(layout.layers[4].name, "conv2")
        XCTAssertEqual(layout.layers[5].name, "conv2_b")
        guard case .conv(let a) = layout.layers[4].op, case .conv(let b) = layout.layers[5].op else { return XCTFail() }
        XCTAssertEqual([a.kernel, b.kernel], [Pair(1, 3), Pair(3, 1)])
        XCTAssertEqual([a.pad, b.pad], [.explicit(Pair(0, 1)), .explicit(Pair(1, 0))])
        let old = DesignFixtures.shapes(base), new = DesignFixtures.shapes(layout)
        // conv2 is now the first half, as wide as the middle (64); the pair's output is conv2_b's.
        for (path, shape) in old where path != "conv2" { XCTAssertEqual(new[path], shape, path) }
        XCTAssertEqual(new["conv2"], Shape(64, 56, 56))
        XCTAssertEqual(new["conv2_b"], old["conv2"])
        // conv2: 64→192 3x3 = 110,592 weights; the default middle is min(in, out) = 64 (what the
        // large-kernel lint measures): 1x3 64→64 + 3x1 64→192 = 12,288 + 36,864, plus 64 biases.
        let d = try XCTUnwrap(Delta(network: Analysis(base), Analysis(layout)))
        XCTAssertEqual(d.params.difference, 12_288 + 36_864 + 64 - 110_592)
    }

    func testFactorizing7x7OnV3GridAndAValidPaddedConv() throws {
        // A 7x7 pad 3 on 17x17 (figure 6, n = 7) and a 5x5 pad 0 asymmetric: shapes kept.
        let base = Layout(
            name: "t", input: Shape(16, 17, 17),
            layers: [
                DesignFixtures.conv(16, 7, pad: Pair(3, 3), name: "big"),
                DesignFixtures.conv(8, 5, pad: Pair(0, 0), name: "valid"),
            ])
        var layout = base
        try layout.factorize(at: NodeAddress([0]), intermediate: 4)
        try layout.factorize(at: NodeAddress([2]), style: .asymmetric)
        XCTAssertEqual(layout.layers.map(\.name), ["big", "big_b", "valid", "valid_b"])
        XCTAssertEqual(Analysis(layout).output, Analysis(base).output)
        XCTAssertEqual(Analysis(layout).output, Shape(8, 13, 13))
        // 16·49·16 = 12,544 weights → 16·7·4 + 4·7·16 = 896.
        XCTAssertEqual(
            Analysis(layout).stats(path: "big")!.params + Analysis(layout).stats(path: "big_b")!.params, 896 + 4 + 16)
    }

    func testFactorizeStacksSamePaddingAndOddPads() throws {
        var layout = Layout(
            name: "t", input: Shape(4, 9, 9),
            layers: [
                Layer(name: "s", .conv(Conv(out: 4, kernel: Pair(5, 5), pad: .same))),
                DesignFixtures.conv(4, 5, pad: Pair(1, 1), name: "odd"),
            ])
        let before = Analysis(layout).output
        try layout.factorize(at: NodeAddress([0]))
        try layout.factorize(at: NodeAddress([2]))
        guard case .conv(let s) = layout.layers[0].op, case .conv(let o1) = layout.layers[2].op,
            case .conv(let o2) = layout.layers[3].op
        else { return XCTFail() }
        XCTAssertEqual(s.pad, .same)
        XCTAssertEqual([o1.pad, o2.pad], [.explicit(Pair(1, 1)), .explicit(Pair(0, 0))])
        XCTAssertEqual(Analysis(layout).output, before)
    }

    func testFactorizeRefusalsLeaveTheLayoutUnchanged() throws {
        let base = try DesignFixtures.googlenet()
        var layout = base
        XCTAssertThrowsError(try layout.factorize(at: try address(layout, "conv1"))) { e in
            XCTAssertEqual(
                (e as? DesignError)?.description, "conv1: factorize needs stride 1, this conv has stride 2x2")
        }
        XCTAssertThrowsError(try layout.factorize(at: try address(layout, "pool1")))
        XCTAssertThrowsError(try layout.factorize(at: try address(layout, "inception_3a/1x1/0")))
        XCTAssertThrowsError(try layout.factorize(at: try address(layout, "inception_3a/3x3/1"), style: .stacked3x3))
        XCTAssertThrowsError(try layout.factorize(at: try address(layout, "inception_3a/5x5/1"), intermediate: 0))
        XCTAssertThrowsError(try layout.factorize(at: try address(layout, "inception_3a/5x5")))
        XCTAssertThrowsError(try layout.factorize(at: NodeAddress([99, 1])))
        XCTAssertEqual(layout, base)
    }

    func testUndoOfEveryMoveRestoresByteIdenticalJSON() throws {
        let base = try DesignFixtures.googlenet()
        let text = LayoutCodec.encode(base)
        XCTAssertEqual(text, BuiltInLayout.googlenet.json)
        var history = EditHistory(base)
        let a5 = try address(base, "inception_3a/5x5/1")
        var label = ""
        history.apply("f") { l in label = (try? l.factorize(at: a5)) ?? "" }
        XCTAssertFalse(label.isEmpty)
        history.apply("x") { l in _ = try? l.toggleReduction(at: NodeAddress(a5.steps.dropLast())) }
        history.apply("k") { l in _ = try? l.setKernel(at: a5, to: Pair(1, 1)) }
        history.apply("a") { l in _ = try? l.addBranch(to: NodeAddress([7])) }
        history.apply("c") { l in _ = try? l.duplicateBlock(at: NodeAddress([8])) }
        history.apply("d") { l in _ = try? l.deleteBranch(at: NodeAddress([7, 0])) }
        XCTAssertEqual(history.states.count, 7, "every move changed the layout")
        for _ in 0..<6 { history.undo() }
        XCTAssertEqual(LayoutCodec.encode(history.current), text)
    }

    // MARK: reduction toggle

    func testReductionToggleReproducesTheNotesWorkedExample() throws {
        let naive = Layout(
            name: "n", input: Shape(128, 100, 100),
            layers: [
                Layer(
                    name: "conv5x5", .conv(Conv(out: 256, kernel: Pair(5, 5), pad: .explicit(Pair(2, 2)), bias: false)))
            ])
        var layout = naive
        let label = try layout.toggleReduction(at: NodeAddress([0]))
        XCTAssertEqual(label, "insert 1x1 → 32 reduction before conv5x5 (from 128 channels)")
        let a = Analysis(layout)
        // The notes: 128·1·1·32 + 32·5·5·256 = 208,896 weights (vs 128·5·5·256 = 819,200), same output.
        XCTAssertEqual(a.totals.params, 208_896)
        XCTAssertEqual(Analysis(naive).totals.params, 819_200)
        XCTAssertEqual(a.output, Shape(256, 100, 100))
        XCTAssertEqual(layout.layers.map(\.name), ["conv5x5_reduce", "conv5x5"])
        // Toggling on the 5x5 again (now at index 1) removes the reduction.
        try layout.toggleReduction(at: NodeAddress([1]))
        XCTAssertEqual(layout, naive)
    }

    func testReductionToggleOnBranchesNaiveAndReduced() throws {
        let base = try DesignFixtures.googlenet()
        var layout = base
        let branch = try address(layout, "inception_3a/5x5")
        // 3a's 5x5 branch is reduced (1x1 → 16, then 5x5): the toggle removes the 1x1.
        let label = try layout.toggleReduction(at: branch)
        XCTAssertEqual(label, "remove 1x1 reduction inception_3a/5x5/0 (→ 16) before inception_3a/5x5/1")
        // Now naive: the 5x5 sees 192 channels: 192·25·32 = 153,600 weights + 32 biases.
        XCTAssertEqual(Analysis(layout).stats(path: "inception_3a/5x5")?.params, 153_600 + 32)
        XCTAssertEqual(Analysis(layout).stats(path: "inception_3a")?.output, Shape(256, 28, 28))
        // Back to reduced with the default width: a quarter of the block's 192 inputs = 48.
        try layout.toggleReduction(at: branch)
        XCTAssertEqual(Analysis(layout).stats(path: "inception_3a/5x5/0")?.output, Shape(48, 28, 28))
        try layout.toggleReduction(at: branch)
        try layout.toggleReduction(at: branch, width: 16)
        XCTAssertEqual(layout, base)
    }

    func testReductionToggleRefusals() throws {
        var layout = try DesignFixtures.googlenet()
        XCTAssertThrowsError(try layout.toggleReduction(at: try address(layout, "inception_3a/1x1"))) { e in
            XCTAssertEqual((e as? DesignError)?.location, "inception_3a/1x1")
        }
        XCTAssertThrowsError(try layout.toggleReduction(at: try address(layout, "inception_3a/pool_proj")))
        XCTAssertThrowsError(try layout.toggleReduction(at: try address(layout, "pool1")))
        try layout.toggleReduction(at: try address(layout, "inception_3a/5x5"))
        let naive = layout
        XCTAssertThrowsError(try layout.toggleReduction(at: try address(layout, "inception_3a/5x5"), width: 0))
        XCTAssertEqual(layout, naive)
    }

    // MARK: kernel

    func testKernelChangeKeepsShapesAtStrideOneAndTwo() throws {
        let base = try DesignFixtures.inceptionV3()
        var layout = base
        let label = try layout.setKernel(at: try address(layout, "Mixed_5b/branch3x3dbl/1"), to: Pair(5, 5))
        XCTAssertEqual(label, "kernel of Mixed_5b/branch3x3dbl/1: 3x3 → 5x5, pad 1 → 2")
        // Mixed_6a's 3x3/2 pad 0 on 35x35 → 17x17; a 5x5/2 needs pad 1: floor((35 + 2 − 5)/2) + 1 = 17.
        try layout.setKernel(at: try address(layout, "Mixed_6a/branch3x3/0"), to: Pair(5, 5))
        try layout.setKernel(at: try address(layout, "Mixed_6b/branch7x7/1"), to: Pair(1, 3))
        guard case .conv(let c)? = layout.layer(at: try address(layout, "Mixed_6a/branch3x3/0"))?.op else {
            return XCTFail()
        }
        XCTAssertEqual(c.pad, .explicit(Pair(1, 1)))
        let old = DesignFixtures.shapes(base), new = DesignFixtures.shapes(layout)
        XCTAssertEqual(old, new)
        // 64·96·(25 − 9) more weights in Mixed_5b's first 3x3.
        XCTAssertEqual(
            Analysis(layout).stats(path: "Mixed_5b/branch3x3dbl/1")!.params
                - Analysis(base).stats(path: "Mixed_5b/branch3x3dbl/1")!.params, 64 * 96 * 16)
    }

    func testKernelChangeRefusals() throws {
        let base = try DesignFixtures.inceptionV3()
        var layout = base
        XCTAssertThrowsError(try layout.setKernel(at: try address(layout, "Mixed_5b/branch5x5/1"), to: Pair(4, 4))) {
            e in
            XCTAssertTrue((e as? DesignError)?.message.hasPrefix("even kernel 4x4") ?? false)
        }
        // Conv2d_2a is 3x3 pad 0 (149 → 147): a 1x1 would need pad −1.
        XCTAssertThrowsError(try layout.setKernel(at: try address(layout, "Conv2d_2a_3x3"), to: Pair(1, 1))) { e in
            XCTAssertEqual(
                (e as? DesignError)?.description,
                "Conv2d_2a_3x3: no pad keeps the 147x147 output with a 1x1 kernel at stride 1x1")
        }
        XCTAssertThrowsError(try layout.setKernel(at: try address(layout, "maxpool1"), to: Pair(3, 3)))
        XCTAssertThrowsError(try layout.setKernel(at: try address(layout, "Mixed_5b/branch5x5/1"), to: Pair(5, 5)))
        XCTAssertThrowsError(try layout.setKernel(at: try address(layout, "Mixed_5b/branch5x5/1"), to: Pair(0, 3)))
        XCTAssertEqual(layout, base)
    }

    // MARK: branches and blocks

    func testAddDeleteBranchAndDuplicateBlock() throws {
        let base = try DesignFixtures.googlenet()
        var layout = base
        let (label, added) = try layout.addBranch(to: try address(layout, "inception_3a/3x3/1"))
        XCTAssertEqual(label, "add branch inception_3a/branch5 (1x1 → 32)")
        XCTAssertEqual(layout.path(of: added), "inception_3a/branch5")
        // 3a's output grows by 32 channels; the new 1x1 has 192·32 + 32 params.
        XCTAssertEqual(Analysis(layout).stats(path: "inception_3a")?.output, Shape(288, 28, 28))
        XCTAssertEqual(Analysis(layout).stats(path: "inception_3a/branch5")?.params, 192 * 32 + 32)
        XCTAssertEqual(try layout.deleteBranch(at: added.appending(0)), "delete branch inception_3a/branch5")
        XCTAssertEqual(layout, base)

        let (dup, copy) = try layout.duplicateBlock(at: try address(layout, "inception_3b/5x5"))
        XCTAssertEqual(dup, "duplicate inception_3b as inception_3b_copy")
        XCTAssertEqual(Analysis(layout).stats(at: copy)?.input, Shape(480, 28, 28))
        XCTAssertTrue(Analysis(layout).isValid)
        let (_, copy2) = try layout.duplicateBlock(at: try address(layout, "inception_3b"))
        XCTAssertEqual(layout.path(of: copy2), "inception_3b_copy2")
        XCTAssertThrowsError(try layout.duplicateBlock(at: try address(layout, "conv1")))
    }

    func testDeletingTheLastBranchIsRefused() throws {
        var layout = Layout(
            name: "t", input: Shape(8, 8, 8),
            layers: [
                Layer(name: "b", .inception(branches: [Branch(name: "only", layers: [DesignFixtures.conv(4, 1)])]))
            ])
        XCTAssertThrowsError(try layout.deleteBranch(at: NodeAddress([0, 0]))) { e in
            XCTAssertEqual(
                (e as? DesignError)?.description, "b/only: refusing to delete the only branch of b (a block needs one)")
        }
        XCTAssertThrowsError(try layout.deleteBranch(at: NodeAddress([0])))
        XCTAssertThrowsError(try layout.addBranch(to: NodeAddress([0]), width: 0))
    }

    func testNewBranchFollowsTheBlockConvention() throws {
        var layout = try DesignFixtures.inceptionV3()
        let (_, added) = try layout.addBranch(to: try address(layout, "Mixed_7b"))
        XCTAssertEqual(layout.path(of: added), "Mixed_7b/branch5")
        guard case .conv(let c)? = layout.layer(at: added.appending(0))?.op else { return XCTFail() }
        XCTAssertEqual([c.bias, c.batchnorm], [false, true])
    }

    // MARK: comparison

    func testEditComparisonAgainstPreviousAndLoaded() throws {
        var history = EditHistory(try DesignFixtures.googlenet())
        let a5 = try address(history.current, "inception_3a/5x5/1")
        history.apply("f") { l in _ = try? l.factorize(at: a5, intermediate: 32) }
        history.apply("a") { l in _ = try? l.addBranch(to: NodeAddress([7])) }
        let cmp = EditComparison(path: "inception_3a/5x5", history: history)
        XCTAssertEqual(cmp.nodeVsPrevious?.params.difference, 0)
        XCTAssertEqual(cmp.nodeVsLoaded?.params.difference, 1_056)
        // The branch: 1x1 192·16 + 16 and 5x5 16·25·32 + 32 = 15,920 before.
        XCTAssertEqual(cmp.nodeVsLoaded?.params.text, "15,920 → 16,976 (+1,056, +6.6%)")
        // The added branch: 192·32 + 32 in 3a, and 3b's four input-side convs see 32 more channels.
        XCTAssertEqual(cmp.networkVsPrevious.params.difference, 192 * 32 + 32 + 32 * (128 + 128 + 32 + 64))
        XCTAssertEqual(cmp.networkVsLoaded.params.difference, cmp.networkVsPrevious.params.difference + 1_056)
        XCTAssertNil(Change(before: 0, after: 5).percent)
    }
}

final class DesignEditListTests: XCTestCase {
    func testMovesWorkInsideAuxHeadsToo() throws {
        var layout = try DesignFixtures.inceptionV3()
        let conv = try XCTUnwrap(layout.address(ofPath: "AuxLogits/2"))
        // The aux head's 5x5 (valid, on 5x5 → 1x1) becomes 1x5 + 5x1, still 768x1x1.
        try layout.factorize(at: conv, style: .asymmetric)
        XCTAssertEqual(Analysis(layout).stats(path: "AuxLogits/3")?.output, Shape(768, 1, 1))
        XCTAssertEqual(Analysis(layout).stats(path: "AuxLogits")?.output, Shape(1000, 1, 1))
        XCTAssertTrue(Analysis(layout).isValid)
    }

    func testSiblingNamesStayUnique() {
        XCTAssertEqual(SiblingNames.unique("a_b", among: ["a", nil]), "a_b")
        XCTAssertEqual(SiblingNames.unique("a_b", among: ["a", "a_b", "a_b2"]), "a_b3")
    }
}
