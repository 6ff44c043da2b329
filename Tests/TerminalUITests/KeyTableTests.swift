import TerminalUI
import XCTest

final class KeyTableTests: XCTestCase {
    enum Action: Equatable { case up, down, quit, help }

    let table = KeyTable<Action>([
        KeyBinding([.up, .char("k")], .up, help: "move up", group: "Navigation"),
        KeyBinding([.down, .char("j")], .down, help: "move down", group: "Navigation", label: "move"),
        KeyBinding([.char("q")], .quit, help: "quit", group: "General", label: "quit"),
        KeyBinding([.char("?")], .help, help: "show this help", group: "General", label: "help"),
    ])

    func testDispatch() {
        XCTAssertEqual(table.action(for: .char("k")), .up)
        XCTAssertEqual(table.action(for: .down), .down)
        XCTAssertEqual(table.action(for: .char("q")), .quit)
        XCTAssertNil(table.action(for: .char("Q")), "case matters")
        XCTAssertNil(table.action(for: .resize))
        XCTAssertEqual(table.shadowedKeys, [])
    }

    func testHintsAndHelpComeFromTheSameBindings() {
        XCTAssertEqual(
            table.hints(),
            [
                KeyHint(key: "↓", label: "move"), KeyHint(key: "q", label: "quit"),
                KeyHint(key: "?", label: "help"),
            ])
        XCTAssertEqual(table.hints(ascii: true).first, KeyHint(key: "Down", label: "move"))
        XCTAssertEqual(
            table.helpLines(),
            [
                "Navigation",
                "  ↑ k  move up",
                "  ↓ j  move down",
                "",
                "General",
                "  q    quit",
                "  ?    show this help",
            ])
        // Change the data once: dispatch, hints and help all follow.
        var edited = table
        edited.bindings[2] = KeyBinding([.ctrl("q"), .char("q")], .quit, help: "leave", group: "General", label: "bye")
        XCTAssertEqual(edited.action(for: .ctrl("q")), .quit)
        XCTAssertTrue(edited.hints().contains(KeyHint(key: "^Q", label: "bye")))
        XCTAssertTrue(edited.helpLines().contains("  ^Q q  leave"))
    }

    func testShadowedKeysAreReported() {
        var t = table
        t.bindings.append(KeyBinding([.char("j")], .quit, help: "never reached"))
        XCTAssertEqual(t.shadowedKeys, [.char("j")])
        XCTAssertEqual(t.action(for: .char("j")), .down, "first binding wins")
    }

    func testKeyLabels() {
        XCTAssertEqual(Key.char(" ").label(), "Space")
        XCTAssertEqual(Key.ctrl("u").label(), "^U")
        XCTAssertEqual(Key.pageDown.label(), "PgDn")
        XCTAssertEqual(Key.function(1).label(), "F1")
        XCTAssertEqual(Key.left.label(ascii: true), "Left")
        XCTAssertEqual(Key.left.label(), "←")
    }
}

final class GlyphTests: XCTestCase {
    func testASCIISetIsASCIIAndUnicodeSetIsNot() {
        XCTAssertTrue(Glyphs.ascii.allGlyphs.unicodeScalars.allSatisfy { $0.isASCII })
        XCTAssertFalse(Glyphs.unicode.allGlyphs.unicodeScalars.allSatisfy { $0.isASCII })
        // Guides of one width within a set, markers too (ASCII: "+- ", "[+]", so nothing runs together).
        for (g, guide, marker) in [(Glyphs.ascii, 3, 3), (Glyphs.unicode, 2, 1)] {
            for s in [g.treeBranch, g.treeLast, g.treeVertical, g.treeBlank] { XCTAssertEqual(TextWidth.of(s), guide) }
            for s in [g.expanded, g.collapsed, g.leaf] { XCTAssertEqual(TextWidth.of(s), marker) }
        }
    }

    func testWholeScreenInASCIIRendersOnlyASCII() {
        let g = Glyphs.ascii
        var b = Buffer(width: 60, height: 20)
        let cols = b.area.splitHorizontally([.percent(50), .fill()])
        let box = Box(title: "Layers", glyphs: g)
        b.render(box, in: cols[0])
        b.render(
            TreeView(rows: WidgetTests.treeRows, columns: [Column(width: .fixed(6))], selected: 1, glyphs: g),
            in: box.inner(cols[0]))
        b.render(Paragraph(["a very long line that will not fit"]), in: cols[1].row(2))
        b.put("a very long line that will not fit", in: cols[1].row(3), ellipsis: g.ellipsis)
        let table = KeyTable<Int>([KeyBinding([.up, .pageDown, .left], 1, help: "move", label: "move")])
        b.render(StatusBar(hints: table.hints(ascii: true), message: .error("oops"), glyphs: g), in: b.area.row(19))
        b.render(
            Overlay(title: "Help", text: table.helpLines(ascii: true) + (0..<30).map { "l\($0)" }, glyphs: g),
            in: b.area)
        XCTAssertTrue(b.text.unicodeScalars.allSatisfy { $0.isASCII }, b.text)
    }

    func testLocaleDetection() {
        XCTAssertTrue(Glyphs.localeIsUTF8(["LANG": "en_US.UTF-8"]))
        XCTAssertTrue(Glyphs.localeIsUTF8(["LC_ALL": "C.utf8", "LANG": "C"]))
        XCTAssertFalse(Glyphs.localeIsUTF8(["LC_ALL": "C", "LANG": "en_US.UTF-8"]), "LC_ALL wins")
        XCTAssertFalse(Glyphs.localeIsUTF8([:]))
        XCTAssertEqual(Glyphs.forEnvironment(["LANG": "en_US.UTF-8"], forceASCII: true), .ascii)
    }
}

final class StyleTests: XCTestCase {
    func testMonochromeKeepsMeaningAsAttributes() {
        XCTAssertEqual(Style(.error).resolved(color: true).foreground, .red)
        let mono = Style(.error).resolved(color: false)
        XCTAssertEqual(mono.foreground, .terminalDefault)
        XCTAssertTrue(mono.bold)
        XCTAssertTrue(Style(.selection).resolved(color: false).reverse)
        for role in ColorRole.allCases {
            XCTAssertEqual(role.monochromeStyle.foreground, .terminalDefault, "\(role) has a color in monochrome")
        }
        XCTAssertTrue(Style(.normal, reverse: true).resolved(color: false).reverse, "explicit attributes survive")
    }
}
