import Foundation
import InceptionCore
import Testing

@testable import InceptionONNX

/// Issue 24 item 1: timm inception_v4's names (Fixtures/timm_v4_names.onnx, made by
/// make_timm_names.py from timm's own ConvNormAct and copies of its blocks at toy widths). Every node
/// is named from the scope parts below its ancestors', so the network's top scope `features` never
/// names a branch's layer, and InceptionC's torch.cat inside a branch is named for the modules it joins.
@Suite struct ONNXTimmNamesTests {
    private func paths() throws -> [String] {
        try Fixtures.importModel("timm_v4_names.onnx").layout.allNodes().map(\.path)
    }

    /// `/features/features.2/branch0/conv/Conv`: block features.2 › branch branch0 › layer conv (was
    /// `features.2/branch0/features`). A Mixed3a branch that is one module (`maxpool`, a MaxPool2d)
    /// has no scope left for its layer, which takes its index, as v3's functional pools do; the
    /// ConvNormAct named `conv` keeps its own `conv` under the branch of the same name.
    @Test func aBranchsOnlyLayerIsNamedBelowTheBranch() throws {
        let all = Set(try paths())
        for p in [
            "features.2/branch0/conv", "features.4/branch0/conv", "features.5/branch0/conv",
            "features.1/maxpool/0", "features.1/conv/conv", "features.5/branch2/0", "features.6/branch0/conv",
        ] {
            #expect(all.contains(p), "\(p)")
        }
        #expect(
            !all.contains { $0.hasSuffix("/features") }, "no node below the top is named for the network's top scope")
    }

    /// InceptionC: branch1 = branch1_0 then torch.cat(branch1_1a, branch1_1b); the branch takes the
    /// common start of its modules (`branch1`), the inner block theirs (`branch1_1`), not `features`
    /// or an index beside `branch2_0`.
    @Test func inceptionCNamesItsSplitsByTheirModules() throws {
        let layout = try Fixtures.importModel("timm_v4_names.onnx").layout
        let c = try #require(layout.layer("features.6")?.op.block)
        #expect(c.branches.map(\.name) == ["branch0", "branch1", "branch2", "branch3"])
        #expect(c.branches[1].layers.map(\.name) == ["branch1_0", "branch1_1"])
        #expect(c.branches[2].layers.map(\.name) == ["branch2_0", "branch2_1", "branch2_2", "branch2_3"])
        #expect(
            layout.layer("features.6/branch1/branch1_1")?.op.block?.branches.map(\.name) == [
                "branch1_1a", "branch1_1b",
            ])
        #expect(layout.layer("features.6/branch2/branch2_3/branch2_3b/conv")?.op.kind == .conv)
        #expect(layout.layer("features.6/branch3/branch3.0")?.op.kind == .avgpool)
    }

    /// The whole list of top-level names, and the weights stored under the new paths.
    @Test func topLevelNamesAndWeightPaths() throws {
        let model = try Fixtures.importModel("timm_v4_names.onnx")
        #expect(
            model.layout.layers.map(\.name) == [
                "features.0", "features.1", "features.2", "features.3", "features.4",
                "features.5", "features.6", "global_pool", "last_linear",
            ])
        let convs = model.layout.allNodes().filter {
            if case .layer(let l) = $0.node { return l.op.kind == .conv } else { return false }
        }
        // 1 stem + 1 (Mixed3a) + 3 x 7 (InceptionA: 1 + 2 + 3 + 1) + 4 (ReductionA) + 10 (InceptionC) convs.
        #expect(convs.count == 1 + 1 + 21 + 4 + 10)
        for c in convs { #expect(model.weights.layers[c.path] != nil, "\(c.path) has its weights") }
    }
}
