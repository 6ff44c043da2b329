import ConvEngine
import Foundation
import InceptionCore
import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionRuntime

/// Issue 22: the family's ops planned on the fast engine ops (depthwise, grouped, the fused residual
/// epilogue, channel affine, sum), each against the plain reference forward pass within 1e-5 of
/// the output's scale per conv, and the algorithm cache keeping their shapes apart.
final class FusedPlanTests: XCTestCase {
    let weights = WeightSource.generated(seed: 42)
    /// The per-layer bound (`AlgorithmChooser.errorBound`): each planned conv against its reference.
    let perConv = 1e-5

    func compare(
        _ layout: Layout, path: String = "", batch: Int = 2, threads: Int = 2, bound: Double,
        algorithm: AlgorithmPolicy = .direct, file: StaticString = #filePath, line: UInt = #line
    ) throws
        -> ExecutionPlan
    {
        let r = try runBesideReference(
            layout, path: path, batch: batch, threads: threads, weights: weights, algorithm: algorithm)
        XCTAssertLessThanOrEqual(
            r.error, bound, "\(layout.name) \(path) \(algorithm): max relative error \(r.error)",
            file: file, line: line)
        return r.plan
    }

    static func conv(
        _ out: Int, _ k: Pair, stride: Pair = Pair(1, 1), pad: Padding = .explicit(Pair(0, 0)),
        groups: Int = 1, activation: InceptionCore.Activation = .relu, name: String? = nil
    ) -> Layer {
        Layer(
            name: name,
            .conv(Conv(out: out, kernel: k, stride: stride, pad: pad, activation: activation, groups: groups)))
    }

    /// Residual blocks: identity + 1×1 → scaled 3×3 with ReLU after the sum (Inception-ResNet's
    /// shape, its 3×3 a Winograd candidate), projection 1×1 stride 2 + a branch
    /// ending in a pool (Xception's stride-2 blocks: the projection conv takes the fused sum), and
    /// the last block8's scale 1 without activation after two convs.
    static let residualBlocks = Layout(
        name: "residual-blocks", input: Shape(20, 9, 9),
        layers: [
            Layer(
                name: "a",
                .block(
                    Block(
                        branches: [
                            Branch(name: "shortcut", layers: []),
                            Branch(
                                name: "conv", scale: 0.17,
                                layers: [conv(12, Pair(1, 1)), conv(20, Pair(3, 3), pad: .same, activation: .none)]),
                        ], join: .sum(activation: .relu)))),
            Layer(
                name: "b",
                .block(
                    Block(
                        branches: [
                            Branch(
                                name: "main",
                                layers: [
                                    conv(24, Pair(3, 3), pad: .same, groups: 4),
                                    Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1)))),
                                ]),
                            Branch(name: "skip", layers: [conv(24, Pair(1, 1), stride: Pair(2, 2), activation: .none)]),
                        ], join: .sum(activation: .none)))),
            Layer(
                name: "c",
                .block(
                    Block(
                        branches: [
                            Branch(name: "shortcut", layers: []),
                            Branch(
                                name: "conv", layers: [conv(12, Pair(1, 1)), conv(24, Pair(1, 1), activation: .none)]),
                        ], join: .sum(activation: .none)))),
        ])

    func testResidualBranchEndsInAFusedConvWithinThePerConvBound() throws {
        XCTAssertTrue(Analysis(Self.residualBlocks).isValid, "\(Analysis(Self.residualBlocks).errors)")
        for path in ["a/conv/0", "a", "b/main/0", "c"] {
            _ = try compare(Self.residualBlocks, path: path, bound: perConv)
        }
        // Block b: the grouped conv and the pool before the fused conv, each one op.
        let plan = try compare(Self.residualBlocks, path: "b", bound: perConv)
        XCTAssertEqual(plan.plannedOps.map(\.kind), ["gconv", "maxpool", "conv+sum"])
        XCTAssertEqual(plan.plannedOps.map(\.path), ["b/main/0", "b/main/1", "b/skip/0"])
        let whole = try compare(Self.residualBlocks, bound: 1e-4)
        XCTAssertEqual(
            whole.plannedOps.map(\.kind), ["conv", "conv+sum", "gconv", "maxpool", "conv+sum", "conv", "conv+sum"],
            "no sum step: each block's sum is inside a conv")
        XCTAssertEqual(whole.ops.filter { ($0 as? Conv2DOp)?.residual != nil }.count, 3)
        _ = try compare(Self.residualBlocks, batch: 1, threads: 1, bound: 1e-4)
    }

    /// A 3×3 stride-1 conv ending a residual branch keeps Winograd (with the fused shortcut) and
    /// the bound.
    func testWinogradInsideAResidualBranch() throws {
        let plan = try compare(Self.residualBlocks, path: "a", bound: perConv, algorithm: .winograd)
        XCTAssertEqual(plan.plannedOps.map(\.kind), ["conv", "conv+sum"])
        XCTAssertEqual(plan.plannedOps.last?.algorithm?.isWinograd, true, "\(plan.plannedOps)")
        XCTAssertNotNil((plan.ops.last as? WinogradConvOp)?.residual)
    }

    /// Sums that cannot be fused stay a `SumOp`: three branches, a shortcut branch with a scale of
    /// its own, a branch ending in a conv with its own ReLU, and a conv reading the block input
    /// when the shortcut is that input too.
    func testUnfusableSumsRunOnSumOp() throws {
        let layout = Layout(
            name: "unfused", input: Shape(16, 7, 7),
            layers: [
                Layer(
                    name: "three",
                    .block(
                        Block(
                            branches: [
                                Branch(layers: []),
                                Branch(
                                    scale: 0.1,
                                    layers: [
                                        Self.conv(8, Pair(1, 1)),
                                        Self.conv(16, Pair(3, 3), pad: .same, activation: .none),
                                    ]),
                                Branch(scale: -0.5, layers: [Self.conv(16, Pair(1, 1), activation: .none)]),
                            ], join: .sum(activation: .relu)))),
                Layer(
                    name: "scaled",
                    .block(
                        Block(
                            branches: [
                                Branch(scale: 0.5, layers: []),
                                Branch(layers: [Self.conv(8, Pair(1, 1)), Self.conv(16, Pair(1, 1), activation: .none)]
                                ),
                            ], join: .sum(activation: .none)))),
                Layer(
                    name: "relu",
                    .block(
                        Block(
                            branches: [
                                Branch(layers: []),
                                Branch(layers: [Self.conv(16, Pair(3, 3), pad: .same)]),
                            ], join: .sum(activation: .none)))),
                Layer(
                    name: "same",
                    .block(
                        Block(
                            branches: [
                                Branch(layers: []),
                                Branch(layers: [Self.conv(16, Pair(1, 1), activation: .none)]),
                            ], join: .sum(activation: .relu)))),
            ])
        XCTAssertTrue(Analysis(layout).isValid, "\(Analysis(layout).errors)")
        let plan = try compare(layout, bound: 1e-4)
        XCTAssertEqual(plan.plannedOps.filter { $0.kind == "sum" }.map(\.path), ["three", "scaled", "relu", "same"])
        XCTAssertEqual(plan.ops.filter { $0 is SumOp }.count, 4)
        for path in ["three", "scaled", "relu", "same"] { _ = try compare(layout, path: path, bound: perConv) }
    }

    /// Depthwise convs (3×3 stride 1 and 2, 1×11 / 11×1 as InceptionNeXt's, 5×5) run on
    /// `DepthwiseConvOp`, a grouped conv on `GroupedDirectConvOp`, a standalone batchnorm on
    /// `ChannelAffineOp` (the ReLU after it runs inside the next depthwise conv, `relu+dwconv`; planned
    /// alone, on `ChannelAffineOp` too); each layer alone within the per-conv bound.
    func testDepthwiseGroupedAndAffineLayersRunOnTheFastOps() throws {
        let layout = Layout(
            name: "separable", input: Shape(40, 13, 13),
            layers: [
                Self.conv(40, Pair(3, 3), pad: .same, groups: 40, activation: .none, name: "dw3"),
                Layer(name: "bn", .batchnorm(epsilon: 1e-3)),
                Layer(name: "relu", .relu),
                Self.conv(40, Pair(3, 3), stride: Pair(2, 2), pad: .explicit(Pair(1, 1)), groups: 40, name: "dw3s2"),
                Self.conv(40, Pair(1, 11), pad: .same, groups: 40, activation: .none, name: "dw1x11"),
                Self.conv(40, Pair(11, 1), pad: .same, groups: 40, name: "dw11x1"),
                Self.conv(40, Pair(5, 5), pad: .same, groups: 40, name: "dw5"),
                Self.conv(48, Pair(3, 3), pad: .same, groups: 8, name: "g8"),
                Self.conv(32, Pair(1, 1), name: "pw"),
            ])
        XCTAssertTrue(Analysis(layout).isValid, "\(Analysis(layout).errors)")
        let plan = try compare(layout, bound: 1e-4)
        XCTAssertEqual(
            plan.plannedOps.map(\.kind),
            ["dwconv", "batchnorm", "relu+dwconv", "dwconv", "dwconv", "dwconv", "gconv", "conv"])
        XCTAssertEqual(plan.ops.filter { $0 is DepthwiseConvOp }.count, 5)
        XCTAssertEqual(plan.ops.filter { $0 is GroupedDirectConvOp }.count, 1)
        XCTAssertEqual(plan.ops.filter { $0 is ChannelAffineOp }.count, 1)
        XCTAssertFalse(plan.ops.contains { $0 is GroupedConvOp || $0 is ScaledSumOp }, "no reference-grade op planned")
        for path in ["dw3", "bn", "relu", "dw3s2", "dw1x11", "dw11x1", "dw5", "g8"] {
            _ = try compare(layout, path: path, bound: perConv)
        }
    }

    /// The cache key of a conv names its groups, its activation and a fused residual, so no two of
    /// these shapes share a cached choice; a plain conv's key is the one caches already hold.
    func testCacheKeysKeepGroupsAndEpiloguesApart() {
        let shape = TensorShape(n: 1, c: 32, h: 17, w: 17)
        func key(groups: Int = 1, activation: ConvEngine.Activation = .relu, residual: Bool = false) -> String {
            AlgorithmCache.key(
                threads: 2, shape: shape, outChannels: 32, kernelH: 3, kernelW: 3,
                params: ConvParams(pad: Padding2D(h: 1, w: 1), activation: activation),
                groups: groups, residual: residual)
        }
        let keys = [
            key(), key(groups: 2), key(groups: 32), key(activation: .none), key(activation: .gelu),
            key(residual: true), key(activation: .none, residual: true), key(groups: 2, residual: true),
        ]
        XCTAssertEqual(Set(keys).count, keys.count, "\(keys)")
        XCTAssertTrue(
            key().hasSuffix(
                " / conv 3x3 s1x1 pad 1,1,1,1 relu 1x32x17x17 > 32" + (isDebugBuild ? " / debug build" : "")),
            key())
    }
}
