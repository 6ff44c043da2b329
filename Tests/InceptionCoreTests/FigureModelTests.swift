import InceptionCore
import XCTest

/// The figure model of a block (issue 23): built from the layout and its analysis, as the papers
/// draw it. Counts come from GoogLeNet's Table 1 (inception 3a: input 192x28x28, #1x1 64, #3x3
/// reduce 96, #3x3 128, #5x5 reduce 16, #5x5 32, pool proj 32), convs with bias.
final class FigureModelTests: XCTestCase {
    func googlenet() throws -> (Layout, Analysis) {
        let layout = try LayoutSource.load("builtin:googlenet").layout
        return (layout, Analysis(layout))
    }

    func figure(_ layout: Layout, _ analysis: Analysis, _ path: String) throws -> BlockFigure {
        let address = try XCTUnwrap(layout.address(ofPath: path))
        return try XCTUnwrap(FigureBuilder.block(at: address, layout: layout, analysis: analysis))
    }

    func boxes(_ branch: FigureBranch) -> [FigureBox] {
        branch.items.compactMap { if case .box(let b) = $0 { b } else { nil } }
    }

    func testInception3aIsThePapersFigure() throws {
        let (layout, analysis) = try googlenet()
        let f = try figure(layout, analysis, "inception_3a")
        XCTAssertEqual(f.input, Shape(192, 28, 28))
        XCTAssertEqual(f.block.stats.output, Shape(256, 28, 28))  // 64 + 128 + 32 + 32
        XCTAssertEqual(f.block.join, .concat)
        XCTAssertEqual(f.block.fanOut, .copy)
        XCTAssertEqual(f.block.branches.map(\.name), ["1x1", "3x3", "5x5", "pool_proj"])
        // Bottom to top in each column, in the paper's words.
        XCTAssertEqual(
            f.block.branches.map { boxes($0).map(\.label) },
            [
                ["1x1 conv 64"], ["1x1 conv 96", "3x3 conv 128"], ["1x1 conv 16", "5x5 conv 32"],
                ["3x3 max pool", "1x1 conv 32"],
            ])
        // The 1x1 convs before a larger conv are reductions (white in the paper's figure); the
        // 1x1 branch and the pool projection are not.
        XCTAssertEqual(
            f.block.branches.map { boxes($0).map(\.category) },
            [[.conv], [.reduction, .conv], [.reduction, .conv], [.pool, .conv]])
        let oneByOne = boxes(f.block.branches[0])[0]
        XCTAssertEqual(oneByOne.stats.params, 192 * 64 + 64)
        XCTAssertEqual(oneByOne.stats.macs, 192 * 64 * 28 * 28)
        XCTAssertEqual(oneByOne.stats.output, Shape(64, 28, 28))
        // Block MACs: 9,633,792 + 14,450,688 + 86,704,128 + 2,408,448 + 10,035,200 + 4,816,896.
        XCTAssertEqual(f.block.stats.macs, 128_049_152)
        let three = boxes(f.block.branches[1])[1]
        XCTAssertEqual(try XCTUnwrap(three.stats.share), 86_704_128.0 / 128_049_152.0, accuracy: 1e-12)
        XCTAssertEqual(three.path, "inception_3a/3x3/1")
        XCTAssertNil(f.block.stats.share, "the block itself has no share of itself")
    }

    func testMixed7bNestsThe1x3And3x1PairInsideItsBranch() throws {
        let layout = try LayoutSource.load("builtin:inception-v3").layout
        let analysis = Analysis(layout)
        let f = try figure(layout, analysis, "Mixed_7b")
        XCTAssertEqual(f.input, Shape(1280, 8, 8))
        XCTAssertEqual(f.block.stats.output, Shape(2048, 8, 8))  // 320 + 768 + 768 + 192
        let branch3x3 = f.block.branches[1]
        XCTAssertEqual(branch3x3.items.count, 2)
        guard case .box(let reduce) = branch3x3.items[0], case .block(let nested) = branch3x3.items[1] else {
            return XCTFail("branch3x3 should be a 1x1 conv then a nested block")
        }
        XCTAssertEqual(reduce.category, .reduction, "the 1x1 before the nested pair reduces")
        XCTAssertEqual(nested.branches.map(\.name), ["1x3", "3x1"])
        XCTAssertEqual(nested.branches.map { boxes($0).map(\.label) }, [["1x3 conv 384"], ["3x1 conv 384"]])
        XCTAssertEqual(nested.stats.output, Shape(768, 8, 8))
        XCTAssertEqual(nested.join.label(short: true, ascii: false), "concat")
        XCTAssertEqual(f.block.join.label(short: false, ascii: false), "Filter concatenation")
    }

    /// The family issue's residual block reads into the same model: a sum join with the residual
    /// branch's scale, the shortcut an identity branch (no boxes).
    func testResidualBlockIsASumOverAnIdentityShortcut() throws {
        let layout = Layout(
            name: "resnet-ish", input: Shape(32, 17, 17),
            layers: [
                Layer(
                    name: "block35",
                    .block(
                        Block(
                            branches: [
                                Branch(name: "shortcut", layers: []),
                                Branch(
                                    name: "residual", scale: 0.17,
                                    layers: [
                                        Layer(.conv(Conv(out: 16, kernel: Pair(1, 1)))),
                                        Layer(.conv(Conv(out: 32, kernel: Pair(1, 1), activation: .none))),
                                    ]),
                            ], join: .sum(activation: .relu))))
            ])
        let f = try figure(layout, Analysis(layout), "block35")
        // Issue 23: the sum's ReLU is on the join as the tree says it ("residual ×0.17 → relu");
        // the join read "⊕ ×0.17" alone, as if nothing followed the sum.
        XCTAssertEqual(f.block.join, .sum(scale: 0.17, activation: .relu))
        XCTAssertEqual(f.block.join.label(short: false, ascii: false), "⊕ ×0.17 → relu")
        XCTAssertEqual(f.block.join.label(short: true, ascii: true), "+ x0.17 -> relu")
        XCTAssertTrue(f.block.branches[0].isIdentity)
        XCTAssertEqual(boxes(f.block.branches[1]).map(\.label), ["1x1 conv 16", "1x1 conv 32"])
        XCTAssertEqual(f.block.stats.output, Shape(32, 17, 17))
        let svg = FigureSVG.render(f)
        XCTAssertTrue(svg.contains(">⊕ ×0.17 → relu 32x17x17</text>"), svg)
    }

    func testNoBlockWhereThereIsNone() throws {
        let (layout, analysis) = try googlenet()
        XCTAssertNil(FigureBuilder.block(at: NodeAddress([0]), layout: layout, analysis: analysis))  // conv1
        XCTAssertNil(FigureBuilder.enclosingBlock(of: NodeAddress([0]), in: layout))
        let a3 = try XCTUnwrap(layout.address(ofPath: "inception_3a/3x3/1"))
        XCTAssertEqual(FigureBuilder.enclosingBlock(of: a3, in: layout), layout.address(ofPath: "inception_3a"))
    }

    /// Xception's block (timm legacy_xception, the built-in): a separable conv is a depthwise 3x3
    /// then a 1x1 that widens (64 → 128 in block1). The 1x1 before the next depthwise half is no
    /// reduction (it was drawn white, as GoogLeNet's "3x3 reduce"); the join is a plain sum with no
    /// activation (timm adds no ReLU after it); and the SVG page is wide enough for its footer line
    /// (a two-column block was narrower, and rsvg-convert cut the line at the right edge).
    func testXceptionBlockReadsAsSeparableConvsOverASum() throws {
        let layout = try LayoutSource.load("builtin:xception").layout
        let f = try figure(layout, Analysis(layout), "block1")
        XCTAssertEqual(f.block.join, .sum(scale: nil, activation: .none))
        XCTAssertEqual(f.block.join.label(short: false, ascii: false), "⊕ sum")
        XCTAssertEqual(
            boxes(f.block.branches[0]).map(\.label),
            ["3x3 dw conv 64", "1x1 conv 128", "3x3 dw conv 128", "1x1 conv 128", "3x3 max pool /2"])
        XCTAssertEqual(boxes(f.block.branches[0]).map(\.category), [.conv, .conv, .conv, .conv, .pool])
        XCTAssertEqual(boxes(f.block.branches[1]).map(\.label), ["1x1 conv 128 /2"])
        let svg = FigureSVG.render(f)
        let footer = "second line: \(FigureMetric.params.title); MACs as fvcore counts them (conv and linear, no bias)"
        XCTAssertTrue(svg.contains(">\(footer)</text>"), svg)
        let width = try XCTUnwrap(
            svg.range(of: #"width="(\d+)""#, options: .regularExpression).map { Int(svg[$0].dropFirst(7).dropLast())! })
        XCTAssertGreaterThanOrEqual(width, FigureSVG.textWidth(footer, size: 9) + 2 * 16, "the footer fits on the page")
    }

    func testNetworkColumnLeavesAuxHeadsOut() throws {
        let (layout, analysis) = try googlenet()
        let n = FigureBuilder.network(layout: layout, analysis: analysis)
        XCTAssertEqual(n.input, Shape(3, 224, 224))
        XCTAssertFalse(n.items.contains { $0.path.hasPrefix("aux") })
        // 9 modules (3a..5b) as the paper's tall figure.
        XCTAssertEqual(n.items.filter { if case .block = $0 { true } else { false } }.count, 9)
        XCTAssertEqual(n.stats.params, analysis.totals.params)
    }

    func testTimesLandOnTheirBoxes() throws {
        let (layout, analysis) = try googlenet()
        let address = try XCTUnwrap(layout.address(ofPath: "inception_3a"))
        let f = try XCTUnwrap(
            FigureBuilder.block(
                at: address, layout: layout, analysis: analysis,
                times: ["inception_3a/5x5/1": 0.25]))
        XCTAssertEqual(boxes(f.block.branches[2])[1].stats.timeMs, 0.25)
        XCTAssertNil(boxes(f.block.branches[2])[0].stats.timeMs)
        XCTAssertEqual(FigureMetric.time.text(boxes(f.block.branches[2])[1].stats), "0.250 ms")
        XCTAssertEqual(FigureMetric.time.text(boxes(f.block.branches[2])[0].stats), "-")
    }

    func testMarksAgainstTheLoadedLayout() throws {
        let (loaded, loadedAnalysis) = try googlenet()
        var edited = loaded
        let oneByOne = try XCTUnwrap(edited.address(ofPath: "inception_3a/1x1/0"))
        edited.setWidth(at: oneByOne, to: 72)
        // Delete the 5x5 branch, add a new one.
        let block = try XCTUnwrap(edited.address(ofPath: "inception_3a"))
        edited.modifyLayer(at: block) { layer in
            guard case .block(var b) = layer.op else { return }
            b.branches.remove(at: 2)
            b.branches.append(Branch(name: "extra", layers: [Layer(.conv(Conv(out: 8, kernel: Pair(1, 1))))]))
            layer.op = .block(b)
        }
        let before = try figure(loaded, loadedAnalysis, "inception_3a")
        let after = try figure(edited, Analysis(edited), "inception_3a").marked(against: before)
        XCTAssertEqual(after.block.branches.map(\.name), ["1x1", "3x3", "5x5", "pool_proj", "extra"])
        XCTAssertEqual(
            after.block.branches.map(\.mark),
            [.changed(params: 8 * 192 + 8, macs: 8 * 192 * 784), .same, .removed, .same, .added])
        XCTAssertEqual(boxes(after.block.branches[0])[0].mark, .changed(params: 8 * 192 + 8, macs: 8 * 192 * 784))
        XCTAssertEqual(boxes(after.block.branches[1]).map(\.mark), [.same, .same])
        XCTAssertEqual(boxes(after.block.branches[2]).map(\.mark), [.removed, .removed])
        XCTAssertEqual(boxes(after.block.branches[4]).map(\.mark), [.added])
        XCTAssertEqual(FigureMetric.params.delta(boxes(after.block.branches[0])[0].mark), "+1.54K")
        // Nothing marked against itself.
        XCTAssertEqual(before.marked(against: before), before)
    }
}
