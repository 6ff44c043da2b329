import ConvEngine
import Foundation
import InceptionCore
import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionRuntime

/// Node selection, the memory budget, buffer sharing and the weights directory.
final class PlanSetupTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("plan")
    }
    override func tearDown() { tmp?.remove() }

    func googlenet() throws -> Layout { try LayoutSource.load("builtin:googlenet").layout }

    func testUnknownPathListsTheClosestPaths() throws {
        XCTAssertThrowsError(try ExecutionPlan(layout: googlenet(), options: PlanOptions(path: "inception_3x"))) { e in
            let text = "\(e)"
            XCTAssertTrue(
                text.hasPrefix("no node \"inception_3x\" in GoogLeNet (closest: inception_3a, inception_3b"), text)
        }
    }

    func testInvalidLayoutIsRefusedWithItsLocatedError() throws {
        var layout = TestLayouts.ops
        layout.layers[0] = Layer(name: "c1", .conv(Conv(out: 7, kernel: Pair(31, 31))))
        XCTAssertThrowsError(try ExecutionPlan(layout: layout, options: PlanOptions())) { e in
            XCTAssertTrue("\(e)".contains("c1: kernel 31x31 is larger than the padded input"), "\(e)")
        }
        // A node upstream of the problem still runs.
        var tail = TestLayouts.ops
        tail.layers[10] = Layer(name: "prob", .conv(Conv(out: 1, kernel: Pair(9, 9))))
        XCTAssertNoThrow(try ExecutionPlan(layout: tail, options: PlanOptions(path: "c3")))
    }

    func testMemoryBudgetRefusesWithTheEstimate() throws {
        XCTAssertThrowsError(
            try ExecutionPlan(layout: googlenet(), options: PlanOptions(batch: 64, maxMemoryBytes: 100 << 20))
        ) { e in
            let text = "\(e)"
            XCTAssertTrue(text.hasPrefix("GoogLeNet at batch 64 needs about "), text)
            XCTAssertTrue(text.contains("over the memory budget of 100.0 MiB (raise it with --max-memory BYTES"), text)
        }
    }

    /// Buffers share tensors only when lifetimes are disjoint, shapes equal and neither is pinned;
    /// on GoogLeNet sharing saves activation memory.
    func testBufferSharingRespectsLifetimes() throws {
        var builder = ProgramBuilder(layout: try googlenet(), batch: 1, includeAux: false)
        try builder.build(try builder.resolve(""))
        let program = builder.program
        let (slotOf, slots) = program.assignSlots()
        let uses = program.branchUses()
        let branchBlock = program.blocks.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element.count) }
        for a in program.buffers.indices {
            for b in program.buffers.indices where a < b && slotOf[a] == slotOf[b] {
                let (x, y) = (program.buffers[a], program.buffers[b])
                XCTAssertEqual(x.shape, y.shape)
                XCTAssertFalse(x.pinned || y.pinned)
                XCTAssertTrue(x.lastUse < y.firstUse || y.lastUse < x.firstUse, "buffers \(a) and \(b) overlap")
                XCTAssertFalse(
                    program.inDifferentBranches(uses[a], uses[b], branchBlock: branchBlock),
                    "buffers \(a) and \(b) belong to concurrent branches")
            }
        }
        XCTAssertLessThan(slots.count, program.buffers.count)
        let m = program.estimate(threads: 2)
        XCTAssertLessThan(m.activationBytes, m.unsharedActivationBytes)
        // The largest activation: conv1's 64x112x112 floats (and the 3-channel input padded to 16).
        XCTAssertEqual(m.largestActivationBytes, 64 * 112 * 112 * 4)
        // Packed weights ≥ the 5,976,424 inference-path weights and biases of the shipped layout.
        XCTAssertGreaterThan(m.weightBytes, 5_976_424 * 4 / 2)
    }

    /// A block's branches run concurrently, so no two of its buffers may share a tensor even when
    /// their one-by-one lifetimes are disjoint: in `mix`, branch c's max pool and branch d's avg pool
    /// both produce 19x9x9 and would otherwise share one (unfused: fused, the pools have no buffers).
    func testBlockBuffersAreNotSharedWithinTheBlock() throws {
        var builder = ProgramBuilder(layout: TestLayouts.blocks, batch: 1, includeAux: false, fusePools: false)
        try builder.build(try builder.resolve("mix"))
        let program = builder.program
        let pools = program.buffers.indices.filter { program.buffers[$0].shape == TensorShape(n: 1, c: 19, h: 9, w: 9) }
        XCTAssertEqual(pools.count, 3, "the block input and the two pool outputs")
        let (slotOf, _) = program.assignSlots()
        XCTAssertEqual(Set(pools.map { slotOf[$0] }).count, 3)
    }

    /// Inside one branch (a chain) buffers still share: Inception-v3 Mixed_6b's 7x7dbl branch has four
    /// 128x17x17 intermediates, two live at a time; the 7x7 branch has two more, which must not share
    /// with the 7x7dbl ones (branches run concurrently). So 4 tensors hold those 6 buffers.
    func testBuffersOfOneBranchShare() throws {
        var builder = ProgramBuilder(
            layout: try LayoutSource.load("builtin:inception-v3").layout, batch: 1, includeAux: false)
        try builder.build(try builder.resolve("Mixed_6b"))
        let program = builder.program
        let mids = program.buffers.indices.filter {
            program.buffers[$0].shape == TensorShape(n: 1, c: 128, h: 17, w: 17)
        }
        XCTAssertEqual(mids.count, 6)
        let (slotOf, _) = program.assignSlots()
        XCTAssertEqual(Set(mids.map { slotOf[$0] }).count, 4)
    }

    func testSavedWeightsLoadBackToTheSameOutput() throws {
        let layout = TestLayouts.blocks
        var saved: [String] = []
        let pool = ThreadPool(threads: 2)
        defer { pool.shutdown() }
        let a = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 1, weights: .generated(seed: 3))) {
            spec, w in
            try NpyFile.write(
                self.dir.appendingPathComponent(spec.weightFile).path, shape: w.weightShape, values: w.weight)
            if let b = w.bias {
                try NpyFile.write(self.dir.appendingPathComponent(spec.biasFile).path, shape: [b.count], values: b)
            }
            saved.append(spec.fileStem)
        }
        XCTAssertTrue(saved.contains("mix.e.1.3x1.0"), "\(saved)")
        // Batchnorm convs without a bias still get a bias file (the folded shift).
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("mix.e.0.bias.npy").path))
        let input = seededInput(a.input.shape.count)
        try a.setInput(input)
        a.run(pool)
        let b = try ExecutionPlan(layout: layout, options: PlanOptions(batch: 1, weights: .directory(dir.path)))
        try b.setInput(input)
        b.run(pool)
        XCTAssertEqual(a.outputValues(), b.outputValues())
    }

    func testBadWeightsDirectoryNamesTheFileAndExpectedShape() throws {
        let layout = TestLayouts.blocks
        let missing = PlanOptions(path: "mix", weights: .directory(dir.path))
        XCTAssertThrowsError(try ExecutionPlan(layout: layout, options: missing)) { e in
            XCTAssertEqual(
                "\(e)", "\(self.dir.path)/mix.a.0.weight.npy: no such file (expected float32 [5, 19, 1, 1] for mix/a/0)"
            )
        }
        // Write all of mix's files, then break one's shape.
        _ = try ExecutionPlan(layout: layout, options: PlanOptions(path: "mix")) { spec, w in
            try NpyFile.write(
                self.dir.appendingPathComponent(spec.weightFile).path, shape: w.weightShape, values: w.weight)
            if let b = w.bias {
                try NpyFile.write(self.dir.appendingPathComponent(spec.biasFile).path, shape: [b.count], values: b)
            }
        }
        XCTAssertNoThrow(try ExecutionPlan(layout: layout, options: missing))
        try NpyFile.write(
            dir.appendingPathComponent("mix.b.1.weight.npy").path, shape: [11, 7, 3],
            values: [Float](repeating: 0, count: 231))
        XCTAssertThrowsError(try ExecutionPlan(layout: layout, options: missing)) { e in
            XCTAssertEqual("\(e)", "\(self.dir.path)/mix.b.1.weight.npy: shape [11, 7, 3], expected [11, 7, 3, 3]")
        }
        XCTAssertThrowsError(
            try ExecutionPlan(layout: layout, options: PlanOptions(weights: .directory(dir.path + "/nope")))
        ) { e in
            XCTAssertTrue("\(e)".hasSuffix("/nope: no such weights directory"), "\(e)")
        }
    }

    func testGeneratedWeightsAreHeNormalAndPerLayerDeterministic() throws {
        let spec = WeightSpec(path: "x/1", kind: .conv(Conv(out: 64, kernel: Pair(3, 3)), inChannels: 96))
        let w = try WeightSource.generated(seed: 1).weights(for: spec)
        XCTAssertEqual(w.weightShape, [64, 96, 3, 3])
        // He et al. 2015: std = sqrt(2 / fan_in), fan_in = 96·3·3 = 864 → 0.0481; 55,296 draws.
        let mean = w.weight.reduce(0, +) / Float(w.weight.count)
        let std = (w.weight.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(w.weight.count)).squareRoot()
        XCTAssertEqual(Double(std), (2.0 / 864).squareRoot(), accuracy: 0.001)
        XCTAssertEqual(Double(mean), 0, accuracy: 0.001)
        XCTAssertEqual(try WeightSource.generated(seed: 1).weights(for: spec).weight, w.weight)
        XCTAssertNotEqual(try WeightSource.generated(seed: 2).weights(for: spec).weight, w.weight)
        let other = WeightSpec(path: "x/2", kind: spec.kind)
        XCTAssertNotEqual(try WeightSource.generated(seed: 1).weights(for: other).weight, w.weight)
    }
}
