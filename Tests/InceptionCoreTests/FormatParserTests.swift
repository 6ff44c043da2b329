import XCTest

@testable import InceptionCore

/// The strict JSON reader: values, key order, and each class of syntax error with its exact
/// `line:column` (1-based; columns count Unicode scalars).
final class FormatParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    private func assertSyntax(
        _ bytes: [UInt8], _ location: String, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let value = try JSONParser.parse(bytes)
            XCTFail("parsed \(value.compactText), expected \(location): \(message)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, LayoutError(.syntax, at: location, message), file: file, line: line)
        }
    }

    private func assertSyntax(
        _ text: String, _ location: String, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        assertSyntax(Array(text.utf8), location, message, file: file, line: line)
    }

    // MARK: Valid documents

    func testScalarsAndContainers() throws {
        let value = try parse(
            #"{"n": null, "t": true, "f": false, "i": -42, "d": 1.5, "e": 2E2, "s": "x", "a": [1, [2]], "o": {}}"#)
        XCTAssertEqual(
            value,
            .object([
                ("n", .null), ("t", .bool(true)), ("f", .bool(false)), ("i", .int(-42)), ("d", .double(1.5)),
                ("e", .double(200)), ("s", .string("x")), ("a", .array([.int(1), .array([.int(2)])])),
                ("o", .object([])),
            ]))
    }

    func testKeyOrderIsKept() throws {
        let value = try parse(#"{"b": 1, "a": 2}"#)
        XCTAssertEqual(value, .object([("b", .int(1)), ("a", .int(2))]))
        XCTAssertNotEqual(value, .object([("a", .int(2)), ("b", .int(1))]))
        XCTAssertEqual(value.compactText, #"{"b":1,"a":2}"#)
    }

    func testIntegersVersusDoubles() throws {
        XCTAssertEqual(
            try parse("[0, -0, 7, 1.0, 1e2, 1E-2, -2.5e+3]"),
            .array([.int(0), .int(0), .int(7), .double(1), .double(100), .double(0.01), .double(-2500)]))
        // The extremes of Int64 fit; one past does not.
        XCTAssertEqual(try parse("[9223372036854775807, -9223372036854775808]"), .array([.int(.max), .int(.min)]))
    }

    func testStringEscapesAndUnicode() throws {
        XCTAssertEqual(
            try parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\uD83D\uDE00", "é中😀", "\u0000"]"#),
            .array([
                .string("a\"b\\c/d\u{8}\u{C}\n\r\t"), .string("é中"), .string("😀"), .string("é中😀"), .string("\u{0}"),
            ]))
    }

    func testByteOrderMarkIsSkipped() throws {
        XCTAssertEqual(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8)), .object([("a", .int(1))]))
        // ... and not counted as a column.
        assertSyntax([0xEF, 0xBB, 0xBF] + Array("[1,]".utf8), "1:3", "trailing comma before ']'")
    }

    func testWhitespaceAroundTheDocument() throws {
        XCTAssertEqual(try parse(" \r\n\t[ ]\n\n"), .array([]))
    }

    func testNestingUpToTheLimit() throws {
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        XCTAssertNoThrow(try parse(deep))
    }

    // MARK: Errors

    func testEmptyFile() {
        assertSyntax("", "1:1", "empty file")
        assertSyntax("  \n ", "2:2", "empty file")
    }

    func testInvalidUTF8() {
        assertSyntax(Array(#"{"a": "x"#.utf8) + [0xFF] + Array(#""}"#.utf8), "1:9", "invalid UTF-8 byte 0xFF")
        assertSyntax(Array("[1, ".utf8) + [0xC3] + Array("]".utf8), "1:5", "invalid UTF-8 byte 0xC3")
        // Overlong encoding of "/" and an encoded surrogate are not UTF-8 either.
        assertSyntax(Array(#"[""#.utf8) + [0xC0, 0xAF] + Array(#""]"#.utf8), "1:3", "invalid UTF-8 byte 0xC0")
        assertSyntax(Array(#"[""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""]"#.utf8), "1:3", "invalid UTF-8 byte 0xED")
    }

    func testUnexpectedCharacters() {
        assertSyntax(#"{"a": 1]"#, "1:8", "expected ',' or '}' after object member, got ']'")
        assertSyntax("[1 2]", "1:4", "expected ',' or ']' after array element, got '2'")
        assertSyntax(#"{"a" 1}"#, "1:6", "expected ':' after object key, got '1'")
        assertSyntax("{a: 1}", "1:2", "expected a string key or '}', got 'a'")
        assertSyntax(#"{"a": 1, 2}"#, "1:10", "expected a string key after ',', got '2'")
        assertSyntax("[True]", "1:2", "expected a value, got 'True'")
        assertSyntax("[nul]", "1:2", "expected a value, got 'nul'")
        assertSyntax("[+1]", "1:2", "expected a value, got '+'")
        assertSyntax("[é]", "1:2", "expected a value, got 'é' (U+00E9)")
        assertSyntax(#"{"a": "#, "1:7", "expected a value, got end of file")
        assertSyntax("[1,", "1:4", "expected a value, got end of file")
    }

    func testColumnsCountScalarsAndLinesCountLineFeeds() {
        assertSyntax(#"["é中", x]"#, "1:8", "expected a value, got 'x'")
        assertSyntax("{\r\n  \"a\": 1,\r\n}", "2:9", "trailing comma before '}'")
    }

    func testTrailingCommas() {
        assertSyntax("[1, 2,]", "1:6", "trailing comma before ']'")
        assertSyntax("{\"a\": 1,\n}", "1:8", "trailing comma before '}'")
    }

    func testDuplicateKey() {
        assertSyntax("{\n  \"kernel\": 3,\n  \"kernel\": 5\n}", "3:3", "duplicate key \"kernel\" (first at 2:3)")
        // Large objects use a dictionary for the check; same answer. "k0": 0, … "k6": 6 take 7 · 9
        // characters after "{", so "k7" first starts at column 65.
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        assertSyntax("{\(many), \"k7\": 0}", "1:\(many.count + 4)", "duplicate key \"k7\" (first at 1:65)")
        // The same key in different objects is fine.
        XCTAssertNoThrow(try parse(#"[{"a": 1}, {"a": 2, "b": {"a": 3}}]"#))
    }

    func testUnterminatedString() {
        assertSyntax(#"{"a": "abc"#, "1:7", "unterminated string")
        assertSyntax(#"["abc\"#, "1:2", "unterminated string")
    }

    func testBadEscapes() {
        assertSyntax(#"["a\x"]"#, "1:4", "invalid escape '\\x' in string")
        assertSyntax(#"["\u12G4"]"#, "1:3", "invalid \\u escape: expected 4 hex digits")
        assertSyntax(#"["\uD800"]"#, "1:3", "invalid \\u escape: unpaired surrogate \\uD800")
        assertSyntax(#"["\uDC00"]"#, "1:3", "invalid \\u escape: unpaired surrogate \\uDC00")
        assertSyntax(#"["\uD800\u0041"]"#, "1:3", "invalid \\u escape: unpaired surrogate \\uD800")
    }

    func testControlCharactersInStrings() {
        assertSyntax("[\"a\tb\"]", "1:4", "control character U+0009 in string; write it as \\t")
        assertSyntax("[\"a\u{1}\"]", "1:4", "control character U+0001 in string; write it as \\u0001")
        assertSyntax(
            "{\"a\": \"b\n\"}", "1:9", "line break inside a string (missing closing quote? write a line break as \\n)")
    }

    func testLeadingZeros() {
        assertSyntax("[01]", "1:2", "number 01 has a leading zero")
        assertSyntax("[-007]", "1:2", "number -007 has a leading zero")
    }

    func testMalformedNumbers() {
        assertSyntax("[-]", "1:3", "expected a digit after '-', got ']'")
        assertSyntax("[1.]", "1:4", "expected a digit after '.', got ']'")
        assertSyntax("[1e+]", "1:5", "expected a digit in the exponent, got ']'")
        assertSyntax("[.5]", "1:2", "expected a value, got '.'")
    }

    func testTrailingGarbage() {
        assertSyntax("{} x", "1:4", "expected end of file after the document, got 'x'")
        assertSyntax("[1]\n]", "2:1", "expected end of file after the document, got ']'")
    }

    func testNestingLimit() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        assertSyntax(deep, "1:65", "nesting deeper than 64 levels")
        let deepObjects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        assertSyntax(deepObjects, "1:\(64 * 5 + 1)", "nesting deeper than 64 levels")
    }

    func testNumbersOutOfRange() {
        assertSyntax("[99999999999999999999]", "1:2", "number 99999999999999999999 does not fit in 64 bits")
        assertSyntax("[9223372036854775808]", "1:2", "number 9223372036854775808 does not fit in 64 bits")
        assertSyntax("[-9223372036854775809]", "1:2", "number -9223372036854775809 does not fit in 64 bits")
        assertSyntax("[1e400]", "1:2", "number 1e400 is out of range for a 64-bit double")
        XCTAssertEqual(try? parse("[1e300]"), .array([.double(1e300)]))
    }
}
