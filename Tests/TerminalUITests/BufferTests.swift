import TerminalUI
import XCTest

final class BufferTests: XCTestCase {
    func testPutClipsAtEveryEdgeAndSizeWithoutTrapping() {
        let sizes = [(0, 0), (1, 1), (0, 5), (5, 0), (2, 1), (7, 3)]
        let origins = [-10, -1, 0, 1, 6, 100]
        for (w, h) in sizes {
            var b = Buffer(width: w, height: h)
            for x in origins {
                for y in origins {
                    b.put("héllo 名前 world", x: x, y: y, style: Style(.error))
                    b.fill(Rect(x: x, y: y, width: 3, height: 3), with: "#")
                    b.fill(Rect(x: x, y: y, width: -3, height: -3), with: "!")
                    b.restyle(Rect(x: x, y: y, width: 4, height: 2)) { $0.reverse = true }
                    b.set(x: x, y: y, Cell("z"))
                    b.render(Box(title: "title", glyphs: .unicode), in: Rect(x: x, y: y, width: w, height: h))
                }
            }
            XCTAssertEqual(b.lines.count, h)
            XCTAssertTrue(b.lines.allSatisfy { TextWidth.of($0) <= w }, "\(w)x\(h): \(b.lines)")
            XCTAssertFalse(b.text.contains("!"), "a negative-size fill wrote cells")
        }
    }

    func testPutWritesClippedTextAndReturnsNextColumn() {
        var b = Buffer(width: 6, height: 2)
        XCTAssertEqual(b.put("abcdefgh", x: -2, y: 0), 6)
        XCTAssertEqual(b.put("xy", x: 4, y: 1, clip: Rect(x: 0, y: 0, width: 5, height: 2)), 6)
        XCTAssertEqual(b.lines, ["cdefgh", "    x"])
    }

    func testClipRectangleLimitsWrites() {
        var b = Buffer(width: 8, height: 3)
        let clip = Rect(x: 2, y: 1, width: 3, height: 1)
        b.put("abcdefgh", x: 0, y: 1, clip: clip)
        b.put("abcdefgh", x: 0, y: 0, clip: clip)  // row outside the clip
        XCTAssertEqual(b.lines, ["", "  cde", ""])
    }

    func testWideCharactersTakeTwoCellsAndNeverSplit() {
        var b = Buffer(width: 5, height: 2)
        XCTAssertEqual(b.put("名a前", x: 0, y: 0), 5)
        XCTAssertEqual(b.line(0), "名a前")
        XCTAssertEqual(b.cell(x: 1, y: 0)?.isContinuation, true)
        // Only the first half fits: a blank is drawn, not half a glyph.
        b.put("ab名", x: 2, y: 1)
        XCTAssertEqual(b.line(1), "  ab")
        XCTAssertFalse(b.cells.contains { $0.symbol == "名" && $0.isContinuation })
        // Overwriting the continuation blanks the lead half.
        b.set(x: 1, y: 0, Cell("x"))
        XCTAssertEqual(b.line(0), " xa前")
    }

    func testControlCharactersAreNeutralised() {
        var b = Buffer(width: 10, height: 1)
        b.put("a\u{1B}[2Jb\tc\n", x: 0, y: 0)
        XCTAssertEqual(b.line(0), "a?[2Jb c?")
    }

    func testStyledRunsAndStyleQueries() {
        var b = Buffer(width: 10, height: 1)
        b.put("ok", x: 0, y: 0, style: Style(.ok))
        b.put("bad", x: 3, y: 0, style: Style(.error))
        XCTAssertEqual(b.style(x: 4, y: 0)?.role, .error)
        XCTAssertNil(b.style(x: 10, y: 0))
        let runs = b.styledRuns(row: 0)
        XCTAssertEqual(runs.map(\.text), ["ok", " ", "bad", "    "])
        XCTAssertEqual(runs.map(\.x), [0, 2, 3, 6])
        XCTAssertEqual(runs.map(\.style.role), [.ok, .normal, .error, .normal])
        XCTAssertEqual(b.find("bad"), Point(x: 3, y: 0))
        XCTAssertNil(b.find("zzz"))
    }

    func testLinesTrimTrailingSpacesOnly() {
        var b = Buffer(width: 6, height: 2)
        b.put(" a b", x: 0, y: 0)
        XCTAssertEqual(b.lines, [" a b", ""])
        XCTAssertEqual(b.text, " a b\n")
    }

    func testBlitCopiesClipped() {
        var small = Buffer(width: 2, height: 2)
        small.fill(small.area, with: "#")
        var b = Buffer(width: 3, height: 3)
        b.blit(small, at: Point(x: 2, y: -1))
        XCTAssertEqual(b.lines, ["  #", "", ""])
    }
}

final class GeometryTests: XCTestCase {
    func testRectClampsAndIntersects() {
        let r = Rect(x: 2, y: 3, width: -5, height: 4)
        XCTAssertEqual(r.width, 0)
        XCTAssertTrue(r.isEmpty)
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        XCTAssertEqual(a.intersection(Rect(x: 5, y: -2, width: 10, height: 4)), Rect(x: 5, y: 0, width: 5, height: 2))
        XCTAssertTrue(a.intersection(Rect(x: 20, y: 0, width: 1, height: 1)).isEmpty)
        XCTAssertEqual(a.inset(by: 1), Rect(x: 1, y: 1, width: 8, height: 8))
        XCTAssertEqual(Rect(x: 0, y: 0, width: 1, height: 1).inset(by: 1).size, Size(width: 0, height: 0))
        XCTAssertEqual(a.centered(width: 4, height: 20), Rect(x: 3, y: 0, width: 4, height: 10))
    }

    func testLayoutLengths() {
        XCTAssertEqual(Split.lengths([.fixed(30), .fill()], total: 100), [30, 70])
        XCTAssertEqual(Split.lengths([.percent(60), .fill()], total: 99), [59, 40])
        XCTAssertEqual(Split.lengths([.fill(1), .fill(1), .fill(1)], total: 10), [4, 3, 3])
        XCTAssertEqual(Split.lengths([.fill(2), .fill(1)], total: 9), [6, 3])
        // Too little room: fixed parts are served in order, nothing goes negative.
        XCTAssertEqual(Split.lengths([.fixed(5), .fixed(5), .fill()], total: 7), [5, 2, 0])
        XCTAssertEqual(Split.lengths([.fixed(5), .percent(50)], total: 0), [0, 0])
    }

    func testSplits() {
        let r = Rect(x: 0, y: 0, width: 80, height: 24)
        let (top, rest) = r.splitTop(1)
        let (body, bottom) = rest.splitBottom(1)
        XCTAssertEqual(top, Rect(x: 0, y: 0, width: 80, height: 1))
        XCTAssertEqual(body, Rect(x: 0, y: 1, width: 80, height: 22))
        XCTAssertEqual(bottom, Rect(x: 0, y: 23, width: 80, height: 1))
        let cols = body.splitHorizontally([.percent(50), .fill()])
        XCTAssertEqual(cols.map(\.x), [0, 40])
        XCTAssertEqual(cols.map(\.width), [40, 40])
        XCTAssertEqual(r.splitVertically([.fixed(30), .fill()]).map(\.height), [24, 0])
    }
}
