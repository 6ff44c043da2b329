import Foundation
import InceptionRuntime
import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionCore
@testable import InceptionONNX

/// The ONNX export, read back with the same generated protobuf code: counts computed from the file
/// itself (per node: conv weight + bias, Gemm weight + bias, 2 trainable + 2 buffers per
/// BatchNormalization channel; MACs from each Conv's output shape and weight dims) equal the
/// analysis'; ops, names, weights and the doc string. onnxruntime's outputs are compared in
/// Benchmarks/export_check.py (swift test never needs Python).
final class ONNXExportTests: XCTestCase {
    static func layout(_ b: BuiltInLayout) throws -> Layout { try LayoutCodec.decode(b.json) }

    func model(_ layout: Layout, _ weights: ExportWeights = .seeded(0)) throws -> (Onnx_ModelProto, ONNXExporter.Result)
    {
        let r = try ONNXExporter.export(layout, weights: weights, command: "test")
        return (try Onnx_ModelProto(serializedBytes: r.bytes), r)
    }

    /// Counts from the graph alone.
    static func counts(_ m: Onnx_ModelProto) -> (params: Int, buffers: Int, macs: Int) {
        let dims = Dictionary(uniqueKeysWithValues: m.graph.initializer.map { ($0.name, $0.dims.map(Int.init)) })
        var shapes: [String: [Int]] = [:]
        for v in m.graph.valueInfo + m.graph.output {
            shapes[v.name] = v.type.tensorType.shape.dim.dropFirst().map { Int($0.dimValue) }
        }
        func n(_ name: String) -> Int { dims[name]?.reduce(1, *) ?? 0 }
        var params = 0, buffers = 0, macs = 0
        for node in m.graph.node {
            switch node.opType {
            case "Conv":
                params += node.input.dropFirst().map(n).reduce(0, +)
                let w = dims[node.input[1]]!
                macs += shapes[node.output[0]]!.reduce(1, *) * w[1] * w[2] * w[3]
            case "Gemm":
                params += node.input.dropFirst().map(n).reduce(0, +)
                macs += n(node.input[1])
            case "BatchNormalization":
                params += n(node.input[1]) + n(node.input[2])
                buffers += n(node.input[3]) + n(node.input[4])
            default: break
            }
        }
        return (params, buffers, macs)
    }

    func testGoogLeNetFileCountsEqualSummary() throws {
        let (m, r) = try model(try Self.layout(.googlenet))
        // Szegedy et al. 2014, Table 1 structure: 6,998,552 params, 1,582,671,872 MACs (aux heads not exported).
        let c = Self.counts(m)
        XCTAssertEqual(c.params, 6_998_552)
        XCTAssertEqual(c.buffers, 0)
        XCTAssertEqual(c.macs, 1_582_671_872)
        XCTAssertEqual(r.skippedAux, ["aux1", "aux2"])
        XCTAssertEqual(r.seededLayers, [])
    }

    func testInceptionV3FileCountsEqualSummary() throws {
        let (m, _) = try model(try Self.layout(.inceptionV3))
        // torchvision inception_v3 without its aux head: 23,834,568 params, 34,432 batchnorm buffers
        // (17,216 channels × mean, var), 5,713,216,096 MACs.
        let c = Self.counts(m)
        XCTAssertEqual(c.params, 23_834_568)
        XCTAssertEqual(c.buffers, 34_432)
        XCTAssertEqual(c.macs, 5_713_216_096)
        XCTAssertEqual(m.graph.node.filter { $0.opType == "BatchNormalization" }.count, 94)
    }

    func testOpsetOpsAndDocString() throws {
        let (m, _) = try model(try Self.layout(.googlenet), .seeded(4))
        XCTAssertEqual(m.opsetImport.map(\.version), [17])
        XCTAssertEqual(m.irVersion, 8)
        let ops = Set(m.graph.node.map(\.opType))
        XCTAssertEqual(ops, ["Conv", "Relu", "MaxPool", "LRN", "Concat", "AveragePool", "Flatten", "Gemm", "Softmax"])
        XCTAssertTrue(m.docString.contains("Dropout is left out"))
        XCTAssertTrue(m.docString.contains("Aux heads are not exported (training only): aux1, aux2."))
        XCTAssertTrue(m.docString.contains("run --seed 4"))
        // GoogLeNet's pools use ceil mode (Caffe); 57 convs, 9 concats.
        let pool1 = try XCTUnwrap(m.graph.node.first { $0.name == "/pool1/MaxPool" })
        XCTAssertEqual(pool1.attribute.first { $0.name == "ceil_mode" }?.i, 1)
        XCTAssertEqual(m.graph.node.filter { $0.opType == "Conv" }.count, 57)
        XCTAssertEqual(m.graph.node.filter { $0.opType == "Concat" }.count, 9)
    }

    func testNamesCarryNodePaths() throws {
        let (m, _) = try model(try Self.layout(.googlenet))
        let names = Set(m.graph.node.map(\.name))
        for n in [
            "/inception_3a/3x3/1/Conv", "/inception_3a/3x3/1/Relu", "/inception_3a/Concat", "/fc/Gemm", "/prob/Softmax",
        ] {
            XCTAssertTrue(names.contains(n), n)
        }
        let tensors = Set(m.graph.initializer.map(\.name))
        XCTAssertTrue(tensors.contains("inception_3a.3x3.1.weight"))
        XCTAssertTrue(tensors.contains("inception_3a.3x3.1.bias"))
        XCTAssertEqual(m.graph.output.map(\.name), ["/prob/Softmax_output_0"])
    }

    func testSeededWeightsAreThoseRunUses() throws {
        let layout = try Self.layout(.inceptionV3)
        let (m, _) = try model(layout, .seeded(7))
        let spec = WeightSpec(
            path: "Mixed_5b/branch5x5/1",
            kind: .conv(
                Conv(
                    out: 64, kernel: Pair(5, 5), pad: .explicit(Pair(2, 2)),
                    bias: false, batchnorm: true), inChannels: 48))
        let want = try WeightSource.generated(seed: 7).weights(for: spec).weight
        let t = try XCTUnwrap(m.graph.initializer.first { $0.name == "Mixed_5b.branch5x5.1.weight" })
        XCTAssertEqual(t.dims, [64, 48, 5, 5])
        XCTAssertEqual(Self.floats(t), want)
        XCTAssertNil(m.graph.initializer.first { $0.name == "Mixed_5b.branch5x5.1.bias" })
        // Batchnorm as the identity the engine folds: γ 1, β 0, mean 0, var 1, ε 1e-5.
        let bn = try XCTUnwrap(m.graph.node.first { $0.name == "/Mixed_5b/branch5x5/1/BatchNormalization" })
        XCTAssertEqual(bn.attribute.first?.f, 1e-5)
        let byName = Dictionary(uniqueKeysWithValues: m.graph.initializer.map { ($0.name, $0) })
        XCTAssertEqual(Set(Self.floats(byName[bn.input[1]]!)), [1])
        XCTAssertEqual(Set(Self.floats(byName[bn.input[2]]!)), [0])
        XCTAssertEqual(Set(Self.floats(byName[bn.input[3]]!)), [0])
        XCTAssertEqual(Set(Self.floats(byName[bn.input[4]]!)), [1])
    }

    func testDirectoryWeightsPutTheFoldedShiftIntoTheBatchnorm() throws {
        _ = try Self.layout(.inceptionV3)
        let tmp = try TemporaryDirectory("ie-onnx")
        defer { tmp.remove() }
        let dir = tmp.path
        let spec = WeightSpec(
            path: "Conv2d_1a_3x3",
            kind: .conv(
                Conv(
                    out: 32, kernel: Pair(3, 3), stride: Pair(2, 2),
                    bias: false, batchnorm: true), inChannels: 3))
        let w = (0..<(32 * 27)).map { Float($0) / 100 }, b = (0..<32).map { Float($0) - 16 }
        try NpyFile.write(dir + "/" + spec.weightFile, shape: spec.weightShape, values: w)
        try NpyFile.write(dir + "/" + spec.biasFile, shape: [32], values: b)
        let p = try ExportWeights.directory(dir).parameters(for: spec)
        XCTAssertEqual(p.0.weight, w)
        XCTAssertNil(p.0.bias)
        XCTAssertEqual(p.0.batchnorm?.shift, b)
        XCTAssertEqual(p.0.batchnorm?.scale, [Float](repeating: 1, count: 32))
        // var + ε = 1: the identity to float precision.
        XCTAssertEqual(p.0.batchnorm!.variance[0] + p.0.batchnorm!.epsilon, 1, accuracy: 1e-7)
        // A directory without the file fails in one line naming it, as `run --weights` does.
        let other = WeightSpec(
            path: "Conv2d_2a_3x3",
            kind: .conv(Conv(out: 32, kernel: Pair(3, 3), bias: false, batchnorm: true), inChannels: 32))
        XCTAssertThrowsError(try ExportWeights.directory(dir).parameters(for: other)) { e in
            XCTAssertTrue("\(e)".contains("Conv2d_2a_3x3.weight.npy"), "\(e)")
        }
    }

    func testOwnWeightsThatNoLongerFitAreSeededAndNamed() throws {
        // An "imported" GoogLeNet whose own weights are seed 1's; then inception_3a/3x3/1 is widened
        // 128 → 136: that conv's weight no longer fits, nor do the convs of inception_3b that read
        // its output (their input grows 256 → 264); everything else keeps its weights.
        let base = try Self.layout(.googlenet)
        var own: [String: ModelWeights.Entry] = [:]
        let analysis = Analysis(base)
        for s in analysis.nodes where s.op == .conv || s.op == .linear {
            guard case .layer(let l)? = base.node(at: s.address) else { continue }
            let kind: WeightSpec.Kind
            switch l.op {
            case .conv(let c): kind = .conv(c, inChannels: s.input!.channels)
            case .linear(let lin): kind = .linear(lin, input: s.input!)
            default: continue
            }
            let p = try ExportWeights.generated(WeightSpec(path: s.path, kind: kind), seed: 1)
            own[s.path] = ModelWeights.Entry(weightShape: p.weightShape, weight: p.weight, bias: p.bias)
        }
        var edited = base
        let address = try XCTUnwrap(edited.address(ofPath: "inception_3a/3x3/1"))
        _ = edited.modify(at: address) { node in
            if case .layer(var l) = node, case .conv(var c) = l.op { c.out = 136; l.op = .conv(c); node = .layer(l) }
        }
        let (m, r) = try model(edited, .model(ModelWeights(origin: "g.onnx", layers: own), fallbackSeed: 9))
        XCTAssertEqual(
            r.seededLayers,
            [
                "inception_3a/3x3/1", "inception_3b/1x1/0", "inception_3b/3x3/0",
                "inception_3b/5x5/0", "inception_3b/pool_proj/1",
            ])
        XCTAssertTrue(
            m.docString.contains("seeded with --seed 9 (they no longer fit): inception_3a/3x3/1, inception_3b/1x1/0"))
        let kept = try XCTUnwrap(m.graph.initializer.first { $0.name == "inception_3a.3x3.0.weight" })
        XCTAssertEqual(Self.floats(kept), own["inception_3a/3x3/0"]!.weight)
    }

    /// The round trip: export, import with our importer, and get back the same totals, the same node
    /// paths with the same shapes (dropout and aux heads aside), and the very weights written.
    func testReimportGivesBackTheSameNetworkAndWeights() throws {
        let tinyURL = URL(fileURLWithPath: SharedFixtures.path("export-tiny.json"))
        let tiny = try LayoutCodec.decode([UInt8](try Data(contentsOf: tinyURL)))
        for layout in [tiny, try Self.layout(.googlenet), try Self.layout(.inceptionV3)] {
            let r = try ONNXExporter.export(layout, weights: .seeded(5), command: "test")
            let back = try ONNXImporter.importModel(r.bytes, file: "x.onnx")
            let a = Analysis(layout), b = Analysis(back.layout)
            XCTAssertEqual(b.errors, [], layout.name)
            XCTAssertEqual(b.totals.params, a.totals.params, layout.name)
            XCTAssertEqual(b.totals.buffers, a.totals.buffers, layout.name)
            XCTAssertEqual(b.totals.macs, a.totals.macs, layout.name)
            let kept = a.nodes.filter { !$0.aux && $0.op != .dropout }
            XCTAssertEqual(b.nodes.map(\.path), kept.map(\.path), layout.name)
            XCTAssertEqual(b.nodes.map(\.output), kept.map(\.output), layout.name)
            for spec in WeightSpec.all(in: back.layout) {
                let entry = try XCTUnwrap(back.weights.layers[spec.path], spec.path)
                XCTAssertEqual(entry.weight, try WeightSource.generated(seed: 5).weights(for: spec).weight, spec.path)
            }
        }
    }

    /// Our ceil mode (PyTorch's, Caffe's) drops a last window that would start past H + p; ONNX
    /// opset 17's formula keeps it. 2x2/2 pad 1 on 9 rows: ceil(9/2) + 1 = 6 windows in ONNX, the
    /// sixth would start at row 10 = H + p, so we have 5, which is floor mode: the file says ceil_mode 0.
    /// On 10 rows 3x3/2 pad 1 keeps its sixth window (start 10 < 11): ceil_mode 1.
    func testCeilModePoolsKeepOurOutputSizeInONNX() throws {
        func pool(_ h: Int, _ w: Int, kernel: Pair) -> Layout {
            Layout(
                name: "p", input: Shape(2, h, w),
                layers: [
                    Layer(name: "pool", .avgpool(Pool(kernel: kernel, stride: Pair(2, 2), pad: Pair(1, 1), ceil: true)))
                ])
        }
        func ceilMode(_ l: Layout) throws -> (Int64?, [Int64]) {
            let (m, _) = try model(l)
            let node = try XCTUnwrap(m.graph.node.first)
            return (
                node.attribute.first { $0.name == "ceil_mode" }?.i,
                m.graph.output[0].type.tensorType.shape.dim.map(\.dimValue)
            )
        }
        XCTAssertEqual(Analysis(pool(9, 9, kernel: Pair(2, 2))).output, Shape(2, 5, 5))
        XCTAssertEqual(try ceilMode(pool(9, 9, kernel: Pair(2, 2))).0, 0)
        XCTAssertEqual(Analysis(pool(10, 10, kernel: Pair(3, 3))).output, Shape(2, 6, 6))
        XCTAssertEqual(try ceilMode(pool(10, 10, kernel: Pair(3, 3))).0, 1)
        XCTAssertEqual(try ceilMode(pool(10, 10, kernel: Pair(3, 3))).1, [0, 2, 6, 6])
        // Rows drop their last window, columns keep theirs: one ceil_mode cannot say both.
        XCTAssertEqual(Analysis(pool(9, 10, kernel: Pair(2, 3))).output, Shape(2, 5, 6))
        XCTAssertThrowsError(
            try ONNXExporter.export(pool(9, 10, kernel: Pair(2, 3)), weights: .seeded(0), command: "t")
        ) { e in
            XCTAssertTrue(
                "\(e)".hasPrefix("pool: a ceil-mode pool that drops its last window on one axis only"), "\(e)")
        }
    }

    func testInvalidLayoutIsRefused() throws {
        var layout = try Self.layout(.googlenet)
        layout.input = Shape(3, 8, 8)
        XCTAssertThrowsError(try ONNXExporter.export(layout, weights: .seeded(0), command: "test")) { e in
            XCTAssertEqual("\(e)", Analysis(layout).errors.first!.description)
        }
    }

    static func floats(_ t: Onnx_TensorProto) -> [Float] {
        t.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
