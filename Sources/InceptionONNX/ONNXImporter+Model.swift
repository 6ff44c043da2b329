import Foundation
import SwiftProtobuf

/// Reading the wire format: bytes → `Onnx_ModelProto`, and telling an ONNX file from a layout.
extension ONNXImporter {
    /// Whether `bytes` look like an ONNX model rather than JSON: a protobuf whose first field is one
    /// of ModelProto's (ir_version = 1 varint, producer_name = 2 … graph = 7 length-delimited).
    /// Content decides, not the extension: a JSON layout starts with `{` or whitespace, which are
    /// never a valid ModelProto tag here.
    public static func looksLikeONNX(_ bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        let field = first >> 3, wire = first & 7
        switch (field, wire) {
        case (1, 0), (5, 0): return true  // ir_version, model_version (varint)
        case (2, 2), (3, 2), (4, 2), (6, 2), (7, 2), (8, 2): return true  // strings, graph, opset_import
        default: return false
        }
    }

    /// Parses a ModelProto; any wire error becomes one line naming the file.
    static func parseModel(
        _ bytes: some SwiftProtobufContiguousBytes, file: String
    ) throws(ONNXImportError) -> Onnx_ModelProto {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: bytes)
        } catch {
            throw ONNXImportError(file: file, "not a valid ONNX model (protobuf: \(error))")
        }
        guard model.hasGraph else { throw ONNXImportError(file: file, "not an ONNX model (no graph)") }
        return model
    }
}
