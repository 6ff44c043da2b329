import Foundation
import InceptionCore
import InceptionWeights
import TerminalUI
import TestSupport
import XCTest

@testable import ExplorerApp

/// What the status line says after a key: a cut message points at the log (`L`) that keeps it whole,
/// undo says what it went back to, a rename names no counts, `=` with nothing to compare says so,
/// block moves on the network row say what to select, small changes keep their sign, and an edited
/// imported model's timing says which layers ran seeded. Each test failed before its fix (issues 11
/// and 24).
final class ExplorerMessageTests: XCTestCase {
    func testACutMessageSaysWhereToReadItAndLShowsItWhole() throws {
        let h = try Harness(size: Size(width: 80, height: 24))
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("+"))
        let whole = try XCTUnwrap(h.explorer.state.message?.text)
        XCTAssertFalse(h.status.contains(whole), "the message is cut at 80 columns: " + h.status)
        XCTAssertTrue(h.status.contains("(L log)"), h.status)
        h.press(.char("L"))
        XCTAssertEqual(h.explorer.state.mode.isOverlay, true)
        XCTAssertTrue(h.text.contains("Messages, newest last"), h.text)
        // Wrapped, never cut: every word of the message is on the screen.
        let shown = h.text.split(separator: "\n").joined(separator: " ")
        for word in whole.split(separator: " ") { XCTAssertTrue(shown.contains(word), "\(word) in\n" + h.text) }
        h.press(.escape)
        XCTAssertEqual(h.explorer.state.mode, .normal)
        // The log keeps earlier messages too, oldest first.
        h.press(.char("u"))
        let last = h.explorer.state.messageLog.suffix(2).map(\.text)
        XCTAssertTrue(last.first?.hasPrefix("inception_3a/3x3/1: width 128 to 136") ?? false, "\(last)")
        XCTAssertTrue(last.last?.hasPrefix("undo: inception_3a/3x3/1 back to width 128") ?? false, "\(last)")
    }

    func testUndoSaysWhatTheWidthWentBackTo() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3/1")
        h.press(.char("+"), .char("+"), .char("u"))
        XCTAssertTrue(h.status.hasPrefix("undo: inception_3a/3x3/1 back to width 136 | params -"), h.status)
        h.press(.char("u"))
        XCTAssertTrue(h.status.hasPrefix("undo: inception_3a/3x3/1 back to width 128 | params -"), h.status)
    }

    func testARenameSaysNothingOfCountsThatDidNotChange() throws {
        let h = try Harness()
        h.go(to: "inception_3a/3x3")
        h.press(.function(2), .ctrl("u"))
        h.type("wide")
        h.press(.enter)
        let message = try XCTUnwrap(h.explorer.state.message?.text)
        XCTAssertFalse(message.contains("params"), message)
        XCTAssertFalse(message.contains("0.0%"), message)
    }

    func testCompareWithNoEditsSaysSo() throws {
        let h = try Harness()
        h.press(.char("="))
        XCTAssertEqual(h.explorer.state.mode, .normal)
        XCTAssertTrue(h.status.hasPrefix("no changes since load"), h.status)
    }

    func testBlockMovesOnTheRootSayWhatToSelect() throws {
        let h = try Harness()
        h.press(.home)
        for key in ["c", "x", "a", "d"] {
            h.press(.char(Character(key)))
            XCTAssertFalse(h.status.contains("@"), "\(key): \(h.status)")
            XCTAssertTrue(h.status.contains("the network row"), "\(key): \(h.status)")
        }
    }

    func testSmallChangesKeepTheirSign() throws {
        // Inception-v3's Mixed_5b/branch_pool: +8 wide changes a few thousand of 23.8M params, under
        // 0.05%: "+<0.1%", never "(0.0%)" beside a non-zero count.
        let h = try Harness(.inceptionV3)
        h.go(to: "Mixed_5b/branch_pool")
        h.press(.char("+"))
        XCTAssertTrue(h.status.contains("(+<0.1%)"), h.status)
        XCTAssertFalse(h.status.contains("(0.0%)"), h.status)
        XCTAssertEqual(NumberFormat.percentChange(from: 1000, to: 1000), "0.0%")
        XCTAssertEqual(NumberFormat.percentChange(from: 100_000, to: 99_999), "-<0.1%")
        XCTAssertEqual(NumberFormat.percentChange(from: 100, to: 108), "+8.0%")
    }

    func testTimingAnEditedImportedModelSaysEditedLayersRanSeeded() throws {
        let h = try Harness(timer: FixedTimer())
        h.explorer.state.modelWeights = ModelWeights(origin: "model.onnx", layers: [:])
        h.go(to: "inception_3a")
        h.press(.char("r"))
        try h.explorer.waitForTiming()
        XCTAssertFalse(h.explorer.state.message?.text.contains("seeded") ?? true)
        h.go(to: "inception_3a/1x1")
        h.press(.char("+"), .char("r"))
        try h.explorer.waitForTiming()
        XCTAssertTrue(
            h.explorer.state.message?.text.contains("edited layers ran on seeded weights") ?? false,
            h.explorer.state.message?.text ?? "")
    }
}
