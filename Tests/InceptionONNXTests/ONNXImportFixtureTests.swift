import Foundation
import InceptionCore
import InceptionRuntime
import InceptionWeights
import TestSupport
import Testing

@testable import InceptionONNX

/// Imports of the committed fixtures: counts equal the ones counted from each graph itself
/// (fixtures.json, per node), block structure and names follow the torch module tree, and the
/// model's own weights reproduce onnxruntime's output.
@Suite struct ONNXImportFixtureTests {
    static let goodModels = ["tiny_inception_bn", "tiny_inception_folded", "helper_mix", "helper_nested", "external"]

    @Test(arguments: goodModels)
    func countsEqualTheGraphs(_ name: String) throws {
        let model = try Fixtures.importModel(name + ".onnx")
        let facts = try Fixtures.facts(name)
        let analysis = Analysis(model.layout)
        #expect(analysis.errors.isEmpty)
        #expect(analysis.totals.params == facts.params)
        #expect(analysis.totals.buffers == facts.buffers)
        #expect(analysis.totals.macs == facts.macs)
        #expect(analysis.output.map { $0.channels * $0.height * $0.width } == facts.output.dropFirst().reduce(1, *))
    }

    @Test(arguments: goodModels)
    func ownWeightsMatchOnnxruntime(_ name: String) throws {
        let model = try Fixtures.importModel(name + ".onnx")
        let input = try NpyFile.read(Fixtures.path("input_\(name).npy"))
        let expected = try NpyFile.read(Fixtures.path("output_\(name).npy"))
        let plan = try ExecutionPlan(
            layout: model.layout,
            options: PlanOptions(
                batch: input.shape[0], threads: 1,
                weights: .memory(model.weights)))
        try plan.setInput(input.values)
        _ = plan.runOnce(threads: 1)
        let ours = plan.outputValues()
        #expect(ours.count == expected.values.count)
        let scale = expected.values.map { abs($0) }.max() ?? 1
        let diff = zip(ours, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(diff / scale <= 1e-4, "max |Δ| / max |y| = \(diff / scale)")
    }

    /// One inception node per Concat plus one per nested split: the tiny net has three Concats
    /// (googlenet Inception, the v3 reduction block, the flattened InceptionE concat) and InceptionE's
    /// two 1x3 / 3x1 splits.
    @Test func blocksPerConcatAndNestedSplit() throws {
        let graph = try Fixtures.model("tiny_inception_bn.onnx").graph
        let concats = graph.node.filter { $0.opType == "Concat" }
        #expect(concats.count == 3)
        #expect(concats.map(\.input.count).max() == 6, "the exporter flattened InceptionE's torch.cat of torch.cats")
        let layout = try Fixtures.importModel("tiny_inception_bn.onnx").layout
        #expect(layout.inceptionCount == 3 + 2)
    }

    /// Mixed_7b: a 6-input Concat whose 1x3 and 3x1 inputs share one 1x1 conv becomes a branch
    /// [1x1 conv, block(1x3 | 3x1)], the shared conv counted once, channels in the Concat's order.
    @Test func flattenedConcatBecomesANestedBlock() throws {
        let layout = try Fixtures.importModel("tiny_inception_bn.onnx").layout
        guard let branches = layout.layer("Mixed_7b")?.op.block?.branches else {
            Issue.record("no Mixed_7b block"); return
        }
        #expect(branches.map(\.name) == ["branch1x1", "branch3x3", "branch3x3dbl", "branch_pool"])
        let b = branches[1]
        #expect(b.layers.count == 2)
        guard case .conv(let shared) = b.layers[0].op, let split = b.layers[1].op.block?.branches else {
            Issue.record("branch3x3 is not [conv, inception]"); return
        }
        #expect(shared.kernel == Pair(1, 1) && shared.out == 24 && shared.batchnorm && !shared.bias)
        #expect(split.map(\.name) == ["branch3x3_2a", "branch3x3_2b"])
        guard case .conv(let a) = split[0].layers[0].op, case .conv(let c) = split[1].layers[0].op else { return }
        #expect(a.kernel == Pair(1, 3) && a.pad == .explicit(Pair(0, 1)))
        #expect(c.kernel == Pair(3, 1) && c.pad == .explicit(Pair(1, 0)))
        // 20 + 2·24 + 2·24 + 12 channels, in the Concat's order.
        #expect(Analysis(layout).stats(path: "Mixed_7b")?.output == Shape(128, 3, 3))
    }

    /// A Concat inside a branch (not flattened by an exporter) is a nested block all the same.
    @Test func innerConcatNodeIsANestedBlock() throws {
        let layout = try Fixtures.importModel("helper_nested.onnx").layout
        #expect(layout.inceptionCount == 2)
        guard let outer = layout.layer("Mixed")?.op.block?.branches else { Issue.record("no Mixed block"); return }
        #expect(outer.map(\.name) == ["branch1x1", "branch3x3"])
        #expect(outer[1].layers.map(\.op.kind) == [.conv, .inception])
        #expect(Analysis(layout).output == Shape(13, 6, 6))
    }

    /// torch's ZeroPad2d before the stem max-pool (after its ReLU) folds into the pool's pads.
    @Test func zeroPadFoldsIntoTheMaxPoolAfterAReLU() throws {
        let layout = try Fixtures.importModel("tiny_inception_folded.onnx").layout
        #expect(
            layout.layer("maxpool1")?.op
                == .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1), ceil: true)))
        #expect(layout.layer("pad") == nil, "the Pad is not a layer of its own")
    }

    /// The reduction block's third branch is a lone max-pool; the googlenet block keeps torch's names.
    /// (Dropout is gone: the exporter drops it in eval mode.)
    @Test func namesFollowTheModuleTree() throws {
        let layout = try Fixtures.importModel("tiny_inception_bn.onnx").layout
        #expect(
            layout.layers.map(\.name) == ["stem", "maxpool1", "inception3a", "Mixed_6a", "Mixed_7b", "avgpool", "fc"])
        #expect(layout.layer("inception3a/branch2/branch2.1")?.op.kind == .conv)
        #expect(
            layout.layer("inception3a/branch4/branch4.0")?.op
                == .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1), ceil: true)))
        guard let b = layout.layer("Mixed_6a")?.op.block?.branches else { Issue.record("no Mixed_6a"); return }
        #expect(b.count == 3 && b[2].layers.count == 1 && b[2].layers[0].op.kind == .maxpool)
        #expect(layout.input == Shape(3, 32, 32), "the dynamic batch_size dim reads as one sample")
    }

    /// torch.onnx.export shares equal initializers through Identity nodes; params are counted per
    /// consuming node all the same (fixtures.json's count is per node too).
    @Test func identitySharedInitializersCountPerNode() throws {
        let graph = try Fixtures.model("tiny_inception_bn.onnx").graph
        let initializers = Set(graph.initializer.map(\.name))
        let shared = graph.node.filter { $0.opType == "Identity" && initializers.contains($0.input[0]) }
        #expect(!shared.isEmpty)
        let distinct = graph.initializer.reduce(0) { $0 + Int($1.dims.reduce(1, *)) }
        let total = Analysis(try Fixtures.importModel("tiny_inception_bn.onnx").layout).totals
        #expect(total.params + total.buffers > distinct, "the sum of initializers undercounts shared ones")
    }

    /// Batchnorm is kept with its statistics and the file's epsilon (torchvision's 0.001).
    @Test func batchNormKeepsStatisticsAndEpsilon() throws {
        let model = try Fixtures.importModel("tiny_inception_bn.onnx")
        guard case .conv(let c)? = model.layout.layer("stem")?.op else { Issue.record("no stem conv"); return }
        #expect(c.batchnorm && !c.bias && c.activation == .relu)
        let bn = try #require(model.weights.layers["stem"]?.batchNorm)
        #expect(abs(bn.epsilon - 0.001) < 1e-9)
        #expect(bn.gamma.count == 16 && bn.variance.count == 16)
    }

    /// onnx.helper, IR 3: initializers listed as graph inputs, Pad folded into conv1, SAME_UPPER,
    /// LRN's bias as k, count_include_pad 0, MatMul + Add + Relu and Gemm (transB 0) as linears.
    @Test func helperModelMapsEveryOp() throws {
        let layout = try Fixtures.importModel("helper_mix.onnx").layout
        #expect(
            layout.layers.map(\.op) == [
                .conv(
                    Conv(
                        out: 8, kernel: Pair(5, 5), stride: Pair(2, 2), pad: .explicit(Pair(2, 2)), bias: true,
                        activation: .relu)),
                .lrn(LRN(size: 5, alpha: Double(Float(1e-4)), beta: 0.75, k: 2)),
                .conv(Conv(out: 8, kernel: Pair(3, 3), pad: .explicit(Pair(1, 1)), bias: true, activation: .relu)),
                .avgpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1), countPad: false)),
                .linear(Linear(out: 16, bias: true, activation: .relu)),
                .linear(Linear(out: 5, bias: true, activation: .none)),
                .softmax,
            ])
        #expect(layout.layers.map(\.name) == ["conv1", "norm1", "conv2", "pool2", "fc1", "fc2", "prob"])
        #expect(layout.input == Shape(3, 16, 16))
    }

    @Test func externalDataIsReadFromBesideTheModel() throws {
        let model = try Fixtures.importModel("external.onnx")
        #expect(model.weights.layers["conv"]?.weight.count == 4 * 3 * 3 * 3)
        // Without its data file: refused, naming the file.
        let tmp = try TemporaryDirectory("onnx-ext")
        defer { tmp.remove() }
        let dir = tmp.url
        let lone = dir.appendingPathComponent("external.onnx").path
        try FileManager.default.copyItem(atPath: Fixtures.path("external.onnx"), toPath: lone)
        #expect(
            throws: ONNXImportError(
                file: lone, node: "/conv/Conv", op: "Conv",
                "weight \"conv.w\": external data file \"external.onnx.data\" is missing (keep it beside the model)")
        ) {
            try ModelLoader.importFile(lone)
        }
        // A FIFO where the data file should be: refused at once with what it is (opening it for
        // reading would block for ever, as no writer ever comes).
        let fifo = dir.appendingPathComponent("external.onnx.data").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(
            throws: ONNXImportError(
                file: lone, node: "/conv/Conv", op: "Conv",
                "weight \"conv.w\": external data \"external.onnx.data\": is a FIFO, not a regular file")
        ) {
            try ModelLoader.importFile(lone)
        }
    }

    /// `import --weights` writes what `run --weights` reads: batchnorm folded, one file per array.
    @Test func weightDirectoryReproducesTheModel() throws {
        let model = try Fixtures.importModel("tiny_inception_bn.onnx")
        let tmp = try TemporaryDirectory("onnx-w")
        defer { tmp.remove() }
        let dir = tmp.path
        let files = try model.weights.writeDirectory(dir, for: model.layout)
        #expect(files == 2 * WeightSpec.all(in: model.layout).count, "every conv gets a folded bias")
        func output(_ w: WeightSource) throws -> [Float] {
            let plan = try ExecutionPlan(layout: model.layout, options: PlanOptions(threads: 1, weights: w))
            try plan.setInput(try NpyFile.read(Fixtures.path("input_tiny_inception_bn.npy")).values)
            _ = plan.runOnce(threads: 1)
            return plan.outputValues()
        }
        #expect(try output(.directory(dir)) == output(.memory(model.weights)))
    }

    /// An edited layer (the explorer's width edit) no longer fits the model's weights: it gets
    /// generated ones and the rest of the network still plans and runs.
    @Test func editedLayerFallsBackToGeneratedWeights() throws {
        let model = try Fixtures.importModel("tiny_inception_bn.onnx")
        var layout = model.layout
        guard case .conv(var stem) = layout.layers[0].op else { Issue.record("no stem conv"); return }
        stem.out = 24
        layout.layers[0].op = .conv(stem)
        let spec = try #require(WeightSpec.all(in: layout).first { $0.path == "stem" })
        #expect(try model.weights.inferenceWeights(for: spec) == nil)
        let kept = try #require(WeightSpec.all(in: layout).first { $0.path == "fc" })
        #expect(try model.weights.inferenceWeights(for: kept)?.weight == model.weights.layers["fc"]?.weight)
        _ = try ExecutionPlan(layout: layout, options: PlanOptions(threads: 1, weights: .memory(model.weights)))
    }
}
