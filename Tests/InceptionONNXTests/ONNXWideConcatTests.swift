import Foundation
import InceptionCore
import Testing

@testable import InceptionONNX

/// Issue 19, item 7: one Concat of N lone pool branches imported in time quadratic in N (0.5 s at
/// 10k, 28 s at 100k in release): the block-root search stepped the deepest of N heads, found by a
/// scan, N times, and grouping the branches scanned every group for each. The walk's work is
/// counted (`GraphWalker.walkWork`), so linearity is checked without a clock.
struct ONNXWideConcatTests {
    /// `branches` MaxPools (1×1) of a 1×1×2×2 input "x", joined by one Concat.
    static func wideModel(branches: Int) throws -> [UInt8] {
        var g = Onnx_GraphProto()
        var kernel = Onnx_AttributeProto()
        kernel.name = "kernel_shape"
        kernel.type = .ints
        kernel.ints = [1, 1]
        for i in 0..<branches {
            var pool = Onnx_NodeProto()
            pool.opType = "MaxPool"
            pool.name = "/b\(i)/MaxPool"
            pool.input = ["x"]
            pool.output = ["p\(i)"]
            pool.attribute = [kernel]
            g.node.append(pool)
        }
        var axis = Onnx_AttributeProto()
        axis.name = "axis"
        axis.type = .int
        axis.i = 1
        var cat = Onnx_NodeProto()
        cat.opType = "Concat"
        cat.name = "/cat/Concat"
        cat.input = (0..<branches).map { "p\($0)" }
        cat.output = ["y"]
        cat.attribute = [axis]
        g.node.append(cat)
        return try Fixtures.serialized(g, input: [1, 1, 2, 2], output: "y")
    }

    /// The walk's work for `branches` branches, and the layout.
    static func importCounting(branches: Int) throws -> (work: Int, layout: Layout) {
        let counter = ONNXImporter.ByteCounter()
        let bytes = try wideModel(branches: branches)
        let model = try ONNXImporter.$walkWork.withValue(counter) {
            try ONNXImporter.importModel(bytes, file: "wide.onnx")
        }
        return (counter.bytes, model.layout)
    }

    /// At most 4 tensors looked at per branch (finding the root looks at each input twice, grouping
    /// once), at 1,000 and at 8,000 branches alike: the old search looked at every head for each
    /// step, N²/2 — 500,000 and 32,000,000 here.
    @Test func theWalkIsLinearInAConcatsInputs() throws {
        for branches in [1_000, 8_000] {
            let (work, layout) = try Self.importCounting(branches: branches)
            #expect(work >= branches && work <= 4 * branches, "\(branches) branches: \(work) tensors looked at")
            guard case .block(let block) = layout.layers.first?.op, case let bs = block.branches else {
                Issue.record("no block")
                continue
            }
            #expect(bs.count == branches)
        }
    }

    /// 100k lone pool branches (QA's size) import and give 100,000 channels; each branch keeps its
    /// scope's name.
    @Test func aHundredThousandBranchesImport() throws {
        let (work, layout) = try Self.importCounting(branches: 100_000)
        #expect(work <= 400_000)
        #expect(Analysis(layout).output == Shape(100_000, 2, 2))
        guard case .block(let block) = layout.layers.first?.op, case let bs = block.branches else {
            Issue.record("no block")
            return
        }
        #expect(bs.first?.name == "b0")
        #expect(bs.last?.name == "b99999")
    }
}
