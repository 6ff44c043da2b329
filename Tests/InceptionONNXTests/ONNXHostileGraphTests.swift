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
        var g = Onnx_GraphProto()
        var counter = 0
        func conv(_ input: String, inChannels: Int) -> String {
            counter += 1
            var w = Onnx_TensorProto()
            w.name = "w\(counter)"
            w.dims = [8, Int64(inChannels), 1, 1]
            w.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            w.floatData = [Float](repeating: 0.01, count: 8 * inChannels)
            g.initializer.append(w)
            var n = Onnx_NodeProto()
            n.opType = "Conv"
            n.name = "/conv\(counter)/Conv"
            n.input = [input, w.name]
            n.output = ["c\(counter)"]
            g.node.append(n)
            return "c\(counter)"
        }
        func make(_ t: String, inChannels: Int, depth: Int) -> (String, Int) {
            guard depth > 1 else { return (conv(t, inChannels: inChannels), 8) }
            let a = conv(t, inChannels: inChannels)
            let u = conv(t, inChannels: inChannels)
            let (b, bChannels) = make(u, inChannels: 8, depth: depth - 1)
            var cat = Onnx_NodeProto()
            counter += 1
            cat.opType = "Concat"
            cat.name = "/cat\(counter)/Concat"
            cat.input = [a, b]
            cat.output = ["cat\(counter)"]
            var axis = Onnx_AttributeProto()
            axis.name = "axis"
            axis.type = .int
            axis.i = 1
            cat.attribute = [axis]
            g.node.append(cat)
            return ("cat\(counter)", 8 + bChannels)
        }
        let (out, _) = make("x", inChannels: 3, depth: levels + 1)
        var x = Onnx_ValueInfoProto()
        x.name = "x"
        x.type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        x.type.tensorType.shape.dim = [Int64(1), 3, 4, 4].map { v in var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = v; return d }
        var y = Onnx_ValueInfoProto()
        y.name = out
        g.input = [x]
        g.output = [y]
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.graph = g
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        m.opsetImport = [opset]
        return try m.serializedBytes()
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

    /// A thousand levels (the stack ran out near 800 in release before): refused as above, on the walk's first 16 levels, without running out of stack.
    @Test func thousandsOfLevelsDoNotOverflowTheStack() throws {
        #expect(throws: ONNXImportError.self) {
            try ONNXImporter.importModel(try Self.nestedModel(levels: 1000), file: "deep1000.onnx")
        }
    }
}
