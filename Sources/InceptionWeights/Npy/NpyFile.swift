import Foundation
import InceptionCore

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
    /// Reads the header only (its length field first, then exactly the header, so a v2 header of
    /// any size works): shape and data offset, checked against the file's size so a truncated file
    /// is caught before any data is read. Only a regular file is opened (a FIFO would block).
    public static func readHeader(_ path: String) throws(NpyError) -> NpyHeader {
        let file = try open(path)
        let header = try readHeader(file)
        if file.size != header.dataOffset + header.count * 4 {
            throw NpyError(
                "\(PathText.shown(path)): data is \(file.size - header.dataOffset) bytes, shape \(shapeText(header.shape)) of float32 needs \(header.count * 4)"
            )
        }
        return header
    }

    /// Reads a whole '<f4' C-order array.
    public static func read(_ path: String) throws(NpyError) -> NpyArray {
        let file = try open(path)
        let header = try readHeader(file)
        let need = header.count * 4
        guard file.size - header.dataOffset == need else {
            throw NpyError(
                "\(PathText.shown(path)): data is \(file.size - header.dataOffset) bytes, shape \(shapeText(header.shape)) of float32 needs \(need)"
            )
        }
        let data: [UInt8]
        do { data = try file.read(upTo: need + 1) } catch { throw NpyError(error.description) }
        guard data.count == need else {
            throw NpyError(
                "\(PathText.shown(path)): data is \(data.count) bytes, shape \(shapeText(header.shape)) of float32 needs \(need)"
            )
        }
        let values = [Float](unsafeUninitializedCapacity: header.count) { buf, done in
            data.withUnsafeBytes { raw in
                if need > 0, let dst = buf.baseAddress, let src = raw.baseAddress {
                    memcpy(dst, src, need)
                }
            }
            done = header.count
        }
        return NpyArray(shape: header.shape, values: values)
    }

    static func open(_ path: String) throws(NpyError) -> RegularFile {
        do { return try RegularFile.open(path) } catch { throw NpyError(error.description) }
    }

    /// The header at the start of `file`, leaving the file positioned at the data.
    static func readHeader(_ file: RegularFile) throws(NpyError) -> NpyHeader {
        let path = file.path
        do {
            var head = try file.read(upTo: 12)
            let length = NpyHeader.headerLength(head)
            if let length {
                guard length.end <= file.size else {
                    throw NpyError(
                        "truncated .npy header (header length \(length.end - length.start), file has \(file.size - length.start) bytes after it)"
                    )
                }
                if head.count < length.end { head += try file.read(upTo: length.end - head.count) }
            }
            let header = try NpyHeader.parse(head)
            // `head` may hold up to 12 bytes; anything past the header belongs to the data.
            if head.count > header.dataOffset {
                throw NpyError("truncated .npy file: no data after the header")
            }
            return header
        } catch let e as NpyError {
            throw NpyError("\(PathText.shown(path)): \(e.description)")
        } catch {
            throw NpyError("\(error)")
        }
    }

    /// Writes `values` as a '<f4' C-order array of `shape` (atomically: a temporary file renamed).
    public static func write(_ path: String, shape: [Int], values: [Float]) throws(NpyError) {
        guard shape.reduce(1, *) == values.count else {
            throw NpyError("\(PathText.shown(path)): \(values.count) values do not fill shape \(shapeText(shape))")
        }
        var bytes = NpyHeader.encode(shape: shape)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        // The shared write path: regular files only (never over a device or FIFO), symlinks followed.
        do {
            try AtomicWrite.write(bytes, to: path)
        } catch {
            throw NpyError(error.description)
        }
    }

    public static func write(_ path: String, _ array: NpyArray) throws(NpyError) {
        try write(path, shape: array.shape, values: array.values)
    }

    /// "[64, 3, 7, 7]", the way every message shows a shape.
    public static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    static func missing(_ path: String) -> NpyError { NpyError("\(PathText.shown(path)): no such file") }
}
