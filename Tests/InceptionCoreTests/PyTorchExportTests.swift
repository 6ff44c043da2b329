import Foundation
import TestSupport
import XCTest

@testable import InceptionCore

/// The PyTorch export's text: a golden file for a small layout, Python compilation where Python
/// exists, shared classes, names, and the weight table. (The torch checks of parameter counts and
/// outputs are in Benchmarks/export_check.py: swift test never needs torch.)
final class PyTorchExportTests: XCTestCase {
    static let command = "inception-explorer export export-tiny.json -o export-tiny.py"

    func tiny() throws -> Layout {
        try LayoutCodec.decode(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: SharedFixtures.path("export-tiny.json")))))
    }

    /// Re-record with RECORD_SNAPSHOTS=1 swift test --filter PyTorchExportTests.
    func testTinyLayoutMatchesTheGoldenFile() throws {
        assertGolden(
            try PyTorchExport.source(try tiny(), command: Self.command), named: "export-tiny.py", in: "Fixtures")
    }

    func testGeneratedFilesCompileWherePythonExists() throws {
        guard let python = Self.python3() else { throw XCTSkip("python3 not found; py_compile check skipped") }
        let tmp = try TemporaryDirectory("ie-py")
        defer { tmp.remove() }
        let dir = tmp.url
        // Names and a description that Python could trip over: quotes, backslashes, keywords, clashes.
        var nasty = try tiny()
        nasty.name = "class \"x\" \\"
        nasty.description = "ends in a quote \"\"\" and a backslash \\"
        nasty.layers[0].name = "def"
        nasty.layers[2].name = "a\"b\\c"
        nasty.layers[9].name = "a_b_c"
        let layouts = [
            ("tiny", try tiny()), ("nasty", nasty), ("googlenet", try DesignFixtures.googlenet()),
            ("v3", try DesignFixtures.inceptionV3()),
        ]
        for (name, layout) in layouts {
            let file = dir.appendingPathComponent("\(name).py")
            try Data(try PyTorchExport.source(layout, command: "test").utf8).write(to: file)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["-m", "py_compile", file.path]
            p.standardInput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "\(name).py does not compile")
        }
    }

    func testStructurallyEqualBlocksShareOneClass() throws {
        // GoogLeNet: nine inception blocks of one structure (Szegedy et al. 2014, Table 1) and two
        // equal aux heads: one class each.
        let g = try PyTorchExport.source(try DesignFixtures.googlenet(), command: "test")
        XCTAssertEqual(Self.classes(g), ["BasicConv2d", "BasicLinear", "Inception", "InceptionAux", "GoogLeNet"])
        XCTAssertTrue(
            g.contains(
                "\"\"\"Used by inception_3a, inception_3b, inception_4a, inception_4b, inception_4c, "
                    + "inception_4d, inception_4e, inception_5a, inception_5b.\"\"\""))
        XCTAssertTrue(
            g.contains("self.aux1 = InceptionAux(512, ch_conv1=128, ch_fc2=1024, ch_fc4=1000) if aux else None"))
        // Inception-v3 as torchvision builds it: Mixed_5b-d, 6a, 6b-e, 7a, 7b-c are five kinds (its
        // InceptionA..E), plus the 1x3/3x1 split inside 7b/7c and the aux head.
        let v3 = try PyTorchExport.source(try DesignFixtures.inceptionV3(), command: "test")
        XCTAssertEqual(
            Self.classes(v3),
            [
                "BasicConv2d", "BasicLinear", "InceptionA", "InceptionB", "InceptionC",
                "InceptionAux", "InceptionD", "Split", "InceptionE", "Inception_v3",
            ])
        XCTAssertTrue(v3.contains("\"\"\"Used by Mixed_6b, Mixed_6c, Mixed_6d, Mixed_6e.\"\"\""))
        // Every v3 conv is bias-free with batchnorm, so those are BasicConv2d's defaults there.
        XCTAssertTrue(v3.contains("bias=False, batchnorm=True, relu=True):"))
    }

    func testWeightTableNamesEveryConvAndLinearOnce() throws {
        for layout in [try tiny(), try DesignFixtures.googlenet(), try DesignFixtures.inceptionV3()] {
            let text = try PyTorchExport.source(layout, command: "test")
            let want = Analysis(layout).nodes.filter { $0.op == .conv || $0.op == .linear }.map(\.path)
            let rows = text.split(separator: "\n").filter { $0.hasPrefix("    (\"") && $0.hasSuffix("),") }
            let got = rows.map { row -> String in
                let s = row.dropFirst(6)
                return String(s[..<s.firstIndex(of: "\"")!])
            }
            XCTAssertEqual(got, want, layout.name)
        }
        let text = try PyTorchExport.source(try tiny(), command: "test")
        XCTAssertTrue(text.contains("(\"split/eval/fan/0/0\", \"split.eval_.fan.branch0\", False),"))
        XCTAssertTrue(text.contains("(\"side/1\", \"side.conv1\", True),"))
    }

    func testNamesBecomeValidUniqueIdentifiers() {
        var s = PythonScope()
        XCTAssertEqual(s.identifier(for: "3x3", prefix: "branch"), "branch3x3")
        XCTAssertEqual(s.identifier(for: "for", prefix: "layer"), "for_")
        XCTAssertEqual(s.identifier(for: "eval", prefix: "layer"), "eval_")
        XCTAssertEqual(s.identifier(for: "training", prefix: "layer"), "training_")
        XCTAssertEqual(s.identifier(for: "pool proj", prefix: "layer"), "pool_proj")
        XCTAssertEqual(s.identifier(for: "pool-proj", prefix: "layer"), "pool_proj_2")
        XCTAssertEqual(s.identifier(for: "_x", prefix: "layer"), "layer_x")
        XCTAssertEqual(s.identifier(for: "é", prefix: "layer"), "layer_")
        XCTAssertEqual(PythonScope.className("Inception-v3"), "Inception_v3")
        XCTAssertEqual(PythonScope.className("3net"), "Net3net")
        XCTAssertEqual(PythonScope.literal("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"")
    }

    func testRenamedNamesAreListedInTheHeader() throws {
        let text = try PyTorchExport.source(try tiny(), command: "test")
        XCTAssertTrue(text.contains("#   tiny_export: for -> for_\n"))
        XCTAssertTrue(text.contains("#   InceptionA: 1x1 -> branch1x1, 3x3 -> branch3x3\n"))
        XCTAssertTrue(text.contains("#   InceptionB: 1x3 -> branch1x3, eval -> eval_\n"))
    }

    func testHeaderNamesLayoutTotalsAndCommand() throws {
        let text = try PyTorchExport.source(
            try DesignFixtures.googlenet(), command: "inception-explorer export builtin:googlenet -o g.py")
        let head = text.split(separator: "\n").prefix(6).joined(separator: "\n")
        XCTAssertTrue(head.hasPrefix("# GoogLeNet: PyTorch module generated by inception-explorer."))
        XCTAssertTrue(head.contains("# Command: inception-explorer export builtin:googlenet -o g.py"))
        // Szegedy et al. 2014 Table 1 structure: 6,998,552 params, 1,582,671,872 MACs; aux heads 6,379,728 params.
        XCTAssertTrue(head.contains("Params (trainable) 6,998,552; batchnorm buffers 0"))
        XCTAssertTrue(head.contains("MACs 1,582,671,872"))
        XCTAssertTrue(head.contains("params 6,379,728, MACs 8,372,224"))
    }

    func testInvalidLayoutIsRefusedWithItsLocatedMessage() throws {
        var layout = try DesignFixtures.googlenet()
        layout.input = Shape(3, 8, 8)  // conv1's 7x7/2 leaves 4x4, pool1 2x2 ... the 7x7 pool5 no longer fits
        XCTAssertThrowsError(try PyTorchExport.source(layout, command: "test")) { error in
            let e = error as! PyTorchExport.Failure
            XCTAssertEqual(e.description, Analysis(layout).errors.first!.description)
            XCTAssertTrue(e.description.contains("/") || e.description.contains(":"), e.description)
        }
    }

    func testAMapLayerAfterALinearLayerIsRefusedByPath() throws {
        // Valid for the engine (a linear output is C×1×1), but torch's Linear gives [N, C].
        var layout = try DesignFixtures.googlenet()
        layout.layers.append(Layer(name: "late", .conv(Conv(out: 8, kernel: Pair(1, 1)))))
        XCTAssertTrue(Analysis(layout).isValid)
        XCTAssertEqual(layout.firstMapLayerAfterLinear(), "late")
        XCTAssertThrowsError(try PyTorchExport.source(layout, command: "test")) { e in
            XCTAssertTrue("\(e)".hasPrefix("late: follows a linear layer"), "\(e)")
        }
        // Softmax and dropout after a linear layer are fine (GoogLeNet ends fc → prob), and so are
        // the aux heads' linear → dropout → linear → softmax.
        XCTAssertNil(try DesignFixtures.googlenet().firstMapLayerAfterLinear())
        XCTAssertNil(try DesignFixtures.inceptionV3().firstMapLayerAfterLinear())
    }

    static func classes(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("class ") }.map { line in
            let s = line.dropFirst(6)
            return String(s[..<s.firstIndex(of: "(")!])
        }
    }

    static func python3() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
