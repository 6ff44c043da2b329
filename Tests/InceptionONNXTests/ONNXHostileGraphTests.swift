import Foundation
import InceptionCore
import Testing

@testable import InceptionONNX

/// Hostile graphs that must each be one located line. A graph of Concats nested thousands deep (QA's deep3000.onnx) overflowed the stack of the
/// importer's recursive walk (rc 139); nested past the format's 15 levels it must be one located
/// line at the first Concat too deep, and the 60-level case must name a node, not a line:col of a
/// JSON text the user never sees.
struct ONNXHostileGraphTests {
    /// `levels` of `Concat(Conv1x1(t), <the same on Conv1x1(t)>)`: each level one block whose second
    /// branch holds the next block, on a 1×3×4×4 input with 8-channel 1×1 convs.
    static func nestedModel(levels: Int) throws -> [UInt8] {
        var g = ConvConcatGraph()
        func make(_ t: String, inChannels: Int, depth: Int) -> (String, Int) {
            guard depth > 1 else { return (g.conv(t, out: 8, inChannels: inChannels), 8) }
            let a = g.conv(t, out: 8, inChannels: inChannels)
            let u = g.conv(t, out: 8, inChannels: inChannels)
            let (b, bChannels) = make(u, inChannels: 8, depth: depth - 1)
            return (g.concat([a, b]), 8 + bChannels)
        }
        let (out, _) = make("x", inChannels: 3, depth: levels + 1)
        return try g.model(input: [1, 3, 4, 4], output: out)
    }

    @Test func fifteenLevelsImportAndSixteenAreRefusedAtANode() throws {
        let ok = try ONNXImporter.importModel(try Self.nestedModel(levels: 15), file: "deep15.onnx").layout
        #expect(Analysis(ok).errors.isEmpty)
        #expect(throws: ONNXImportError.self) {
            try ONNXImporter.importModel(try Self.nestedModel(levels: 16), file: "deep16.onnx")
        }
        do {
            _ = try ONNXImporter.importModel(try Self.nestedModel(levels: 60), file: "deep60.onnx")
            Issue.record("a 60-level model imported")
        } catch let error as ONNXImportError {
            #expect(error.description.hasPrefix("deep60.onnx: node \"/cat"), "\(error.description)")
            #expect(error.description.contains("blocks nested deeper than 15 levels"), "\(error.description)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// An input of 2^24 × 2^24 × 2^24 (each side within the per-axis limit) made `C·H·W` overflow
    /// with a plain `*` and trapped; it must be one line.
    @Test func anInputWhoseSizeOverflowsIsOneLine() throws {
        var model = try Onnx_ModelProto(serializedBytes: try Self.nestedModel(levels: 1))
        model.graph.input[0].type.tensorType.shape.dim = [Int64(1), 1 << 24, 1 << 24, 1 << 24].map { v in
            var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = v; return d
        }
        #expect(throws: ONNXImportError(file: "huge.onnx", "input \"x\" [16777216, 16777216, 16777216] is too large")) {
            try ONNXImporter.importModel(try model.serializedBytes() as [UInt8], file: "huge.onnx")
        }
    }

    /// A chain of `convs` 1×1 convs (8 channels) then `blocks` inception blocks in sequence, each
    /// `Concat(Conv1x1→4(t), Conv1x1→4(t))`, on a 1×8×4×4 input.
    static func chainModel(convs: Int, blocks: Int) throws -> [UInt8] {
        var g = ConvConcatGraph()
        var t = "x"
        for _ in 0..<convs { t = g.conv(t, out: 8, inChannels: 8) }
        for _ in 0..<blocks { t = g.concat([g.conv(t, out: 4, inChannels: 8), g.conv(t, out: 4, inChannels: 8)]) }
        return try g.model(input: [1, 8, 4, 4], output: t)
    }

    /// A long chain: 3000 convs, then 1500 blocks in sequence. The walk once kept every Concat
    /// input's whole chain back to the graph input (about 2 · 1500 chains of up to 4500 tensors:
    /// quadratic memory and time); it now keeps one depth per tensor and walks each block back
    /// only to its root, so this imports in about a second in a debug build (21 s before).
    @Test func aLongChainOfLayersAndBlocksImports() throws {
        let layout = try ONNXImporter.importModel(try Self.chainModel(convs: 3000, blocks: 1500), file: "long.onnx")
            .layout
        #expect(layout.layers.count == 4500)
        #expect(layout.layers.prefix(3000).allSatisfy { $0.op.kind == .conv })
        #expect(layout.layers.suffix(1500).allSatisfy { $0.op.kind == .inception })
        let analysis = Analysis(layout)
        #expect(analysis.errors.isEmpty)
        #expect(analysis.output == Shape(8, 4, 4))
    }

    /// A thousand levels (the stack ran out near 800 in release before): refused as above, on the walk's first 16 levels, without running out of stack.
    @Test func thousandsOfLevelsDoNotOverflowTheStack() throws {
        #expect(throws: ONNXImportError.self) {
            try ONNXImporter.importModel(try Self.nestedModel(levels: 1000), file: "deep1000.onnx")
        }
    }
}

/// A graph of 1×1 convs (weights 0.01) and channel Concats, each node named like torch's exporter
/// names them (`/conv3/Conv`), on one float input "x".
struct ConvConcatGraph {
    var graph = Onnx_GraphProto()
    var counter = 0

    /// A Conv from `input` to `out` channels; returns its output tensor.
    mutating func conv(_ input: String, out: Int, inChannels: Int) -> String {
        counter += 1
        var w = Onnx_TensorProto()
        w.name = "w\(counter)"
        w.dims = [Int64(out), Int64(inChannels), 1, 1]
        w.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        w.floatData = [Float](repeating: 0.01, count: out * inChannels)
        graph.initializer.append(w)
        var n = Onnx_NodeProto()
        n.opType = "Conv"
        n.name = "/conv\(counter)/Conv"
        n.input = [input, w.name]
        n.output = ["c\(counter)"]
        graph.node.append(n)
        return "c\(counter)"
    }

    /// A Concat of `inputs` on the channel axis; returns its output tensor.
    mutating func concat(_ inputs: [String]) -> String {
        counter += 1
        var cat = Onnx_NodeProto()
        cat.opType = "Concat"
        cat.name = "/cat\(counter)/Concat"
        cat.input = inputs
        cat.output = ["cat\(counter)"]
        var axis = Onnx_AttributeProto()
        axis.name = "axis"
        axis.type = .int
        axis.i = 1
        cat.attribute = [axis]
        graph.node.append(cat)
        return "cat\(counter)"
    }

    /// The serialized model (IR 8, opset 17) reading "x" of shape `input` and giving `output`.
    func model(input: [Int64], output: String) throws -> [UInt8] {
        try Fixtures.serialized(graph, input: input, output: output)
    }
}
