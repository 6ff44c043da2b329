import ConvEngine
import Foundation
import InceptionCore
import InceptionWeights
import XCTest

@testable import InceptionRuntime

/// Issue 22: the layers a conv's step computes besides the conv (`ProgramBuilder.convFusions`) —
/// a batchnorm before a 1×1 conv and a layer scale after a conv folded into its weights, a GELU
/// after it as its epilogue — each checked against the plain reference forward pass (which runs
/// every layer as its own step) within 1e-5 of the output's scale, and each shown not to fire
/// where it would be wrong.
final class ConvFusionTests: XCTestCase {
    let bound = 1e-5

    /// Batchnorm statistics and layer scales that are not the identity (generated weights give
    /// γ = 1, β = 0, mean 0, var 1, which would hide a dropped or misplaced fold); γ of both signs.
    /// Every conv's weights are the generated ones (seed 0, `WeightSource.memory`'s fallback).
    static func weights(_ layout: Layout) -> WeightSource {
        var layers: [String: ModelWeights.Entry] = [:]
        for spec in WeightSpec.all(in: layout) {
            switch spec.kind {
            case .batchnorm(let c, let eps):
                let bn = ModelWeights.BatchNormValues(
                    gamma: (0..<c).map { 0.5 + 0.1 * Float($0 % 7) }, beta: (0..<c).map { 0.3 * sin(Float($0)) },
                    mean: (0..<c).map { 0.05 * Float($0) - 0.4 }, variance: (0..<c).map { 0.5 + 0.03 * Float($0) },
                    epsilon: eps)
                layers[spec.path] = .init(
                    weightShape: [c], weight: .init(repeating: 1, count: c), bias: nil, batchNorm: bn)
            case .layerscale(let c):
                layers[spec.path] = .init(weightShape: [c], weight: (0..<c).map { cos(1.3 * Float($0)) }, bias: nil)
            default: break
            }
        }
        return .memory(ModelWeights(origin: "test", layers: layers))
    }

    /// Plans `layout` (or its node `path`), runs it and compares with the reference forward pass.
    func compare(
        _ layout: Layout, path: String = "", batch: Int = 2, threads: Int = 2,
        onWeights: ((WeightSpec, LayerWeights) throws -> Void)? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> ExecutionPlan {
        XCTAssertTrue(Analysis(layout).isValid, "\(Analysis(layout).errors)", file: file, line: line)
        let r = try runBesideReference(
            layout, path: path, batch: batch, threads: threads, weights: Self.weights(layout), onWeights: onWeights)
        XCTAssertLessThanOrEqual(
            r.error, bound, "\(layout.name) \(path): max relative error \(r.error)", file: file, line: line)
        return r.plan
    }

    static func conv(
        _ out: Int, _ k: Pair, stride: Pair = Pair(1, 1), pad: Padding = .explicit(Pair(0, 0)), groups: Int = 1,
        activation: InceptionCore.Activation = .none, name: String? = nil
    ) -> Layer {
        Layer(
            name: name,
            .conv(Conv(out: out, kernel: k, stride: stride, pad: pad, activation: activation, groups: groups)))
    }

    static func residual(_ name: String, _ main: [Layer], activation: InceptionCore.Activation = .none) -> Layer {
        Layer(
            name: name,
            .block(
                Block(
                    branches: [Branch(name: "shortcut", layers: []), Branch(name: "main", layers: main)],
                    join: .sum(activation: activation))))
    }

    /// An InceptionNeXt block as the ONNX import gives it (C = 64, token mixer on 16-channel
    /// slices): identity + [split token mixer, batchnorm, fc1 1×1 C→4C, gelu, fc2 1×1 4C→C, γ].
    static func inceptionNeXtBlock(_ name: String, channels c: Int = 64) -> Layer {
        let g = c / 4
        let mixer = Layer(
            name: "token_mixer",
            .block(
                Block(
                    branches: [
                        Branch(name: "id", layers: []),
                        Branch(name: "hw", layers: [conv(g, Pair(3, 3), pad: .same, groups: g)]),
                        Branch(name: "w", layers: [conv(g, Pair(1, 11), pad: .same, groups: g)]),
                        Branch(name: "h", layers: [conv(g, Pair(11, 1), pad: .same, groups: g)]),
                    ], join: .split(sizes: [c - 3 * g, g, g, g]))))
        return residual(
            name,
            [
                mixer, Layer(name: "norm", .batchnorm(epsilon: 1e-5)), conv(4 * c, Pair(1, 1), name: "fc1"),
                Layer(name: "act", .gelu), conv(c, Pair(1, 1), name: "fc2"), Layer(name: "gamma", .layerscale),
            ])
    }

    /// All three fusions in one InceptionNeXt block: the batchnorm and γ vanish into the convs'
    /// weights, GELU into fc1's epilogue, the sum into fc2 — two conv steps where there were six
    /// (batchnorm, fc1, gelu, fc2, layerscale, sum), and no buffer for their intermediates but fc1's.
    func testInceptionNeXtBlockRunsBatchnormGeluLayerScaleAndSumInsideItsTwoConvs() throws {
        let layout = Layout(name: "next", input: Shape(64, 9, 9), layers: [Self.inceptionNeXtBlock("b0")])
        var handed: [String] = []
        let plan = try compare(layout, onWeights: { spec, _ in handed.append(spec.path) })
        XCTAssertEqual(plan.plannedOps.map(\.kind), ["copy", "dwconv", "dwconv", "dwconv", "conv+gelu", "conv+sum"])
        XCTAssertEqual(plan.plannedOps.suffix(2).map(\.path), ["b0/main/fc1", "b0/main/fc2"])
        XCTAssertFalse(plan.ops.contains { $0 is ChannelAffineOp || $0 is SumOp }, "\(plan.plannedOps.map(\.kind))")
        XCTAssertNotNil((plan.ops.last as? Conv2DOp)?.residual)
        // The folded layers' own weights are still handed out as theirs (`run --save` writes them).
        XCTAssertEqual(
            handed.filter { ["b0/main/norm", "b0/main/gamma", "b0/main/fc1", "b0/main/fc2"].contains($0) }.sorted(),
            ["b0/main/fc1", "b0/main/fc2", "b0/main/gamma", "b0/main/norm"])
        // One thread, one image, and the block planned on its own: the same.
        _ = try compare(layout, batch: 1, threads: 1)
        let block = try compare(layout, path: "b0")
        XCTAssertEqual(block.branches.map(\.path), ["b0/shortcut", "b0/main"])
        XCTAssertEqual(block.branches.last?.ops, 0..<6, "the main branch's steps, timed as one")
    }

    /// A weights directory must still hold the folded layers' own files: a missing batchnorm file
    /// fails the plan naming it, as it did when the batchnorm was a step of its own.
    func testFoldedBatchnormStillNeedsItsFileInAWeightsDirectory() throws {
        let layout = Layout(
            name: "bnconv", input: Shape(16, 5, 5),
            layers: [Layer(name: "bn", .batchnorm(epsilon: 1e-5)), Self.conv(8, Pair(1, 1), name: "pw")])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conv-fusion-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard case .memory(let model) = Self.weights(layout) else { return XCTFail("not in memory") }
        _ = try model.writeDirectory(dir, for: layout)
        for spec in WeightSpec.all(in: layout) where spec.path == "pw" {
            let w = try WeightSource.generated(seed: 0).weights(for: spec)
            try NpyFile.write(dir + "/" + spec.weightFile, shape: w.weightShape, values: w.weight)
            try NpyFile.write(dir + "/" + spec.biasFile, shape: [spec.outputs], values: w.bias ?? [])
        }
        let options = PlanOptions(batch: 1, threads: 1, weights: .directory(dir))
        let plan = try ExecutionPlan(layout: layout, options: options)
        XCTAssertEqual(plan.plannedOps.map(\.kind), ["conv"])
        try FileManager.default.removeItem(atPath: dir + "/bn.weight.npy")
        XCTAssertThrowsError(try ExecutionPlan(layout: layout, options: options)) { error in
            XCTAssertTrue("\(error)".contains("bn.weight.npy"), "\(error)")
        }
    }

    /// The GELU epilogue on the other convs it fits: a padded 3×3 conv reading a 3-channel image
    /// (which would otherwise read a compact copy of the image, a kernel with no GELU epilogue), a
    /// layer scale then GELU after a conv (both inside it), a 1×1 conv after a folded batchnorm.
    func testGeluAndLayerScaleFuseIntoOtherConvs() throws {
        let layout = Layout(
            name: "gelus", input: Shape(3, 12, 12),
            layers: [
                Self.conv(24, Pair(3, 3), pad: .same, name: "stem"), Layer(name: "g0", .gelu),
                Self.conv(32, Pair(3, 3), stride: Pair(2, 2), pad: .explicit(Pair(1, 1)), name: "down"),
                Layer(name: "s1", .layerscale), Layer(name: "g1", .gelu),
                Layer(name: "bn", .batchnorm(epsilon: 1e-3)), Self.conv(16, Pair(1, 1), name: "pw"),
                Layer(name: "s2", .layerscale),
                // InceptionNeXt's downsample: batchnorm, then a 2×2 stride-2 unpadded conv.
                Layer(name: "bn2", .batchnorm(epsilon: 1e-5)),
                Self.conv(24, Pair(2, 2), stride: Pair(2, 2), name: "ds"),
                // Concat branches whose last layer is folded: the conv writes the branch's slice.
                Layer(
                    name: "cat",
                    .block(
                        Block(
                            branches: [
                                Branch(name: "g", layers: [Self.conv(8, Pair(1, 1)), Layer(.gelu)]),
                                Branch(name: "s", layers: [Self.conv(12, Pair(1, 1)), Layer(.layerscale)]),
                            ], join: .concat))),
            ])
        let plan = try compare(layout)
        XCTAssertEqual(plan.plannedOps.map(\.kind), ["conv+gelu", "conv+gelu", "conv", "conv", "conv+gelu", "conv"])
        XCTAssertEqual(plan.plannedOps.map(\.path), ["stem", "down", "pw", "ds", "cat/g/0", "cat/s/0"])
        XCTAssertTrue(plan.ops.allSatisfy { $0 is Conv2DOp }, "\(plan.ops)")
        _ = try compare(layout, batch: 1, threads: 1)
        for path in ["stem", "g0", "down", "s1", "bn", "pw"] { _ = try compare(layout, path: path) }
    }

    /// Where a fold would be wrong or cannot be done, each layer keeps its step and the result is
    /// the reference's: GELU or γ after a conv with its own ReLU (GELU(ReLU(y)) ≠ GELU(y); γ < 0
    /// does not commute with ReLU); a batchnorm before a padded 3×3 conv (its shift would be added
    /// on the zero padding), a padded 1×1, a grouped 1×1; GELU after a conv that has a pool fused
    /// into it (`PooledConvOp` has no GELU epilogue); GELU after a depthwise conv; and a conv whose
    /// output is a block's (its reader is the join, the GELU after the block reads the join).
    func testFusionsDoNotFireWhereTheyMustNot() throws {
        let layout = Layout(
            name: "unfused", input: Shape(16, 10, 10),
            layers: [
                Self.conv(16, Pair(1, 1), activation: .relu, name: "relu1"), Layer(name: "g0", .gelu),
                Self.conv(16, Pair(1, 1), activation: .relu, name: "relu2"), Layer(name: "s0", .layerscale),
                Layer(name: "bn0", .batchnorm(epsilon: 1e-5)), Self.conv(16, Pair(3, 3), pad: .same, name: "pad3"),
                Layer(name: "bn1", .batchnorm(epsilon: 1e-5)),
                Self.conv(16, Pair(1, 1), pad: .explicit(Pair(1, 1)), name: "p1"),
                Layer(name: "bn2", .batchnorm(epsilon: 1e-5)), Self.conv(16, Pair(1, 1), groups: 2, name: "grouped"),
                Layer(name: "pool", .avgpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1)))),
                Self.conv(16, Pair(1, 1), name: "pooled"), Layer(name: "g1", .gelu),
                Self.conv(16, Pair(3, 3), pad: .same, groups: 16, name: "dw"), Layer(name: "gdw", .gelu),
                Layer(
                    name: "cat",
                    .block(
                        Block(
                            branches: [
                                Branch(name: "a", layers: [Self.conv(8, Pair(1, 1))]),
                                Branch(name: "b", layers: [Self.conv(8, Pair(1, 1))]),
                            ], join: .concat))),
                Layer(name: "g3", .gelu),
            ])
        let plan = try compare(layout)
        XCTAssertEqual(
            plan.plannedOps.map(\.kind),
            [
                "conv", "gelu", "conv", "layerscale", "batchnorm", "conv", "batchnorm", "conv", "batchnorm", "gconv",
                "avgpool+conv", "gelu", "dwconv", "gelu", "conv", "conv", "gelu",
            ])
        XCTAssertFalse(plan.plannedOps.contains { $0.kind.hasSuffix("+gelu") })
    }

    /// γ folds into the conv before it wherever that conv has no activation, but the sum join is
    /// computed by the conv only at the end of a two-branch sum: γ after a depthwise conv stays a
    /// step and the sum too; a layer scale that is not last (a conv after it) folds but leaves the
    /// sum to the last conv; a batchnorm + 1×1 conv that is the whole branch beside an identity
    /// folds, but that conv would then read its own shortcut (the block input), so the sum stays a
    /// step; a branch ending in conv + GELU keeps the sum (the GELU comes before the shortcut);
    /// three branches keep the sum step.
    func testLayerScaleAndSumFoldOnlyAtAResidualBranchEnd() throws {
        let layout = Layout(
            name: "scales", input: Shape(32, 8, 8),
            layers: [
                Self.residual(
                    "dw", [Self.conv(32, Pair(3, 3), pad: .same, groups: 32), Layer(name: "gamma", .layerscale)]),
                Self.residual(
                    "mid",
                    [
                        Self.conv(32, Pair(1, 1), name: "pw"), Layer(name: "gamma", .layerscale),
                        Self.conv(32, Pair(1, 1), name: "last"),
                    ]),
                Self.residual(
                    "bnonly", [Layer(name: "bn", .batchnorm(epsilon: 1e-5)), Self.conv(32, Pair(1, 1), name: "pw")]),
                // The branch ends in conv + GELU: act(x + GELU(conv)) is not a conv epilogue's order.
                Self.residual(
                    "gelu", [Self.conv(16, Pair(1, 1), name: "a"), Self.conv(32, Pair(1, 1), name: "b"), Layer(.gelu)]),
                Layer(
                    name: "three",
                    .block(
                        Block(
                            branches: [
                                Branch(layers: []), Branch(layers: []),
                                Branch(layers: [Self.conv(32, Pair(1, 1)), Layer(.layerscale)]),
                            ], join: .sum(activation: .none)))),
            ])
        let plan = try compare(layout)
        XCTAssertEqual(
            plan.plannedOps.map(\.kind),
            [
                "dwconv", "layerscale", "sum", "conv", "conv+sum", "conv", "sum", "conv", "conv+gelu", "sum", "conv",
                "sum",
            ])
        XCTAssertEqual(plan.plannedOps[3].path, "mid/main/pw")
        for path in ["dw", "mid", "bnonly", "gelu", "three"] { _ = try compare(layout, path: path) }
    }
}
