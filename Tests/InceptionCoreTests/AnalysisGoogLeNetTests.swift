import XCTest

@testable import InceptionCore

/// GoogLeNet's counts, to the unit. Sources: the 2014 paper's Table 1 (structure and the ops column),
/// and arithmetic on that structure (conv MACs = Cout·H'·W'·Cin·kh·kw).
final class AnalysisGoogLeNetTests: XCTestCase {
    let analysis = Analysis(PaperNetworks.googlenet)

    func testIsValidAndEndsIn1000Classes() {
        XCTAssertEqual(analysis.errors, [])
        XCTAssertEqual(analysis.output, Shape(1000, 1, 1))
    }

    func testInferenceTotals() {
        // Table 1 structure: 6,998,552 trainable params (weights + biases), 1,582,671,872 MACs.
        XCTAssertEqual(analysis.totals.params, 6_998_552)
        XCTAssertEqual(analysis.totals.macs, 1_582_671_872)
        XCTAssertEqual(analysis.totals.flops, 3_165_343_744)
        XCTAssertEqual(analysis.totals.buffers, 0)
    }

    func testInception3a() throws {
        let s = try XCTUnwrap(analysis.stats(path: "inception_3a"))
        // 1x1: 192·64+64; 3x3: 192·96+96 + 96·9·128+128; 5x5: 192·16+16 + 16·25·32+32; proj: 192·32+32.
        XCTAssertEqual(s.params, 163_696)
        XCTAssertEqual(s.macs, 128_049_152)
        XCTAssertEqual(s.input, Shape(192, 28, 28))
        XCTAssertEqual(s.output, Shape(256, 28, 28))
        XCTAssertEqual(s.receptiveField, Pair(59, 59))
        XCTAssertEqual(analysis.stats(path: "inception_3b")?.receptiveField, Pair(91, 91))
    }

    func testPaperOpsColumnWithinOneMillion() throws {
        // Table 1 "ops" column, in millions. 5a is the exception: the paper prints 54M, while its
        // own widths give 51.1M (noted in the issue), so it is checked against the architecture.
        let paper: [(String, Double)] = [
            ("inception_3a", 128), ("inception_3b", 304), ("inception_4a", 73),
            ("inception_4b", 88), ("inception_4c", 100), ("inception_4d", 119),
            ("inception_4e", 170), ("inception_5b", 71),
        ]
        for (path, millions) in paper {
            let macs = try XCTUnwrap(analysis.stats(path: path)).macs
            XCTAssertEqual(Double(macs) / 1e6, millions, accuracy: 1, path)
        }
        XCTAssertEqual(Double(try XCTUnwrap(analysis.stats(path: "inception_5a")).macs) / 1e6, 51.1, accuracy: 0.1)
    }

    func testAuxHeadsCountedApart() throws {
        let aux1 = try XCTUnwrap(analysis.stats(path: "aux1"))
        // avgpool 5x5/3 on 512x14x14 → 4x4; conv 1x1 512→128; linear 2048→1024; linear 1024→1000.
        XCTAssertEqual(aux1.output, Shape(1000, 1, 1))
        XCTAssertEqual(aux1.params, (512 * 128 + 128) + (2048 * 1024 + 1024) + (1024 * 1000 + 1000))
        XCTAssertTrue(aux1.aux)
        let aux2 = try XCTUnwrap(analysis.stats(path: "aux2"))
        XCTAssertEqual(aux2.params, (528 * 128 + 128) + (2048 * 1024 + 1024) + (1024 * 1000 + 1000))
        XCTAssertEqual(analysis.auxTotals.params, aux1.params + aux2.params)
        // The main path continues unchanged after an aux head.
        XCTAssertEqual(analysis.stats(path: "inception_4b")?.input, Shape(512, 14, 14))
    }

    func testShapesThroughTheStem() {
        XCTAssertEqual(analysis.stats(path: "conv1")?.output, Shape(64, 112, 112))
        XCTAssertEqual(analysis.stats(path: "pool1")?.output, Shape(64, 56, 56))  // ceil mode
        XCTAssertEqual(analysis.stats(path: "pool2")?.output, Shape(192, 28, 28))
        XCTAssertEqual(analysis.stats(path: "pool4")?.output, Shape(832, 7, 7))
        XCTAssertEqual(analysis.stats(path: "inception_3a/3x3/1")?.output, Shape(128, 28, 28))
        XCTAssertEqual(analysis.stats(path: "inception_3a/3x3")?.output, Shape(128, 28, 28))
    }

    func testBatchScalesMACsAndActivationsNotParams() {
        let two = Analysis(PaperNetworks.googlenet, batch: 2)
        XCTAssertEqual(two.totals.params, analysis.totals.params)
        XCTAssertEqual(two.totals.macs, 2 * analysis.totals.macs)
        XCTAssertEqual(two.totals.activationBytes, 2 * analysis.totals.activationBytes)
        // conv1's output: 64·112·112 floats × 4 bytes.
        XCTAssertEqual(analysis.stats(path: "conv1")?.activationBytes, 64 * 112 * 112 * 4)
    }

    func testPathsAndAddressesAgree() {
        let layout = PaperNetworks.googlenet
        for s in analysis.nodes {
            XCTAssertEqual(layout.path(of: s.address), s.path)
            XCTAssertEqual(layout.address(ofPath: s.path), s.address)
        }
        XCTAssertEqual(analysis.nodes.count, layout.allNodes().count)
    }
}
