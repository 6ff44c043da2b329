import Foundation

#if _endian(big)
#error("NpyFile reads and writes little-endian float32 by copying bytes; add byte swapping for big-endian hosts")
#endif

/// A float32 array read from or written to a `.npy` file: its shape and its values in C order.
public struct NpyArray: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}

/// Reads and writes NumPy `.npy` files ('<f4', C order, format 1.0 or 2.0). Every error is one line
/// naming the file.
public enum NpyFile {
    /// Reads the header only (the first 64 KiB at most): shape and data offset, checked against the
    /// file's size so a truncated file is caught before any data is read.
    public static func readHeader(_ path: String) throws(NpyError) -> NpyHeader {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw missing(path) }
        defer { try? handle.close() }
        let head: [UInt8]
        do {
            head = [UInt8](try handle.read(upToCount: 65_546) ?? Data())
        } catch {
            throw NpyError("\(path): cannot read the file")
        }
        let header: NpyHeader
        do {
            header = try NpyHeader.parse(head)
        } catch {
            throw NpyError("\(path): \(error.description)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size != header.dataOffset + header.count * 4 {
            throw NpyError("\(path): data is \(size - header.dataOffset) bytes, shape \(shapeText(header.shape)) of float32 needs \(header.count * 4)")
        }
        return header
    }

    /// Reads a whole '<f4' C-order array.
    public static func read(_ path: String) throws(NpyError) -> NpyArray {
        guard FileManager.default.fileExists(atPath: path) else { throw missing(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NpyError("\(path): cannot read the file (permission denied or a directory?)")
        }
        let bytes = [UInt8](data)
        let header: NpyHeader
        do {
            header = try NpyHeader.parse(bytes)
        } catch {
            throw NpyError("\(path): \(error.description)")
        }
        let need = header.count * 4
        guard bytes.count - header.dataOffset == need else {
            throw NpyError("\(path): data is \(bytes.count - header.dataOffset) bytes, shape \(shapeText(header.shape)) of float32 needs \(need)")
        }
        let values = [Float](unsafeUninitializedCapacity: header.count) { buf, done in
            bytes.withUnsafeBytes { raw in
                if need > 0, let dst = buf.baseAddress, let src = raw.baseAddress {
                    memcpy(dst, src + header.dataOffset, need)
                }
            }
            done = header.count
        }
        return NpyArray(shape: header.shape, values: values)
    }

    /// Writes `values` as a '<f4' C-order array of `shape` (atomically: a temporary file renamed).
    public static func write(_ path: String, shape: [Int], values: [Float]) throws(NpyError) {
        guard shape.reduce(1, *) == values.count else {
            throw NpyError("\(path): \(values.count) values do not fill shape \(shapeText(shape))")
        }
        var bytes = NpyHeader.encode(shape: shape)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NpyError("\(path): cannot write the file (\(error.localizedDescription))")
        }
    }

    public static func write(_ path: String, _ array: NpyArray) throws(NpyError) {
        try write(path, shape: array.shape, values: array.values)
    }

    /// "[64, 3, 7, 7]", the way every message shows a shape.
    public static func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    static func missing(_ path: String) -> NpyError { NpyError("\(path): no such file") }
}
