import Foundation
import InceptionCore
import TestSupport
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The SVG of a figure (issue 23): well-formed XML, every colour inline (no `<style>`, no external
/// reference), a golden file for inception_3a, and a picture rsvg-convert draws that is not blank.
final class FigureSVGTests: XCTestCase {
    static func figure3a() throws -> (BlockFigure, NetworkFigure) {
        let layout = try LayoutSource.load("builtin:googlenet").layout
        let analysis = Analysis(layout)
        let address = try XCTUnwrap(layout.address(ofPath: "inception_3a"))
        let block = try XCTUnwrap(FigureBuilder.block(at: address, layout: layout, analysis: analysis))
        return (block, FigureBuilder.network(layout: layout, analysis: analysis))
    }

    /// Every element name of a document, or the parser's error.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var texts: [String] = []
        var attributes: [[String: String]] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            elements.append(name)
            self.attributes.append(attributes)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            let t = string.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty { texts.append(t) }
        }
    }

    func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(
            parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")", file: file, line: line)
        return collector
    }

    func testInception3aIsStandaloneXMLWithTheLabelsAsText() throws {
        let (block, _) = try Self.figure3a()
        for theme in FigureSVG.Theme.allCases {
            let svg = FigureSVG.render(block, theme: theme)
            let doc = parse(svg)
            XCTAssertEqual(doc.elements.first, "svg")
            XCTAssertFalse(doc.elements.contains("style"), "no <style>: colours are attributes")
            XCTAssertFalse(svg.contains("href"), "no external references")
            XCTAssertFalse(svg.contains("class="))
            for label in [
                "Filter concatenation 256x28x28", "Previous layer 192x28x28", "1x1 conv 64", "1x1 conv 96",
                "3x3 conv 128",
                "1x1 conv 16", "5x5 conv 32", "3x3 max pool", "1x1 conv 32", "110.7K",
            ] {
                XCTAssertTrue(doc.texts.contains(label), "\(theme): <text>\(label)</text> missing")
            }
            XCTAssertEqual(
                doc.elements.filter { $0 == "rect" }.count, 1 + 1 + 1 + 7, "background, input, join, seven layers")
            let fills = Set(doc.attributes.compactMap { $0["fill"] })
            if theme == .gray {
                for fill in fills where fill.hasPrefix("#") && fill.count == 7 {
                    let hex = Array(fill.dropFirst())
                    XCTAssertTrue(
                        hex[0] == hex[2] && hex[2] == hex[4] && hex[1] == hex[3] && hex[3] == hex[5],
                        "\(fill) is not a gray")
                }
            } else {
                XCTAssertTrue(
                    fills.contains("#ffffff") && fills.contains("#b9d3ee"), "reductions white, main convs filled")
            }
        }
    }

    func testGoldenSVGOf3a() throws {
        let (block, _) = try Self.figure3a()
        assertGolden(FigureSVG.render(block), named: "figure-inception_3a.svg", in: "Fixtures")
    }

    func testWholeNetworkWrapsIntoColumns() throws {
        let (_, network) = try Self.figure3a()
        let svg = FigureSVG.render(network)
        let doc = parse(svg)
        for name in ["inception_3a", "inception_5b", "input 3x224x224"] {
            XCTAssertTrue(doc.texts.contains(name), name)
        }
        // GoogLeNet's column (the inference path, aux heads out) wraps into columns of at most 8.
        XCTAssertTrue(svg.contains("stroke-dasharray=\"4 3\""), "columns continue into the next")
    }

    /// rsvg-convert (librsvg2-bin; `.ci/run` installs it) draws the figure; the PNG must not be
    /// blank: more than one colour in its pixels. Skipped, saying so, where the tool is missing.
    func testRsvgConvertDrawsIt() throws {
        let tool = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let tool else {
            throw XCTSkip("rsvg-convert not installed (apt-get install librsvg2-bin): SVG not rendered")
        }
        let (block, _) = try Self.figure3a()
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let svg = dir.url.appendingPathComponent("3a.svg"), png = dir.url.appendingPathComponent("3a.png")
        try Data(FigureSVG.render(block).utf8).write(to: svg)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["--format", "png", "--background-color", "white", "-o", png.path, svg.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let bytes = try Data(contentsOf: png)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        // Width and height from the IHDR chunk: the SVG's size.
        let w = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertGreaterThan(w, 200)
        XCTAssertGreaterThan(h, 150)
        // A blank white PNG of this size compresses to a few hundred bytes; boxes, lines and text
        // make kilobytes.
        XCTAssertGreaterThan(bytes.count, 4_000, "the PNG looks blank")
    }
}
