import Foundation
import InceptionCore
import InceptionRuntime
import InceptionWeights
import TestSupport
import Testing

@testable import InceptionONNX

/// Models that do not map: one line naming the file and the node, never a crash.
@Suite struct ONNXImportErrorTests {
    @Test(arguments: [
        ("bad_sigmoid.onnx", "node \"gate7\" (Sigmoid): unsupported op (no layer maps it)"),
        (
            "bad_asym_pads.onnx",
            "node \"conv_asym\" (Conv): asymmetric pads [0, 0, 1, 1] (top, left, bottom, right) do not map; the layout pads both sides alike"
        ),
        (
            "bad_concat_axis.onnx",
            "node \"join_h\" (Concat): concatenates on axis 2; only the channel axis (1) maps to an inception block"
        ),
        (
            "bad_nonadjacent.onnx",
            "node \"join\" (Concat): inputs 0 and 2 both read \"s\" but are not adjacent; a block cannot keep this channel order"
        ),
        ("bad_shapes.onnx", "node \"conv_in3\" (Conv): weight reads 3 input channels, but its input has 4 (4x8x8)"),
        (
            "bad_same_upper.onnx",
            "node \"conv_same\" (Conv): auto_pad SAME_UPPER needs 1 pad in total along an axis of 8 here, one side more than the other; asymmetric pads do not map"
        ),
    ])
    func refusedWithOneLine(_ file: String, _ message: String) throws {
        let path = Fixtures.path(file)
        #expect(throws: ONNXImportError(description: path + ": " + message)) { try ModelLoader.importFile(path) }
    }

    /// Issue 21: `x + conv(x)` was refused at its Add ("only Concat may join branches"); it is a
    /// sum block now, the graph input its identity shortcut. (The fixture keeps its old name.)
    @Test func aResidualAddOpensAsASumBlock() throws {
        let model = try ModelLoader.importFile(Fixtures.path("bad_residual.onnx"))
        guard let block = model.layout.layers.first?.op.block else { Issue.record("no block"); return }
        #expect(block.join == .sum(activation: .none))
        #expect(block.branches.map(\.layers.count) == [0, 1])
        #expect(block.branches[1].layers.first?.op.kind == .conv)
        #expect(Analysis(model.layout).isValid)
    }

    /// A Mul of two computed tensors (a gate) is no scale: refused in one line at the Mul.
    @Test func aMulOfTwoComputedTensorsIsRefusedInOneLine() throws {
        var graph = Onnx_GraphProto()
        graph.node = [Self.node("Relu", ["x"], ["a"], "a"), Self.node("Mul", ["x", "a"], ["y"], "gate")]
        let bytes = try Fixtures.serialized(graph, input: [1, 2, 3, 3], output: "y")
        #expect(
            throws: ONNXImportError(
                file: "m.onnx",
                "node \"gate\" (Mul): takes 2 computed inputs; only Concat, or an Add of two, may join branches")
        ) {
            try ONNXImporter.importModel(bytes, file: "m.onnx")
        }
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], _ name: String) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        return n
    }

    @Test func notAModelAtAll() throws {
        #expect(!ONNXImporter.looksLikeONNX(Array("{\"format\": \"inception-layout/1\"}".utf8)))
        #expect(!ONNXImporter.looksLikeONNX(Array(" \n{".utf8)))
        #expect(!ONNXImporter.looksLikeONNX([UInt8]()))
        #expect(throws: ONNXImportError(file: "m.onnx", "not an ONNX model (no graph)")) {
            try ONNXImporter.importModel([0x08, 0x07], file: "m.onnx")
        }
    }

    /// `ModelLoader.load` opens a file once, sniffs it and reads a JSON layout from that open file:
    /// every refusal stays the layout loader's one line (a FIFO without blocking, a directory, a
    /// missing file, one over the size cap), and a JSON layout still loads.
    @Test func loaderRefusesWhatIsNoRegularFileInOneLine() throws {
        let dir = try TemporaryDirectory("ie-loader")
        defer { dir.remove() }
        let fifo = dir.path("layout.json")
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(throws: LoadError("\(fifo): is a FIFO, not a regular file")) { try ModelLoader.load(fifo) }
        #expect(throws: LoadError("\(dir.path): is a directory, not a regular file")) { try ModelLoader.load(dir.path) }
        let missing = dir.path("none.json")
        #expect(throws: LoadError("\(missing): no such file")) { try ModelLoader.load(missing) }
        let big = dir.path("big.json")
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        #expect(truncate(big, off_t(LayoutLimits.maxFileBytes + 1)) == 0)  // sparse
        #expect(
            throws: LoadError(
                "\(big): the file is \(LayoutLimits.maxFileBytes + 1) bytes, over the limit of \(LayoutLimits.maxFileBytes)"
            )
        ) {
            try ModelLoader.load(big)
        }
        let json = try dir.write("g.json", BuiltInLayout.googlenet.json)
        let loaded = try ModelLoader.load(json)
        #expect(loaded.source.origin == .file(json))
        #expect(loaded.weights == nil)
        #expect(loaded.source.layout == (try LayoutSource.load("builtin:googlenet").layout))
    }

    /// Truncations and byte flips of a real export (the torch fixture): every one either imports or
    /// fails with one line naming the file; none traps or hangs.
    @Test func fuzzedExportsFailCleanly() throws {
        let bytes = try Fixtures.bytes("tiny_inception_bn.onnx")
        var failures = 0, cases = 0
        func check(_ mutated: [UInt8]) {
            cases += 1
            do {
                let m = try ONNXImporter.importModel(mutated, file: "fuzz.onnx")
                #expect(Analysis(m.layout).errors.isEmpty)
            } catch {
                failures += 1
                #expect(error.description.hasPrefix("fuzz.onnx: "))
                #expect(!error.description.contains("\n"), "\(error.description)")
            }
        }
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 400)) { check(Array(bytes[..<cut])) }
        var seeded = SplitMix64(seed: 8)
        for _ in 0..<400 {
            var m = bytes
            for _ in 0..<(1 + Int(seeded.next() % 3)) {
                let i = Int(seeded.next() % UInt64(m.count))
                m[i] ^= UInt8(truncatingIfNeeded: 1 + seeded.next() % 255)
            }
            check(m)
        }
        #expect(failures > cases / 2, "most mutations must be refused (\(failures) of \(cases))")
    }
}
