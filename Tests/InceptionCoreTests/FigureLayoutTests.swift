import InceptionCore
import XCTest

/// Where the figure's parts go: the input at the bottom, branches side by side, the join on top,
/// nothing overlapping; residual and split blocks lay out with the same code.
final class FigureLayoutTests: XCTestCase {
    let text = FigureText.standard(metric: .params, short: false, ascii: false) { $0.count }

    func layout3a(detail: FigureDetail = .layers) throws -> (FigureLayout, BlockFigure) {
        let layout = try LayoutSource.load("builtin:googlenet").layout
        let address = try XCTUnwrap(layout.address(ofPath: "inception_3a"))
        let f = try XCTUnwrap(FigureBuilder.block(at: address, layout: layout, analysis: Analysis(layout)))
        return (FigureLayout(block: f, detail: detail, metrics: .terminal, text: text), f)
    }

    func assertNoOverlap(_ l: FigureLayout, file: StaticString = #filePath, line: UInt = #line) {
        for (i, a) in l.boxes.enumerated() {
            XCTAssertTrue(
                a.rect.x >= 0 && a.rect.y >= 0 && a.rect.maxX <= l.width && a.rect.maxY <= l.height,
                "\(a.lines) outside the figure", file: file, line: line)
            for b in l.boxes[(i + 1)...] {
                let apart =
                    a.rect.maxX <= b.rect.x || b.rect.maxX <= a.rect.x || a.rect.maxY <= b.rect.y
                    || b.rect.maxY <= a.rect.y
                XCTAssertTrue(apart, "\(a.lines) overlaps \(b.lines)", file: file, line: line)
            }
        }
    }

    func testInputAtTheBottomJoinOnTopBranchesLeftToRight() throws {
        let (l, f) = try layout3a()
        assertNoOverlap(l)
        let input = try XCTUnwrap(l.boxes.first { $0.role == .input })
        XCTAssertEqual(input.rect.maxY, l.height, "the previous layer is the bottom of the figure")
        XCTAssertEqual(input.lines, ["Previous layer 192x28x28"])
        let join = try XCTUnwrap(l.boxes.first { if case .join = $0.role { true } else { false } })
        XCTAssertEqual(join.rect.y, 0)
        XCTAssertEqual(join.lines, ["Filter concatenation 256x28x28"])
        XCTAssertEqual(join.rect.width, l.width, "the join spans every column")
        // Each branch's boxes share a column; the columns go left to right in layout order, and a
        // branch's first layer sits below its second.
        let xs = f.block.branches.map { branch in
            l.boxes.filter {
                $0.address.map { branch.address.steps == Array($0.steps.prefix(branch.address.steps.count)) } ?? false
            }
            .sorted { $0.address! < $1.address! }
        }
        for (i, column) in xs.enumerated() {
            XCTAssertEqual(Set(column.map(\.rect.x)).count, 1, "branch \(i) is one column")
            if column.count == 2 {
                XCTAssertGreaterThan(column[0].rect.y, column[1].rect.y, "first layer below the second")
            }
            if i > 0 { XCTAssertGreaterThan(column[0].rect.x, xs[i - 1][0].rect.x) }
        }
        // One bus, spanning the outer columns' centres, right above the input.
        XCTAssertEqual(l.buses.count, 1)
        XCTAssertEqual(l.buses[0].y, input.rect.y - 1)
        XCTAssertEqual(l.buses[0].x0, xs[0][0].rect.midX)
        XCTAssertEqual(l.buses[0].x1, xs[3][0].rect.midX)
        // Every column reaches the join and the bus.
        for column in xs {
            let top = column.map(\.rect.y).min()!, bottom = column.map(\.rect.maxY).max()!
            XCTAssertTrue(
                l.links.contains { $0.x == column[0].rect.midX && $0.bottom == top && $0.top == join.rect.maxY })
            XCTAssertTrue(
                l.links.contains { $0.x == column[0].rect.midX && $0.top == bottom && $0.bottom == l.buses[0].y })
        }
    }

    /// One text line per box (a pane too short for two) keeps the figure after the label.
    func testOneLineBoxesKeepTheFigure() throws {
        let layout = try LayoutSource.load("builtin:googlenet").layout
        let address = try XCTUnwrap(layout.address(ofPath: "inception_3a"))
        let f = try XCTUnwrap(FigureBuilder.block(at: address, layout: layout, analysis: Analysis(layout)))
        let one = FigureText.standard(metric: .params, short: false, ascii: false, lines: 1) { $0.count }
        let l = FigureLayout(block: f, detail: .layers, metrics: .terminalCompact, text: one)
        XCTAssertTrue(l.boxes.contains { $0.lines == ["1x1 conv 64  12.35K"] }, "\(l.boxes.map(\.lines))")
        XCTAssertTrue(l.boxes.allSatisfy { $0.lines.count == 1 })
    }

    func testOneBoxPerBranchAndBlocksAsBoxes() throws {
        let (branches, _) = try layout3a(detail: .branches)
        XCTAssertEqual(
            branches.boxes.filter { $0.role == .branch }.map { $0.lines[0] }, ["1x1", "3x3", "5x5", "pool_proj"])
        XCTAssertEqual(branches.boxes.filter { if case .layer = $0.role { true } else { false } }.count, 0)
        let (block, _) = try layout3a(detail: .blocks)
        XCTAssertEqual(block.boxes.map(\.role), [.block, .input], "the block as one box over the input")
        XCTAssertEqual(block.boxes.first { $0.role == .block }?.lines.first, "inception_3a")
    }

    /// The residual and split blocks of the family issue fit the model unchanged: a sum join with
    /// its scale over an identity shortcut, and a channel split on the fan-out bus.
    func testResidualAndSplitBlocksLayOut() {
        func conv(_ path: String, _ label: String) -> FigureNode {
            .box(
                FigureBox(
                    address: NodeAddress([0, 1, 0]), path: path, label: label, shortLabel: label, category: .conv,
                    stats: FigureStats(params: 1, macs: 1, output: Shape(320, 35, 35))))
        }
        let residual = FigureBlock(
            address: NodeAddress([0]), path: "block35", name: "block35",
            branches: [
                FigureBranch(
                    address: NodeAddress([0, 0]), path: "block35/shortcut", name: "shortcut", items: [],
                    stats: FigureStats()),
                FigureBranch(
                    address: NodeAddress([0, 1]), path: "block35/residual", name: "residual",
                    items: [conv("block35/residual/0", "1x1 conv 32"), conv("block35/residual/1", "1x1 conv 320")],
                    stats: FigureStats()),
            ],
            join: .sum(scale: 0.17), stats: FigureStats(output: Shape(320, 35, 35)))
        let l = FigureLayout(
            block: BlockFigure(network: "irv2", input: Shape(320, 35, 35), block: residual), detail: .layers,
            metrics: .terminal, text: FigureText.standard(metric: .params, short: false, ascii: false) { $0.count })
        assertNoOverlap(l)
        XCTAssertEqual(l.boxes.first { $0.role == .join(.sum(scale: 0.17)) }?.lines, ["⊕ ×0.17 320x35x35"])
        XCTAssertEqual(FigureJoin.sum(scale: 0.17).label(short: true, ascii: true), "+ x0.17")
        // The identity shortcut is a straight line from the join down to the bus.
        let join = l.boxes.first { if case .join = $0.role { true } else { false } }!
        XCTAssertTrue(l.links.contains { $0.top == join.rect.maxY && $0.bottom == l.buses[0].y })

        var split = residual
        split.fanOut = .split([672, 96, 96, 96])
        split.join = .concat
        let s = FigureLayout(
            block: BlockFigure(network: "next", input: Shape(960, 56, 56), block: split), detail: .layers,
            metrics: .terminal, text: text)
        XCTAssertEqual(s.buses.first?.label, "split 672/96/96/96")
    }
}
