import Foundation
import InceptionCore

/// Weight values out of `TensorProto`s: float32 from `float_data`, `raw_data` (little-endian) or an
/// external-data file beside the model; int64 (pads, shapes) from `int64_data` or `raw_data`.
extension ONNXGraph {
    /// The float32 values of weight `name`, checked against `shape` when given. `node` is where
    /// errors point.
    func floats(
        _ name: String, node: Int, what: String, shape: [Int]? = nil
    ) throws(ONNXImportError) -> (dims: [Int], values: [Float]) {
        guard let t = weight(name) else {
            throw error(node, "\(what) \(FileText.quoted(name)) is not an initializer or constant")
        }
        let (dims, count) = try self.dims(t, node: node, what: what)
        if let shape, shape != dims {
            throw error(node, "\(what) \(FileText.quoted(name)) has shape \(dims), expected \(shape)")
        }
        guard t.dataType == Onnx_TensorProto.DataType.float.rawValue else {
            let type = Onnx_TensorProto.DataType(rawValue: Int(t.dataType)).map { "\($0)" } ?? "type \(t.dataType)"
            throw error(node, "\(what) \(FileText.quoted(name)) is \(type); only float32 weights are supported")
        }
        let values: [Float]
        if t.dataLocation == .external {
            values = try externalFloats(t, count: count, node: node, what: what)
        } else if t.hasRawData {
            guard t.rawData.count == count * 4 else {
                throw error(
                    node, "\(what) \(FileText.quoted(name)) has \(t.rawData.count) bytes of data for \(count) floats")
            }
            values = Self.floats(littleEndian: t.rawData, count: count)
        } else {
            guard t.floatData.count == count else {
                throw error(node, "\(what) \(FileText.quoted(name)) has \(t.floatData.count) values for shape \(dims)")
            }
            values = t.floatData
        }
        return (dims, values)
    }

    /// An int64 weight (Pad's pads, Reshape's shape), as Ints.
    func int64s(_ name: String, node: Int, what: String) throws(ONNXImportError) -> [Int64] {
        guard let t = weight(name) else { throw error(node, "\(what) \(FileText.quoted(name)) is not a constant") }
        let count = try dims(t, node: node, what: what).count
        guard t.dataType == Onnx_TensorProto.DataType.int64.rawValue else {
            throw error(node, "\(what) \(FileText.quoted(name)) is not int64")
        }
        if t.hasRawData {
            guard t.rawData.count == count * 8 else {
                throw error(node, "\(what) \(FileText.quoted(name)): data size does not match its shape")
            }
            return t.rawData.withUnsafeBytes { raw in
                (0..<count).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
            }
        }
        guard t.int64Data.count == count else {
            throw error(node, "\(what) \(FileText.quoted(name)): data size does not match its shape")
        }
        return t.int64Data
    }

    /// A scalar float constant (Pad's value, Dropout's ratio), or nil when `name` is empty.
    func scalar(_ name: String, node: Int, what: String) throws(ONNXImportError) -> Float? {
        guard !name.isEmpty else { return nil }
        let v = try floats(name, node: node, what: what).values
        guard v.count == 1 else { throw error(node, "\(what) \(FileText.quoted(name)) is not a scalar") }
        return v[0]
    }

    /// A tensor's dimensions and element count, refused past 2^34 elements (no real weight is near).
    private func dims(
        _ t: Onnx_TensorProto, node: Int, what: String
    ) throws(ONNXImportError) -> (dims: [Int], count: Int) {
        guard t.dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
            throw error(
                node,
                "\(what) \(FileText.quoted(t.name)) has dimension \(t.dims.first { $0 < 0 || $0 > Int64(Int32.max) } ?? 0)"
            )
        }
        let dims = t.dims.map { Int($0) }
        guard let count = Checked.product(dims), count <= 1 << 34 else {
            throw error(node, "\(what) \(FileText.quoted(t.name)) is too large (\(t.dims))")
        }
        return (dims, count)
    }

    static func floats(littleEndian data: some ContiguousBytes, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                for i in 0..<count {
                    buffer[i] = Float(
                        bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                }
            }
            initialized = count
        }
    }

    /// The floats of an external tensor: `location` resolved and confined by `ExternalDataFolder`,
    /// `offset` and `length` checked against the tensor and the file, and a tensor larger than
    /// this machine's memory refused — all before a byte is read. With `readsExternalData` off (the
    /// structural pass) nothing is read: the values are empty, except a scalar's, which the walk
    /// needs (a Pad's constant, a Dropout's ratio).
    private func externalFloats(
        _ t: Onnx_TensorProto, count: Int, node: Int, what: String
    ) throws(ONNXImportError) -> [Float] {
        var info: [String: String] = [:]
        for e in t.externalData { info[e.key] = e.value }
        let name = "\(what) \(FileText.quoted(t.name))"
        let location = info["location"] ?? ""
        let path: String
        do { path = try ExternalDataFolder.resolve(location, modelPath: file) } catch let refusal {
            throw error(node, name + (location.isEmpty ? " " : ": ") + refusal.message)
        }
        let shown = FileText.quoted(location)
        let offset = Int(info["offset"] ?? "0") ?? -1
        let length = info["length"].map { Int($0) ?? -1 } ?? count * 4
        guard offset >= 0, length == count * 4 else {
            throw error(node, "\(name): external data offset/length do not fit its shape")
        }
        let memory = PhysicalMemory.bytes
        guard length <= memory else {
            throw error(
                node,
                "\(name) is \(NumberFormat.grouped(length)) bytes, more than this machine's memory "
                    + "(\(NumberFormat.grouped(memory)) bytes)")
        }
        // Only a regular file, opened without blocking: a FIFO or device named as external data
        // is refused with what it is instead of hanging in open() or read().
        let opened: RegularFile
        do { opened = try RegularFile.open(path) } catch let failure {
            let prefix = PathText.shown(path) + ": "
            let reason =
                failure.description.hasPrefix(prefix)
                ? String(failure.description.dropFirst(prefix.count)) : "cannot be opened"
            throw self.error(node, "\(name): external data \(shown): \(reason)")
        }
        guard offset <= opened.size, length <= opened.size - offset else {
            throw error(node, "\(name): external data file \(shown) ends before offset \(offset) + \(length)")
        }
        guard readsExternalData || count == 1 else { return [] }
        // Straight into the floats (little-endian on disk, as on every host this builds for but
        // swapped where not): the tensor is held once, not read, copied and converted (3x).
        var got = 0
        var failed = false
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            do { got = try opened.read(at: offset, into: raw) } catch { failed = true }
            if got < length {
                raw.baseAddress!.advanced(by: got).initializeMemory(as: UInt8.self, repeating: 0, count: length - got)
            }
            #if _endian(big)
            for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern)) }
            #endif
            initialized = count
        }
        guard !failed else { throw self.error(node, "\(name): cannot read external data file \(shown)") }
        guard got == length else {
            throw error(node, "\(name): external data file \(shown) ends before offset \(offset) + \(length)")
        }
        ONNXImporter.externalBytesRead?.add(length)
        return values
    }
}
