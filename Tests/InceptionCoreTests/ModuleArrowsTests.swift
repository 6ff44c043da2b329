import Foundation
import XCTest

/// The house's arrows (docs/architecture.md): every `import` line under Sources/ checked against one
/// table of which project modules each module may import, and that table checked against the one
/// in docs/architecture.md, so the code, the test and the document cannot drift apart. System
/// modules (Foundation, Glibc, ...) are allowed everywhere; anything else must be in the table.
final class ModuleArrowsTests: XCTestCase {
    /// Module → the modules it may import. The same graph as docs/architecture.md's "Arrows" table.
    static let arrows: [String: Set<String>] = [
        "InceptionCore": [],
        "InceptionWeights": ["InceptionCore"],
        "CPrefetch": [],
        "ConvEngine": ["CPrefetch"],
        "InceptionRuntime": ["InceptionCore", "InceptionWeights", "ConvEngine"],
        "InceptionONNX": ["InceptionCore", "InceptionWeights", "SwiftProtobuf"],
        "TerminalUI": [],
        "CNcurses": [],
        "CTerminalState": [],
        "CursesBackend": ["TerminalUI", "CNcurses", "CTerminalState"],
        "ExplorerApp": ["TerminalUI", "InceptionCore", "InceptionWeights"],
        "inception-explorer": [
            "ExplorerApp", "CursesBackend", "TerminalUI", "InceptionCore", "InceptionWeights",
            "InceptionRuntime", "InceptionONNX", "ArgumentParser",
        ],
    ]

    /// Modules of the toolchain and the system, which any module may import.
    static let system: Set<String> = [
        "Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Darwin", "Musl",
        "Synchronization",
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The module an `import` line names, or nil for another line: `import X`, `@testable import X`,
    /// `@preconcurrency import X`, `public import X`, `import struct X.Y`.
    static func importedModule(_ line: Substring) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let w = words.first,
            w.hasPrefix("@") || ["public", "package", "internal", "fileprivate", "private"].contains(w)
        {
            words = words.dropFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        words = words.dropFirst()
        if ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(words.first ?? ""),
            words.count >= 2
        {
            words = words.dropFirst()
        }
        return words.first.map { String($0.split(separator: ".")[0]) }
    }

    /// One line per forbidden import in `text` (a file of `module` at `path`, relative to the root).
    static func violations(module: String, path: String, text: String) -> [String] {
        guard let allowed = arrows[module] else {
            return [
                "\(path): module \(module) is not in the arrows table (ModuleArrowsTests.arrows, docs/architecture.md)"
            ]
        }
        var found: [String] = []
        var inString = false  // inside a multi-line string literal (generated Python has `import torch`)
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let quotes = line.components(separatedBy: "\"\"\"").count - 1
            defer { if quotes % 2 == 1 { inString.toggle() } }
            guard !inString, let imported = importedModule(line), imported != module, !system.contains(imported),
                !allowed.contains(imported)
            else { continue }
            found.append(
                "\(path):\(n + 1): \(module) imports \(imported), which the arrows forbid "
                    + "(\(module) may import: \(allowed.isEmpty ? "system modules only" : allowed.sorted().joined(separator: ", ")))"
            )
        }
        return found
    }

    func testEverySourceImportFollowsTheArrows() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let modules = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") }
            .sorted()
        XCTAssertEqual(Set(modules), Set(Self.arrows.keys), "Sources/ and the arrows table name the same modules")
        var checked = 0
        var problems: [String] = []
        for module in modules {
            let dir = sources.appendingPathComponent(module)
            guard let walker = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let file as String in walker where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                problems += Self.violations(module: module, path: "Sources/\(module)/\(file)", text: text)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 150, "the walk found the sources")
        XCTAssertTrue(
            problems.isEmpty, "imports against docs/architecture.md's arrows:\n" + problems.joined(separator: "\n"))
    }

    /// The check itself: a forbidden import is named with its file, line and what is allowed instead.
    func testAForbiddenImportIsNamedWithItsFile() {
        let text = "import Foundation\nimport InceptionCore\n@preconcurrency import InceptionONNX\n"
        XCTAssertEqual(
            Self.violations(module: "ExplorerApp", path: "Sources/ExplorerApp/X.swift", text: text),
            [
                "Sources/ExplorerApp/X.swift:3: ExplorerApp imports InceptionONNX, which the arrows forbid "
                    + "(ExplorerApp may import: InceptionCore, InceptionWeights, TerminalUI)"
            ])
        XCTAssertEqual(
            Self.violations(
                module: "InceptionCore", path: "c.swift", text: "import struct InceptionRuntime.ExecutionPlan"),
            [
                "c.swift:1: InceptionCore imports InceptionRuntime, which the arrows forbid (InceptionCore may import: system modules only)"
            ])
        XCTAssertEqual(
            Self.violations(module: "TerminalUI", path: "t.swift", text: "// import InceptionCore\nimport Glibc"), [])
        XCTAssertEqual(
            Self.violations(
                module: "InceptionCore", path: "p.swift",
                text: "let py = \"\"\"\n    import torch\n    \"\"\"\nimport os"),
            [
                "p.swift:4: InceptionCore imports os, which the arrows forbid (InceptionCore may import: system modules only)"
            ])
    }

    /// docs/architecture.md's "Arrows" table says what `arrows` says, row for row.
    func testTheTableIsTheOneInArchitectureMd() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try XCTUnwrap(
            lines.firstIndex { $0.hasPrefix("| module | may import") }, "the arrows table in docs/architecture.md")
        var documented: [String: Set<String>] = [:]
        for line in lines[(start + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            let module = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let targets =
                cells[1] == "—"
                ? []
                : cells[1].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                }
            documented[module] = Set(targets)
        }
        XCTAssertEqual(
            documented, Self.arrows, "docs/architecture.md's arrows table and ModuleArrowsTests.arrows differ")
    }
}
