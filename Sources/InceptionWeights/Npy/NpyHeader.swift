import InceptionCore

/// The header of a NumPy `.npy` file (format versions 1.0 and 2.0), restricted to what the runtime
/// exchanges: little-endian float32 (`'<f4'`) arrays in C order.
///
/// Layout of a file: the magic `\x93NUMPY`, a major and a minor version byte, the header length
/// (uint16 LE in 1.0, uint32 LE in 2.0), then that many bytes of a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (64, 3, 7, 7), }` padded with spaces and a
/// final newline so the data starts on a 64-byte boundary; then the raw data.
public struct NpyHeader: Equatable, Sendable {
    public var shape: [Int]
    /// Bytes before the data (magic, version, length field and dict).
    public var dataOffset: Int

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Elements in the array: the product of the shape (1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }

    /// Parses the header at the start of `bytes`. `bytes` may hold just the header or the whole file.
    /// Throws a message (the caller adds the file name) for anything but a '<f4' C-order array.
    /// Where the header dict lies (`start..<end` in the file) once the first 8 + 2 or 4 bytes are
    /// known; nil when `bytes` is not a supported .npy prefix (then `parse` says why).
    static func headerLength(_ bytes: [UInt8]) -> (start: Int, end: Int)? {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic, bytes[6] == 1 || bytes[6] == 2 else { return nil }
        let lengthBytes = bytes[6] == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { return nil }
        var length = 0
        for i in 0..<lengthBytes { length |= Int(bytes[8 + i]) << (8 * i) }
        return (8 + lengthBytes, 8 + lengthBytes + length)
    }

    static func parse(_ bytes: [UInt8]) throws(NpyError) -> NpyHeader {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw NpyError("not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6], minor = bytes[7]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2: lengthBytes = 4
        default: throw NpyError(".npy format version \(major).\(minor) is not supported (need 1.0 or 2.0)")
        }
        guard bytes.count >= 8 + lengthBytes else { throw NpyError("truncated .npy header") }
        var length = 0
        for i in 0..<lengthBytes { length |= Int(bytes[8 + i]) << (8 * i) }
        let start = 8 + lengthBytes
        guard length > 0, bytes.count >= start + length else {
            throw NpyError(
                "truncated .npy header (header length \(length), file has \(bytes.count - start) bytes after it)")
        }
        let text = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
        let dict = try NpyDict(text)
        guard let descr = dict.values["descr"] else { throw NpyError("header has no 'descr'") }
        guard descr == "'<f4'" else {
            throw NpyError(
                "dtype \(NpyDict.quote(descr)) is not supported: need little-endian float32 '<f4' (numpy: a.astype('<f4'))"
            )
        }
        guard let fortran = dict.values["fortran_order"] else { throw NpyError("header has no 'fortran_order'") }
        switch fortran {
        case "False": break
        case "True":
            throw NpyError("fortran_order True is not supported: save a C-order array (numpy: np.ascontiguousarray(a))")
        default: throw NpyError("header has a bad 'fortran_order' value \(NpyDict.quote(fortran))")
        }
        guard let shapeText = dict.values["shape"] else { throw NpyError("header has no 'shape'") }
        let shape = try parseShape(shapeText)
        return NpyHeader(shape: shape, dataOffset: start + length)
    }

    /// `(64, 3, 7, 7)`, `(3,)`, `()` → dimensions; each must be a non-negative integer and the
    /// product must fit comfortably in memory.
    static func parseShape(_ text: String) throws(NpyError) -> [Int] {
        let bad = NpyError(
            "header has a bad shape \(NpyDict.quote(text)) (want a tuple of non-negative integers such as (64, 3, 7, 7))"
        )
        guard text.hasPrefix("("), text.hasSuffix(")") else { throw bad }
        let inner = text.dropFirst().dropLast()
        var dims: [Int] = []
        var total = 1
        // Python's tuple syntax, strictly: "()", "(3,)", "(3, 4)" or "(3, 4,)"; no "(4,, 3)", no "+4".
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
        for (i, part) in parts.enumerated() {
            let t = part.trimming(" ")
            if t.isEmpty {
                // Only "()" itself, or the one trailing comma of a non-empty tuple.
                if parts.count == 1 || (i == parts.count - 1 && i > 0) { continue }
                throw bad
            }
            guard t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), t.utf8.count <= 18, let d = Int(t) else { throw bad }
            guard let p = Checked.mul(total, d), p < 1 << 34 else { throw NpyError("shape \(text) is too large") }
            total = p
            dims.append(d)
        }
        return dims
    }

    /// The header bytes for a '<f4' C-order array of `shape`: version 1.0 when the dict fits a
    /// 16-bit length, else 2.0; padded so the data starts at a multiple of 64.
    static func encode(shape: [Int]) -> [UInt8] {
        let dims = shape.map(String.init)
        let tuple = shape.count == 1 ? "(\(dims[0]),)" : "(" + dims.joined(separator: ", ") + ")"
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }"
        func build(major: UInt8, lengthBytes: Int) -> [UInt8] {
            let prefix = 8 + lengthBytes
            let unpadded = prefix + dict.utf8.count + 1
            let total = (unpadded + 63) / 64 * 64
            let headerLength = total - prefix
            var out = magic + [major, 0]
            for i in 0..<lengthBytes { out.append(UInt8((headerLength >> (8 * i)) & 0xff)) }
            out += Array(dict.utf8)
            out += [UInt8](repeating: 0x20, count: total - unpadded)
            out.append(0x0a)
            return out
        }
        let v1 = build(major: 1, lengthBytes: 2)
        return v1.count - 10 <= Int(UInt16.max) ? v1 : build(major: 2, lengthBytes: 4)
    }
}

/// The header's Python dict literal, read just far enough: string keys mapped to the raw text of
/// their values (`'<f4'`, `False`, `(3, 4)`).
struct NpyDict {
    var values: [String: String] = [:]

    init(_ text: String) throws(NpyError) {
        var s = Substring(text.trimming(" \n\0"))
        guard s.first == "{", s.last == "}" else { throw NpyError("header is not a dict: \(NpyDict.quote(text))") }
        s = s.dropFirst().dropLast()
        while true {
            s = s.drop { $0 == " " || $0 == "," || $0 == "\n" }
            guard let quote = s.first else { break }
            guard quote == "'" || quote == "\"" else { throw NpyError("header has a bad key near \(NpyDict.quote(s))") }
            s = s.dropFirst()
            guard let endKey = s.firstIndex(of: quote) else { throw NpyError("header has an unterminated key") }
            let key = String(s[..<endKey])
            s = s[s.index(after: endKey)...].drop { $0 == " " }
            guard s.first == ":" else { throw NpyError("header is missing ':' after \(NpyDict.quote(key))") }
            s = s.dropFirst().drop { $0 == " " }
            let value: Substring
            if s.first == "(" {
                guard let close = s.firstIndex(of: ")") else { throw NpyError("header has an unterminated shape") }
                value = s[...close]
                s = s[s.index(after: close)...]
            } else if let q = s.first, q == "'" || q == "\"" {
                guard let close = s.dropFirst().firstIndex(of: q) else {
                    throw NpyError("header has an unterminated string")
                }
                value = s[...close]
                s = s[s.index(after: close)...]
            } else {
                let end = s.firstIndex(of: ",") ?? s.endIndex
                value = s[..<end]
                s = s[end...]
            }
            values[key] = value.trimming(" ")
        }
    }

    /// Header text as it may appear in a message: as it is when short and printable (`'<f8'`), else
    /// at most 40 characters in double quotes with newlines, NULs, other control and bidi characters
    /// escaped, so an error stays one readable line.
    static func quote<S: StringProtocol>(_ text: S) -> String {
        if text.count <= 40, !text.unicodeScalars.contains(where: NodeNameRule.isUnsafe) { return String(text) }
        let cut = text.count > 40 ? String(text.prefix(40)) + "…" : String(text)
        var out = "\""
        for u in cut.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if NodeNameRule.isUnsafe(u) {
                    out += "\\u{" + String(u.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

/// A problem with a `.npy` file: one line; `NpyFile` prefixes the file name.
public struct NpyError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension StringProtocol {
    package func trimming(_ set: String) -> String {
        // Index steps, not dropFirst/dropLast: Substring.dropLast() measures the whole string each
        // time, which made a 70,000-space header take a minute.
        let chars = Set(set)
        var start = startIndex, end = endIndex
        while start < end, chars.contains(self[start]) { start = index(after: start) }
        while start < end {
            let before = index(before: end)
            guard chars.contains(self[before]) else { break }
            end = before
        }
        return String(self[start..<end])
    }
}
