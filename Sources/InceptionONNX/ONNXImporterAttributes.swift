/// Typed reads of a node's attributes, each checked against the type ONNX declares for it.
extension ONNXGraph {
    func attribute(_ i: Int, _ name: String) -> Onnx_AttributeProto? { nodes[i].attribute.first { $0.name == name } }

    func int(_ i: Int, _ name: String, default value: Int64) throws(ONNXImportError) -> Int64 {
        guard let a = attribute(i, name) else { return value }
        guard a.type == .int || (a.type == .undefined && a.hasI) else {
            throw error(i, "attribute \(name) is not an int")
        }
        return a.i
    }

    func float(_ i: Int, _ name: String, default value: Float) throws(ONNXImportError) -> Float {
        guard let a = attribute(i, name) else { return value }
        guard a.type == .float || (a.type == .undefined && a.hasF) else {
            throw error(i, "attribute \(name) is not a float")
        }
        return a.f
    }

    func ints(_ i: Int, _ name: String) throws(ONNXImportError) -> [Int64]? {
        guard let a = attribute(i, name) else { return nil }
        guard a.type == .ints || a.type == .undefined else { throw error(i, "attribute \(name) is not a list of ints") }
        return a.ints
    }

    func string(_ i: Int, _ name: String) throws(ONNXImportError) -> String? {
        guard let a = attribute(i, name) else { return nil }
        guard a.type == .string || a.type == .undefined else { throw error(i, "attribute \(name) is not a string") }
        return String(decoding: a.s, as: UTF8.self)
    }

    /// A 2-D attribute (kernel_shape, strides, dilations) as a pair; `nil` when absent.
    func pair(_ i: Int, _ name: String) throws(ONNXImportError) -> (Int, Int)? {
        guard let v = try ints(i, name) else { return nil }
        guard v.count == 2, v.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
            throw error(i, "\(name) \(v) is not 2-D (only 2-D convolutions and pools map)")
        }
        return (Int(v[0]), Int(v[1]))
    }
}

extension Float {
    /// The shortest decimal that reads back as this float32, widened: a file's 0.17 or eps 0.001
    /// (stored as float32) imports as 0.17 and 0.001, not 0.17000000178813934 and
    /// 0.0010000000474974513, so labels and saved layouts say what torch was given; the same
    /// float32 goes back out on export.
    var shortestDouble: Double { Double(description) ?? Double(self) }
}
