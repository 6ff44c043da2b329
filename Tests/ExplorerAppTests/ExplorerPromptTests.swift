import Foundation
import InceptionCore
import InceptionWeights
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// The prompts: what they refuse (a half kernel, a width over the layout limit, a name over the byte
/// limit), what they echo and count as you type, and Tab completion of built-in names. Each test
/// failed before its fix (issues 11, 12, 19 and 24).
final class ExplorerPromptTests: XCTestCase {
    // MARK: refused

    func testKernelPromptRefusesAHalfKernel() throws {
        let h = try Harness()
        h.go(to: "conv2")
        let before = h.explorer.state.layout
        for text in ["x3", "3x", "x", "3xx3"] {
            h.press(.char("K"), .ctrl("u"))
            h.type(text)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.layout, before, text)
            XCTAssertTrue(h.status.contains("kernel must be like"), "\(text): \(h.status)")
        }
        // A well-formed kernel above the explorer's cap is refused for what it is, not its form.
        for text in ["65", "1x65"] {
            h.press(.char("K"), .ctrl("u"))
            h.type(text)
            h.press(.enter)
            XCTAssertEqual(h.explorer.state.layout, before, text)
            XCTAssertTrue(h.status.contains("above the explorer's limit of 64"), "\(text): \(h.status)")
        }
    }

    func testWidthPromptAndPlusStopAtTheLayoutLimit() throws {
        let h = try Harness()
        h.go(to: "conv1")
        h.press(.char("w"), .ctrl("u"))
        h.type(String(LayoutLimits.maxChannels + 1))
        h.press(.enter)
        XCTAssertTrue(h.status.contains("too large"), h.status)
        h.press(.char("w"), .ctrl("u"))
        h.type(String(LayoutLimits.maxChannels))
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.layout.width(at: h.explorer.state.selection), LayoutLimits.maxChannels)
        h.press(.char("+"))
        XCTAssertEqual(h.explorer.state.layout.width(at: h.explorer.state.selection), LayoutLimits.maxChannels)
        XCTAssertTrue(h.status.contains("largest width"), h.status)
        // What the explorer holds, the decoder loads again.
        XCTAssertNoThrow(try LayoutCodec.decode(Array(LayoutCodec.encode(h.explorer.state.layout).utf8)))
    }

    /// F2 with a name over 255 bytes (128 "é", 2 bytes each): refused in one short line.
    func testRenameRefusesANameOverTheByteLimit() throws {
        let h = try Harness()
        h.go(to: "inception_3a")
        let before = h.explorer.state.layout
        h.press(.function(2), .ctrl("u"))
        h.type(String(repeating: "é", count: 128))
        h.press(.enter)
        XCTAssertEqual(h.explorer.state.layout, before)
        let message = h.explorer.state.message?.text ?? ""
        XCTAssertTrue(message.contains("256 bytes, over the limit of 255"), message)
        XCTAssertLessThan(message.count, 140, message)
    }

    // MARK: as you type

    func testSearchEchoesTheQueryAsTyped() throws {
        let h = try Harness()
        h.go(to: "Inception_3B")
        XCTAssertEqual(h.explorer.state.selectedPath, "inception_3b")
        XCTAssertTrue(h.status.contains("/Inception_3B: inception_3b"), h.status)
    }

    func testSearchCountShowsAsYouType() throws {
        let h = try Harness()
        h.press(.char("/"))
        h.type("incep")
        // GoogLeNet has nine inception blocks (3a, 3b, 4a-4e, 5a, 5b).
        XCTAssertTrue(h.status.hasSuffix("1 of 9"), h.status)
        h.type("z")
        XCTAssertTrue(h.status.hasSuffix("no match"), h.status)
    }

    func testTabCompletesBuiltinNamesInTheOpenPrompt() throws {
        let h = try Harness()
        h.press(.char("O"))
        h.type("builtin:g")
        h.press(.tab)
        guard case .prompt(_, let p) = h.explorer.state.mode else { return XCTFail("prompt closed") }
        XCTAssertEqual(p.text, "builtin:googlenet")
        h.press(.ctrl("u"))
        h.type("bui")
        h.press(.tab)
        // Every built-in: the common prefix, and the candidates listed beside the prompt, in order
        // (as many as the line holds).
        let names = BuiltInLayout.allCases.map { "builtin:" + $0.rawValue }.sorted()
        XCTAssertGreaterThan(names.count, 2)
        guard case .prompt(_, let q) = h.explorer.state.mode else { return XCTFail("prompt closed") }
        XCTAssertEqual(q.text, "builtin:")
        XCTAssertEqual(h.explorer.state.completions, names)
        XCTAssertTrue(h.status.contains(names.prefix(2).joined(separator: "  ")), h.status)
    }
}
