import Foundation
import InceptionCore
import TestSupport

@testable import InceptionONNX

/// The committed fixtures (made by TestSupport/Fixtures/onnx/make_fixtures.py; the CLI tests read them too) and the facts that script counted from
/// each ONNX graph itself (fixtures.json).
enum Fixtures {
    static let directory = SharedFixtures.onnxDirectory

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    struct Facts: Decodable {
        var params: Int
        var buffers: Int
        var macs: Int
        var output: [Int]
    }

    static func facts(_ model: String) throws -> Facts {
        let data = try Data(contentsOf: directory.appendingPathComponent("fixtures.json"))
        guard let f = try JSONDecoder().decode([String: Facts].self, from: data)[model] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return f
    }

    /// The raw ModelProto, read independently of the importer (to count nodes by op).
    static func model(_ name: String) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: try bytes(name))
    }

    static func importModel(_ name: String) throws -> ONNXImporter.Model { try ModelLoader.importFile(path(name)) }

    /// A model built in a test: `graph` reading float "x" of shape `input` and giving `output`.
    static func serialized(
        _ graph: Onnx_GraphProto, input: [Int64], output: String, irVersion: Int64 = 8,
        opset: Int64 = 17
    ) throws -> [UInt8] {
        var g = graph
        var x = Onnx_ValueInfoProto()
        x.name = "x"
        x.type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        x.type.tensorType.shape.dim = input.map { v in
            var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = v; return d
        }
        var y = Onnx_ValueInfoProto()
        y.name = output
        g.input = [x]
        g.output = [y]
        var m = Onnx_ModelProto()
        m.irVersion = irVersion
        m.graph = g
        var set = Onnx_OperatorSetIdProto()
        set.version = opset
        m.opsetImport = [set]
        return try m.serializedBytes()
    }
}

extension Layout {
    /// Every inception node, nested ones included.
    var inceptionCount: Int {
        allNodes().filter { if case .layer(let l) = $0.node { return l.op.block != nil } else { return false } }.count
    }

    func layer(_ path: String) -> Layer? {
        guard let a = address(ofPath: path), case .layer(let l)? = node(at: a) else { return nil }
        return l
    }
}
