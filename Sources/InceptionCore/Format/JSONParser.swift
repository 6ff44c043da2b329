/// A strict JSON (RFC 8259) reader over UTF-8 bytes that reports errors as `line:column`.
///
/// Written for layout files, which people edit by hand: unlike Foundation's parser on Linux it says
/// where a problem is, rejects what RFC 8259 rejects (trailing commas, leading zeros, raw control
/// characters in strings, invalid UTF-8) and also duplicate keys (which RFC 8259 only discourages,
/// and which would otherwise silently drop one of two values), and it keeps key order.
///
/// Locations are 1-based. The column counts Unicode scalars (not bytes, not UTF-16 units) from the
/// start of the line; a tab counts as one column; only `\n` starts a new line. A leading UTF-8 byte
/// order mark is skipped and not counted.
///
/// Limits: nesting deeper than `maxDepth` arrays/objects is rejected (a layout needs 4 levels per
/// nested block, so 64 allows 15 levels of blocks); integers must fit in `Int` (64 bits); doubles
/// must be finite.
public enum JSONParser {
    public static let maxDepth = 64

    public static func parse(_ bytes: [UInt8]) throws(LayoutError) -> JSONValue {
        var reader = JSONByteReader(bytes)
        return try reader.document()
    }

    public static func parse(_ text: String) throws(LayoutError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The recursive-descent reader behind `JSONParser`. `pos` is a byte offset into `bytes`.
struct JSONByteReader {
    private let bytes: [UInt8]
    private var pos: Int
    /// Offset of the first byte after a byte order mark; columns on line 1 count from here.
    private let start: Int
    private var depth = 0
    /// Byte offsets of the keys of the objects being read, innermost last (a stack shared by all
    /// open objects so that no object needs an array of its own), for "first at" in duplicate errors.
    private var keyOffsets: [Int] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        start = hasBOM ? 3 : 0
        pos = start
    }

    mutating func document() throws(LayoutError) -> JSONValue {
        skipWhitespace()
        guard pos < bytes.count else { throw error(at: pos, "empty file") }
        let value = try value()
        skipWhitespace()
        guard pos == bytes.count else { throw unexpected("expected end of file after the document") }
        return value
    }

    // MARK: Values

    private mutating func value() throws(LayoutError) -> JSONValue {
        skipWhitespace()
        guard pos < bytes.count else { throw unexpected("expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let word = wordAt(pos)
            switch word {
            case "true": pos += 4; return .bool(true)
            case "false": pos += 5; return .bool(false)
            case "null": pos += 4; return .null
            default: throw unexpected("expected a value")
            }
        default: throw unexpected("expected a value")
        }
    }

    private mutating func enterContainer() throws(LayoutError) {
        depth += 1
        if depth > JSONParser.maxDepth {
            throw error(at: pos, "nesting deeper than \(JSONParser.maxDepth) levels")
        }
    }

    private mutating func object() throws(LayoutError) -> JSONValue {
        try enterContainer()
        pos += 1  // "{"
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(8)  // a layer object's usual size; saves regrowing
        let base = keyOffsets.count
        defer { keyOffsets.removeSubrange(base...) }
        /// Large objects look keys up here instead of scanning `members`, so a hostile file with
        /// many keys stays linear.
        var index: [String: Int] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object([])
        }
        while true {
            guard peek == UInt8(ascii: "\"") else {
                throw unexpected(members.isEmpty ? "expected a string key or '}'" : "expected a string key after ','")
            }
            let keyOffset = pos
            let key = try string()
            if let first = firstIndex(of: key, in: members, index: index) {
                throw error(
                    at: keyOffset,
                    "duplicate key \(JSONValue.quoted(key)) (first at \(location(keyOffsets[base + first])))")
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
            pos += 1
            let member = try value()
            members.append((key, member))
            keyOffsets.append(keyOffset)
            if members.count > 16 {
                if index.isEmpty { for (i, m) in members.enumerated() { index[m.key] = i } }
                index[key] = members.count - 1
            }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                let comma = pos
                pos += 1
                skipWhitespace()
                if peek == UInt8(ascii: "}") { throw error(at: comma, "trailing comma before '}'") }
            case UInt8(ascii: "}"):
                pos += 1
                depth -= 1
                return .object(members)
            default:
                throw unexpected("expected ',' or '}' after object member")
            }
        }
    }

    private func firstIndex(
        of key: String, in members: [(key: String, value: JSONValue)],
        index: [String: Int]
    ) -> Int? {
        if !index.isEmpty { return index[key] }
        for (i, m) in members.enumerated() where m.key == key { return i }
        return nil
    }

    private mutating func array() throws(LayoutError) -> JSONValue {
        try enterContainer()
        pos += 1  // "["
        var items: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array([])
        }
        while true {
            items.append(try value())
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                let comma = pos
                pos += 1
                skipWhitespace()
                if peek == UInt8(ascii: "]") { throw error(at: comma, "trailing comma before ']'") }
            case UInt8(ascii: "]"):
                pos += 1
                depth -= 1
                return .array(items)
            default:
                throw unexpected("expected ',' or ']' after array element")
            }
        }
    }

    // MARK: Strings

    /// Reads a string literal starting at its opening quote. Plain runs (no escapes, ASCII) are
    /// copied in one go; the rest goes through `slowString`.
    private mutating func string() throws(LayoutError) -> String {
        let open = pos
        pos += 1
        let runStart = pos
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: bytes[runStart..<pos], as: UTF8.self)
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            pos += 1
        }
        return try slowString(open: open, runStart: runStart)
    }

    private mutating func slowString(open: Int, runStart: Int) throws(LayoutError) -> String {
        var buffer = Array(bytes[runStart..<pos])
        while true {
            guard pos < bytes.count else { throw error(at: open, "unterminated string") }
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "\""):
                pos += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &buffer, open: open)
            case 0..<0x20:
                if b == UInt8(ascii: "\n") {
                    throw error(
                        at: pos, "line break inside a string (missing closing quote? write a line break as \\n)")
                }
                throw error(
                    at: pos,
                    "control character \(JSONByteReader.scalarName(UInt32(b))) in string; write it as \(JSONByteReader.escapeName(b))"
                )
            case 0x80...:
                guard let length = utf8Length(at: pos) else { throw invalidUTF8(at: pos) }
                buffer.append(contentsOf: bytes[pos..<pos + length])
                pos += length
            default:
                buffer.append(b)
                pos += 1
            }
        }
    }

    private mutating func escape(into buffer: inout [UInt8], open: Int) throws(LayoutError) {
        let backslash = pos
        pos += 1
        guard pos < bytes.count else { throw error(at: open, "unterminated string") }
        let e = bytes[pos]
        pos += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(e)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeAt: backslash)
            if (0xDC00...0xDFFF).contains(scalar) {
                throw error(at: backslash, "invalid \\u escape: unpaired surrogate \\u\(JSONByteReader.hex(scalar))")
            }
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek == UInt8(ascii: "\\"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw error(
                        at: backslash, "invalid \\u escape: unpaired surrogate \\u\(JSONByteReader.hex(scalar))")
                }
                let second = pos
                pos += 2
                let low = try hex4(escapeAt: second)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(
                        at: backslash, "invalid \\u escape: unpaired surrogate \\u\(JSONByteReader.hex(scalar))")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            // Only surrogates are invalid scalars, and they were handled above.
            if let u = Unicode.Scalar(scalar) { buffer.append(contentsOf: Array(String(Character(u)).utf8)) }
        default:
            if e >= 0x80, utf8Length(at: pos - 1) == nil { throw invalidUTF8(at: pos - 1) }
            let shown =
                (0x21...0x7E).contains(e)
                ? "'\\\(Character(Unicode.Scalar(e)))'" : "'\\' followed by \(describe(at: pos - 1))"
            throw error(at: backslash, "invalid escape \(shown) in string")
        }
    }

    /// Reads the four hex digits after `\u` (pos is just past the "u").
    private mutating func hex4(escapeAt backslash: Int) throws(LayoutError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard pos < bytes.count, let d = JSONByteReader.hexDigit(bytes[pos]) else {
                throw error(at: backslash, "invalid \\u escape: expected 4 hex digits")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    // MARK: Numbers

    private mutating func number() throws(LayoutError) -> JSONValue {
        let first = pos
        let negative = peek == UInt8(ascii: "-")
        if negative { pos += 1 }
        guard isDigit(peek) else { throw unexpected("expected a digit after '-'") }
        if peek == UInt8(ascii: "0") {
            pos += 1
            if isDigit(peek) {
                while isDigit(peek) { pos += 1 }
                throw error(at: first, "number \(text(first..<pos)) has a leading zero")
            }
        } else {
            while isDigit(peek) { pos += 1 }
        }
        var isDouble = false
        if peek == UInt8(ascii: ".") {
            isDouble = true
            pos += 1
            guard isDigit(peek) else { throw unexpected("expected a digit after '.'") }
            while isDigit(peek) { pos += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isDouble = true
            pos += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard isDigit(peek) else { throw unexpected("expected a digit in the exponent") }
            while isDigit(peek) { pos += 1 }
        }
        if isDouble {
            let literal = String(decoding: bytes[first..<pos], as: UTF8.self)
            guard let d = Double(literal), d.isFinite else {
                throw error(at: first, "number \(text(first..<pos)) is out of range for a 64-bit double")
            }
            return .double(d)
        }
        // Accumulate towards the sign so that Int.min fits.
        var v = 0
        for i in (negative ? first + 1 : first)..<pos {
            let d = Int(bytes[i] &- UInt8(ascii: "0"))
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { throw error(at: first, "number \(text(first..<pos)) does not fit in 64 bits") }
            v = s
        }
        return .int(v)
    }

    // MARK: Bytes and positions

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private func isDigit(_ b: UInt8?) -> Bool {
        guard let b else { return false }
        return b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    /// Source text for messages, cut at 40 bytes.
    private func text(_ range: Range<Int>) -> String {
        let cut = range.count > 40 ? range.lowerBound..<range.lowerBound + 40 : range
        return String(decoding: bytes[cut], as: UTF8.self) + (cut.count < range.count ? "…" : "")
    }

    /// The run of ASCII letters, digits and "_" at `offset` (for "got 'True'", "got 'NaN'").
    private func wordAt(_ offset: Int) -> String {
        var end = offset
        while end < bytes.count, end - offset < 40 {
            let b = bytes[end]
            let isWordByte =
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
            guard isWordByte else { break }
            end += 1
        }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    /// The length of the valid UTF-8 sequence at `offset` (RFC 3629: no overlongs, no surrogates,
    /// nothing above U+10FFFF), or nil.
    private func utf8Length(at offset: Int) -> Int? {
        let lead = bytes[offset]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // allowed range of the second byte
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        let second = bytes[offset + 1]
        guard second >= low && second <= high else { return nil }
        for i in 2..<length where bytes[offset + i] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// What is at `offset`, for "…, got X": a quoted character or word, "end of file", or a
    /// U+ name for invisible characters.
    private func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let b = bytes[offset]
        if b < 0x80 {
            let word = wordAt(offset)
            if !word.isEmpty { return "'\(word)'" }
            if b >= 0x21 && b <= 0x7E { return "'\(Character(Unicode.Scalar(b)))'" }
            return JSONByteReader.scalarName(UInt32(b))
        }
        guard let length = utf8Length(at: offset) else { return "" }
        let s = String(decoding: bytes[offset..<offset + length], as: UTF8.self)
        let value = s.unicodeScalars.first?.value ?? 0
        return "'\(s)' (\(JSONByteReader.scalarName(value)))"
    }

    /// "<expectation>, got <what is at pos>", or the invalid UTF-8 error when that is what is there.
    private func unexpected(_ expectation: String) -> LayoutError {
        if pos < bytes.count, bytes[pos] >= 0x80, utf8Length(at: pos) == nil { return invalidUTF8(at: pos) }
        return error(at: pos, "\(expectation), got \(describe(at: pos))")
    }

    private func invalidUTF8(at offset: Int) -> LayoutError {
        error(at: offset, "invalid UTF-8 byte 0x\(JSONByteReader.hex(UInt32(bytes[offset]), digits: 2))")
    }

    private func error(at offset: Int, _ message: String) -> LayoutError {
        LayoutError(.syntax, at: location(offset), message)
    }

    /// "line:column" of a byte offset; see the type's doc comment for how columns count.
    /// Only called for errors, so a scan from the start is fine.
    func location(_ offset: Int) -> String {
        var line = 1, column = 1
        var i = start
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return "\(line):\(column)"
    }

    private static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func hex(_ v: UInt32, digits: Int = 4) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    static func scalarName(_ v: UInt32) -> String { "U+" + hex(v) }

    /// How to write control byte `b` inside a JSON string.
    static func escapeName(_ b: UInt8) -> String {
        switch b {
        case 0x09: "\\t"
        case 0x0D: "\\r"
        case 0x08: "\\b"
        case 0x0C: "\\f"
        case 0x0A: "\\n"
        default: "\\u" + hex(UInt32(b))
        }
    }
}
