import Foundation
import XCTest

@testable import InceptionCore

/// The shipped layouts, loaded through the codec, against published counts.
final class ShippedLayoutTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func load(_ relative: String) throws -> Layout { try LayoutCodec.decode(bytes(relative)) }

    static var shippedFiles: [String] {
        let fm = FileManager.default
        let layouts = root.appendingPathComponent("Layouts")
        var files =
            (try? fm.contentsOfDirectory(atPath: layouts.path))?.filter { $0.hasSuffix(".json") && $0 != "schema.json" }
            .map { "Layouts/" + $0 } ?? []
        files +=
            (try? fm.contentsOfDirectory(atPath: layouts.appendingPathComponent("examples").path))?.filter {
                $0.hasSuffix(".json")
            }.map { "Layouts/examples/" + $0 } ?? []
        return files.sorted() + ["Tests/InceptionCoreTests/Fixtures/googlenet-torchvision.json"]
    }

    func testGoogLeNetFileIsThePaperNetwork() throws {
        // Same tree as the one built in code from Table 1 (PaperNetworks), apart from names of
        // layers the paper leaves unnamed.
        let file = try Self.load("Layouts/googlenet.json")
        let a = Analysis(file)
        XCTAssertEqual(a.errors, [])
        XCTAssertEqual(a.totals.params, 6_998_552)
        XCTAssertEqual(a.totals.macs, 1_582_671_872)
        XCTAssertEqual(a.stats(path: "inception_3a")?.params, 163_696)
        XCTAssertEqual(a.stats(path: "inception_3a")?.macs, 128_049_152)
        XCTAssertEqual(a.stats(path: "inception_3a")?.receptiveField, Pair(59, 59))
        XCTAssertEqual(a.stats(path: "inception_3b")?.receptiveField, Pair(91, 91))
        XCTAssertEqual(a.nodes.map(\.output), Analysis(PaperNetworks.googlenet).nodes.map(\.output))
    }

    func testTorchvisionGoogLeNetCount() throws {
        // torchvision.models.googlenet: 6,624,904 parameters (its model card / sum of p.numel()).
        let a = Analysis(try Self.load("Tests/InceptionCoreTests/Fixtures/googlenet-torchvision.json"))
        XCTAssertEqual(a.errors, [])
        XCTAssertEqual(a.totals.params, 6_624_904)
    }

    func testInceptionV3Counts() throws {
        // torchvision.models.inception_v3: 27,161,264 params with AuxLogits, 23,834,568 without;
        // 5,713,216,096 MACs at 299x299 (its model card reports 5.71 GFLOPS, counted as MACs).
        let a = Analysis(try Self.load("Layouts/inception-v3.json"))
        XCTAssertEqual(a.errors, [])
        XCTAssertEqual(a.totals.params, 23_834_568)
        XCTAssertEqual(a.totals.params + a.auxTotals.params, 27_161_264)
        XCTAssertEqual(a.totals.macs, 5_713_216_096)
        XCTAssertEqual(a.output, Shape(1000, 1, 1))
        XCTAssertNotNil(a.stats(path: "Mixed_7b/branch3x3/1/1x3/0"))
        XCTAssertEqual(a.stats(path: "Mixed_7b")?.output, Shape(2048, 8, 8))
    }

    func testInceptionV4Counts() throws {
        // timm `inception_v4` (timm 1.0.31, timm/models/inception_v4.py): torch's sum(p.numel()) is
        // 42,679,816, batchnorm γ/β included. 12,253,974,624 MACs at 299x299: conv + linear MACs from
        // forward hooks on that module (fvcore's convention; timm's table says 12.28 GMACs because fvcore
        // adds 2 per batchnorm element). Block counts are sum(p.numel()) of features[9], [10], [11], [18]
        // and [21] and the shapes those blocks return.
        let a = Analysis(try LayoutSource.load("builtin:inception-v4").layout)
        XCTAssertEqual(a.errors, [])
        XCTAssertEqual(a.totals.params, 42_679_816)
        XCTAssertEqual(a.totals.macs, 12_253_974_624)
        XCTAssertEqual(a.totals.buffers, 63_168, "running mean and variance of 31,584 batchnorm channels")
        XCTAssertEqual(a.output, Shape(1000, 1, 1))
        XCTAssertEqual(a.stats(path: "Mixed_5e")?.params, 317_632)
        XCTAssertEqual(a.stats(path: "Mixed_5e")?.output, Shape(384, 35, 35))
        XCTAssertEqual(a.stats(path: "Mixed_6a")?.params, 2_306_112)
        XCTAssertEqual(a.stats(path: "Mixed_6a")?.output, Shape(1024, 17, 17))
        XCTAssertEqual(a.stats(path: "Mixed_6b")?.params, 2_936_256)
        XCTAssertEqual(a.stats(path: "Mixed_7a")?.params, 2_747_392)
        XCTAssertEqual(a.stats(path: "Mixed_7a")?.output, Shape(1536, 8, 8))
        XCTAssertEqual(a.stats(path: "Mixed_7d")?.params, 4_553_088)
        // InceptionC's split of branch2 into a 1x3 and a 3x1 (timm's branch2_3a / branch2_3b).
        XCTAssertEqual(a.stats(path: "Mixed_7d/branch2/3/branch2_3b/0")?.output, Shape(256, 8, 8))
    }

    func testBNInceptionCounts() throws {
        // Cadene's pretrainedmodels `bninception` (pretrainedmodels 0.7.4, models/bninception.py): torch's
        // sum(p.numel()) is 11,295,240 (convs with bias and batchnorm γ/β); 2,032,600,064 MACs at 224x224
        // from forward hooks on that module (conv + linear, no bias). Block counts: sum(p.numel()) of the
        // parameters named inception_3a_*, inception_3c_*, inception_4e_*, inception_5b_*.
        let a = Analysis(try LayoutSource.load("builtin:bn-inception").layout)
        XCTAssertEqual(a.errors, [])
        XCTAssertEqual(a.totals.params, 11_295_240)
        XCTAssertEqual(a.totals.macs, 2_032_600_064)
        XCTAssertEqual(a.totals.buffers, 20_032, "running mean and variance of 10,016 batchnorm channels")
        XCTAssertEqual(a.output, Shape(1000, 1, 1))
        // Its pools round up (ceil_mode=True, as in Caffe): 112 → 56, not 55.
        XCTAssertEqual(a.stats(path: "pool1_3x3_s2")?.output, Shape(64, 56, 56))
        XCTAssertEqual(a.stats(path: "inception_3a")?.params, 219_552)
        XCTAssertEqual(a.stats(path: "inception_3a")?.output, Shape(256, 28, 28))
        XCTAssertEqual(a.stats(path: "inception_3c")?.params, 385_632)
        XCTAssertEqual(a.stats(path: "inception_3c")?.output, Shape(576, 14, 14))
        XCTAssertEqual(a.stats(path: "inception_4e")?.params, 1_451_008)
        XCTAssertEqual(a.stats(path: "inception_4e")?.output, Shape(1056, 7, 7))
        XCTAssertEqual(a.stats(path: "inception_5b")?.params, 2_281_248)
        XCTAssertEqual(a.stats(path: "inception_5b")?.output, Shape(1024, 7, 7))
    }

    func testInceptionResNetV2Counts() throws {
        // timm `inception_resnet_v2` (timm 1.0.31, timm/models/inception_resnet_v2.py, the released
        // weights' 10/20/10 blocks): torch's sum(p.numel()) is 55,843,464; 13,155,794,016 MACs at 299x299
        // from forward hooks on that module (conv + linear, no bias). Block counts: sum(p.numel()) of
        // mixed_5b, repeat[0], mixed_6a, repeat_1[0], mixed_7a, repeat_2[0], block8, conv2d_7b.
        let layout = try LayoutSource.load("builtin:inception-resnet-v2").layout
        let a = Analysis(layout)
        XCTAssertEqual(a.errors, [])
        XCTAssertEqual(a.totals.params, 55_843_464)
        XCTAssertEqual(a.totals.macs, 13_155_794_016)
        XCTAssertEqual(a.totals.buffers, 60_544, "running mean and variance of 30,272 batchnorm channels")
        XCTAssertEqual(a.output, Shape(1000, 1, 1))
        XCTAssertEqual(a.stats(path: "mixed_5b")?.params, 268_320)
        XCTAssertEqual(a.stats(path: "block35_1")?.params, 123_168)
        XCTAssertEqual(a.stats(path: "block35_10")?.output, Shape(320, 35, 35))
        XCTAssertEqual(a.stats(path: "mixed_6a")?.params, 2_664_960)
        XCTAssertEqual(a.stats(path: "block17_1")?.params, 1_126_784)
        XCTAssertEqual(a.stats(path: "block17_20")?.output, Shape(1088, 17, 17))
        XCTAssertEqual(a.stats(path: "mixed_7a")?.params, 3_880_960)
        XCTAssertEqual(a.stats(path: "block8_1")?.params, 2_035_424)
        XCTAssertEqual(a.stats(path: "block8")?.params, 2_035_424)
        XCTAssertEqual(a.stats(path: "conv2d_7b")?.params, 3_197_952)
        // 10/20/10 residual blocks, scaled 0.17 / 0.10 / 0.20 (the paper's section 3.3); the last
        // Block8 has scale 1 and no ReLU after its sum.
        var residuals: [String: [(scale: Double, join: Join)]] = [:]
        for layer in layout.layers {
            guard case .block(let block) = layer.op, case .sum = block.join, let name = layer.name else { continue }
            let kind = String(name.prefix(while: { $0 != "_" }))
            XCTAssertEqual(
                block.branches.map(\.layers.isEmpty), [true, false], "\(name): identity shortcut, then the residual")
            residuals[kind, default: []].append((block.branches[1].scale, block.join))
        }
        XCTAssertEqual(residuals["block35"]?.map(\.scale), Array(repeating: 0.17, count: 10))
        XCTAssertEqual(residuals["block17"]?.map(\.scale), Array(repeating: 0.10, count: 20))
        XCTAssertEqual(residuals["block8"]?.map(\.scale), Array(repeating: 0.20, count: 9) + [1])
        XCTAssertEqual(
            residuals["block8"]?.map(\.join),
            Array(repeating: .sum(activation: .relu), count: 9) + [.sum(activation: .none)])
    }

    func testXceptionCounts() throws {
        // timm `legacy_xception` (timm 1.0.31, timm/models/xception.py: Chollet's Xception, the Keras
        // weights ported by Cadene): torch's sum(p.numel()) is 22,855,952, batchnorm γ/β included;
        // 8,357,403,496 MACs at 299x299 from forward hooks on that module (conv + linear, no bias; a
        // depthwise conv counts out·H'·W'·1·3·3). Block counts: sum(p.numel()) of block1, block2,
        // block3, block4 and block12 and the shapes they return; 27,264 batchnorm channels.
        let layout = try LayoutSource.load("builtin:xception").layout
        let a = Analysis(layout)
        XCTAssertEqual(a.errors, [])
        XCTAssertEqual(a.totals.params, 22_855_952)
        XCTAssertEqual(a.totals.macs, 8_357_403_496)
        XCTAssertEqual(a.totals.buffers, 54_528, "running mean and variance of 27,264 batchnorm channels")
        XCTAssertEqual(a.output, Shape(1000, 1, 1))
        XCTAssertEqual(a.stats(path: "block1")?.params, 35_264)
        XCTAssertEqual(a.stats(path: "block1")?.output, Shape(128, 74, 74))
        XCTAssertEqual(a.stats(path: "block2")?.params, 136_064)
        XCTAssertEqual(a.stats(path: "block2")?.output, Shape(256, 37, 37))
        XCTAssertEqual(a.stats(path: "block3")?.params, 915_944)
        XCTAssertEqual(a.stats(path: "block3")?.output, Shape(728, 19, 19))
        XCTAssertEqual(a.stats(path: "block4")?.params, 1_613_976)
        XCTAssertEqual(a.stats(path: "block11")?.output, Shape(728, 19, 19))
        XCTAssertEqual(a.stats(path: "block12")?.params, 2_039_584)
        XCTAssertEqual(a.stats(path: "block12")?.output, Shape(1024, 10, 10))
        // The paper's figure 5: 3 entry-flow blocks with a strided 1x1 projection shortcut, the middle
        // flow's 8 blocks with an identity one; no activation after any sum; every rep branch but
        // block1's opens with a ReLU of its own (pre-activation: the shortcut sees the input before it).
        var shortcuts: [String] = []
        for layer in layout.layers {
            guard case .block(let block) = layer.op, let name = layer.name else { continue }
            XCTAssertEqual(block.join, .sum(activation: .none), name)
            XCTAssertEqual(block.branches.map(\.name), ["rep", "skip"], name)
            shortcuts.append(block.branches[1].layers.isEmpty ? "identity" : "projection")
            let opensWithRelu = block.branches[0].layers.first.map { if case .relu = $0.op { true } else { false } }
            XCTAssertEqual(opensWithRelu, name != "block1", name)
        }
        XCTAssertEqual(
            shortcuts,
            Array(repeating: "projection", count: 3) + Array(repeating: "identity", count: 8) + ["projection"])
        // A separable conv: a depthwise 3x3 (groups = its 728 input channels) then a 1x1.
        guard
            case .conv(let dw) = layout.layers.first(where: { $0.name == "block4" }).flatMap({ layer -> Layer? in
                guard case .block(let b) = layer.op else { return nil }
                return b.branches[0].layers[1]
            })?.op
        else { return XCTFail("block4/rep/1 is no conv") }
        XCTAssertEqual(dw.groups, 728)
        XCTAssertEqual(dw.out, 728)
    }

    func testNotesWorkedExample() throws {
        // The notes: 128x5x5x256 = 819,200 weights naive; 128x32 + 32x5x5x256 = 208,896 reduced.
        let naive = Analysis(try Self.load("Layouts/examples/notes-worked-example-naive.json"))
        let reduced = Analysis(try Self.load("Layouts/examples/notes-worked-example-reduced.json"))
        XCTAssertEqual(naive.totals.params, 819_200)
        XCTAssertEqual(reduced.totals.params, 208_896)
        XCTAssertEqual(naive.output, Shape(256, 100, 100))
        XCTAssertEqual(reduced.output, Shape(256, 100, 100))
        XCTAssertEqual(Double(naive.totals.params) / Double(reduced.totals.params), 3.92, accuracy: 0.005)
    }

    func testEveryShippedLayoutIsValidAndRoundTripsByteForByte() throws {
        XCTAssertGreaterThan(Self.shippedFiles.count, 8)
        for file in Self.shippedFiles {
            let bytes = try Self.bytes(file)
            let layout = try LayoutCodec.decode(bytes)
            XCTAssertEqual(Analysis(layout).errors, [], file)
            XCTAssertEqual(Array(LayoutCodec.encode(layout).utf8), bytes, "\(file) is not in canonical form")
        }
    }

    /// Layout files kept in a hand-written (non-canonical) form on purpose.
    static let handWritten: Set<String> = ["TestSupport/Fixtures/export-tiny.json"]

    /// Issue 21: blocks gained joins; every layout file in the repository (shipped, examples, test
    /// fixtures, wherever it sits) still reads and writes back byte for byte.
    func testEveryLayoutFileInTheRepositoryRoundTripsByteForByte() throws {
        var found = 0
        for dir in ["Layouts", "Tests"] {
            let base = Self.root.appendingPathComponent(dir)
            let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
            for file in files.sorted() where file.hasSuffix(".json") {
                let bytes = try Self.bytes(dir + "/" + file)
                guard String(decoding: bytes.prefix(64), as: UTF8.self).contains(Layout.formatTag) else { continue }
                let layout = try LayoutCodec.decode(bytes)
                let text = LayoutCodec.encode(layout)
                if Self.handWritten.contains(file) {
                    // Hand-written spacing: its canonical form is a fixed point and means the same.
                    XCTAssertEqual(LayoutCodec.encode(try LayoutCodec.decode(text)), text, file)
                    XCTAssertEqual(try LayoutCodec.decode(text), layout, file)
                } else {
                    XCTAssertTrue(Array(text.utf8) == bytes, "\(dir)/\(file) does not round-trip byte for byte")
                }
                found += 1
            }
        }
        XCTAssertGreaterThanOrEqual(found, 11, "the 9 shipped layouts and 2 core test fixtures at least")
    }

    func testBuiltInsAreTheShippedFiles() throws {
        for builtIn in BuiltInLayout.allCases {
            XCTAssertEqual(
                Array(builtIn.json.utf8), try Self.bytes("Layouts/" + builtIn.fileName),
                "run scripts/embed-layouts.sh after editing Layouts/\(builtIn.fileName)")
        }
    }
}
