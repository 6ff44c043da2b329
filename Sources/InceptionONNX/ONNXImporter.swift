import Foundation
import InceptionCore

/// ONNX model → `inception-layout/1` layout (and the model's weights). See the README's
/// "Your own model" section for what maps.
public enum ONNXImporter {}

/// A model that cannot be imported: one line naming the file and, when known, the node.
/// `model.onnx: node "gate7" (Sigmoid): unsupported op (supported: ...)`.
public struct ONNXImportError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String

    public init(file: String, node: String? = nil, op: String? = nil, _ message: String) {
        var where_ = file
        if let node { where_ += ": node \"\(node)\"" + (op.map { " (\($0))" } ?? "") }
        description = where_ + ": " + message
    }
}
