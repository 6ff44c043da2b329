import XCTest

@testable import InceptionCore

/// Issue 12, items 1-3 at the core level: counts past 64 bits are located errors, printed figures
/// never wrap, Double→Int never traps.
final class OverflowTests: XCTestCase {
    /// `blocks` inception blocks of sixteen identity branches on 2^24 channels.
    func wide(blocks: Int) -> Layout {
        let branch = Branch(layers: [Layer(.dropout(rate: 0))])
        return Layout(
            name: "x", input: Shape(LayoutLimits.maxSize, 1, 1),
            layers: (0..<blocks).map {
                Layer(name: "b\($0)", .inception(branches: Array(repeating: branch, count: 16)))
            })
    }

    /// 2^24 · 16^b channels after b blocks: 2^60 after 9 fits (activation bytes 2^62 too); a tenth
    /// block sums sixteen 2^60s = 2^64. The explorer's duplicate (`G` then `c`) makes the tenth.
    func testChannelSumOverflowIsALocatedError() throws {
        let nine = Analysis(wide(blocks: 9))
        XCTAssertTrue(nine.errors.isEmpty, "\(nine.errors)")
        XCTAssertEqual(nine.output?.channels, 1 << 60)
        var layout = wide(blocks: 9)
        layout.layers.append(Layer(name: "copy", layout.layers[8].op))
        let ten = Analysis(layout)
        XCTAssertEqual(ten.errors.map(\.location), ["copy", "copy"])
        XCTAssertTrue(
            ten.errors.contains { $0.message == "the branches' channels together overflow 64-bit integers" },
            "\(ten.errors)")
        XCTAssertNil(ten.output)
        // Everything downstream of an analysis still works on it.
        _ = Summary(layout).table()
        _ = layout.lints()
    }

    /// 2^62 MACs fit, but FLOPs = 2·MACs would not: the analysis refuses it rather than print a
    /// wrapped negative FLOP count.
    func testFLOPsThatWouldWrapAreAnError() {
        // linear 2^24 inputs · 2^24 · ... : c·h·w = 2^24 · 2^14 · 2^0, out 2^24 → MACs 2^62.
        let layout = Layout(
            name: "f", input: Shape(1 << 24, 1 << 14, 1), layers: [Layer(name: "fc", .linear(Linear(out: 1 << 24)))])
        let a = Analysis(layout)
        XCTAssertEqual(a.errors.map(\.location), ["fc"])
        XCTAssertEqual(a.errors.first?.message, "counts overflow 64-bit integers")
        XCTAssertTrue(a.totals.flops >= 0)
    }

    func testNumbersBeyondInt64PrintInScientificForm() {
        XCTAssertEqual(NumberFormat.fixed(1e19, decimals: 6), "1.00e+19")
        XCTAssertEqual(NumberFormat.fixed(-1e19, decimals: 0), "-1.00e+19")
        XCTAssertEqual(NumberFormat.fixed(1e308, decimals: 1), "1.00e+308")
        XCTAssertEqual(NumberFormat.fixed(9.2e17, decimals: 1), "920000000000000000.0")
        XCTAssertEqual(NumberFormat.scientific(.leastNonzeroMagnitude), "4.94e-324")
        XCTAssertEqual(NumberFormat.scientific(9.996), "1.00e+01")
        XCTAssertEqual(NumberFormat.scientific(4722366482869645213696), "4.72e+21")  // 2^72
        XCTAssertEqual(NumberFormat.fixed(.nan, decimals: 2), "nan")
    }

    func testCheckedConversions() {
        XCTAssertNil(Checked.int(.nan))
        XCTAssertNil(Checked.int(.infinity))
        XCTAssertNil(Checked.int(9.3e18))
        XCTAssertEqual(Checked.int(-3.7), -3)
        XCTAssertEqual(Checked.clampedInt(1e300, 0...80), 80)
        XCTAssertEqual(Checked.clampedInt(.nan, 0...80), 0)
        XCTAssertNil(Checked.product(1 << 32, 1 << 32))
        XCTAssertEqual(Checked.product(1 << 20, 1 << 20, 1 << 20), 1 << 60)
        XCTAssertNil(Checked.sum(Int.max, 1))
        XCTAssertEqual(Checked.saturatingMul(1 << 40, 1 << 40), .max)
    }

    /// A bar asked for 2^63 cells (summary --chart --width Int.max before the usage check) is
    /// clamped, not converted from a Double past Int.max.
    func testChartBarsClampHugeCellCounts() {
        XCTAssertEqual(ChartGlyphs.bar(fraction: 1e-18, cells: 8, ascii: true), "#")
        XCTAssertEqual(ChartGlyphs.bar(fraction: 0.5, cells: 4, ascii: false), "██")
    }

    /// Lint figures are exact or honest: 2^72 elements printed as 4.72e+21, never a wrapped value.
    func testLintOnAHugeInputPrintsHonestFigures() throws {
        let layout = Layout(
            name: "s", input: Shape(1 << 24, 1 << 24, 1 << 24),
            layers: [Layer(name: "c", .conv(Conv(out: 1, kernel: Pair(1, 1), stride: Pair(1 << 23, 1 << 23))))])
        let lints = layout.lints()
        let bottleneck = try XCTUnwrap(lints.first { $0.id == .bottleneck })
        XCTAssertTrue(
            bottleneck.measured.hasPrefix("C*H*W 16777216x16777216x16777216 = 4.72e+21 -> 1x2x2 = 4 "),
            bottleneck.measured)
        XCTAssertTrue(
            bottleneck.measured.contains("stride 8388608x8388608 squeezes H*W 70,368,744,177,664x at once"),
            bottleneck.measured)
    }
}

/// Item 7: `node(at:)` and `path(of:)` index children directly (they built every sibling before,
/// which made a 100,000-branch block quadratic); they must still agree with the tree walk.
final class NodeLookupTests: XCTestCase {
    func testLookupAgreesWithTheTreeWalkOnEveryNode() throws {
        for builtIn in BuiltInLayout.allCases {
            let layout = try LayoutCodec.decode(Array(builtIn.json.utf8))
            let all = layout.allNodes()
            XCTAssertGreaterThan(all.count, 100)
            for n in all {
                XCTAssertEqual(layout.node(at: n.address), n.node, "\(n.path)")
                XCTAssertEqual(layout.path(of: n.address), n.path)
                XCTAssertEqual(layout.address(ofPath: n.path), n.address)
            }
            XCTAssertNil(layout.node(at: NodeAddress([layout.layers.count])))
            XCTAssertNil(layout.path(of: NodeAddress([0, 99])))
        }
    }
}
