import Foundation
import InceptionCore
import InceptionWeights
import TestSupport
import Testing

@testable import InceptionONNX

/// Issue 19, items 2, 3 and 6: text from a model file never reaches the terminal raw, a declared
/// output too large for 64 bits is one line, and the producer name is bounded.
@Suite struct ONNXHostileTextTests {
    /// Names QA used (a screen clear, a title change, a bell), random mutations' finds (`\x01`,
    /// `\x08`, `\x7f`), a NUL, a C1 CSI, a bidi override, CR.
    static let evil = [
        "gap\n...\u{1b}[2J", "Evil\u{1b}]0;PWNED\u{07}", "a\u{01}b", "back\u{08}space", "del\u{7f}",
        "nul\u{0}x", "c1\u{9b}31m", "bidi\u{202E}txt", "cr\rlf", "tab\there",
    ]

    /// One line, and no control or bidi character in it.
    static func isOneCleanLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: NodeNameRule.isUnsafe)
    }

    /// Imports `bytes`; a refusal must be one clean line naming the file, an import must give a
    /// valid layout whose names and description are clean too.
    static func check(_ bytes: [UInt8], _ label: String) {
        do {
            let m = try ONNXImporter.importModel(bytes, file: "fuzz.onnx")
            #expect(Analysis(m.layout).errors.isEmpty, "\(label)")
            #expect(
                isOneCleanLine(m.layout.description ?? ""), "\(label): \(JSONValue.quoted(m.layout.description ?? ""))")
            for entry in m.layout.allNodes() { #expect(isOneCleanLine(entry.path), "\(label)") }
        } catch {
            #expect(error.description.hasPrefix("fuzz.onnx: "), "\(label): \(JSONValue.quoted(error.description))")
            #expect(isOneCleanLine(error.description), "\(label): \(JSONValue.quoted(error.description))")
            #expect(error.description.count < 1200, "\(label): \(error.description.count) characters")
        }
    }

    /// A small inception model (stem conv, a block of two 1×1 convs) to mutate.
    static func base() throws -> Onnx_ModelProto {
        var g = ConvConcatGraph()
        let stem = g.conv("x", out: 8, inChannels: 3)
        let out = g.concat([g.conv(stem, out: 4, inChannels: 8), g.conv(stem, out: 4, inChannels: 8)])
        return try Onnx_ModelProto(serializedBytes: try g.model(input: [1, 3, 4, 4], output: out))
    }

    static func attribute(_ name: String, _ text: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(text.utf8)
        return a
    }

    /// Every place a message names something from the file, each with every hostile name.
    @Test(arguments: evil)
    func everyMessageIsOneCleanLine(_ bad: String) throws {
        let m = try Self.base()
        var cases: [(String, Onnx_ModelProto)] = []
        func add(_ label: String, _ change: (inout Onnx_ModelProto) -> Void) {
            var copy = m
            change(&copy)
            cases.append((label, copy))
        }
        add("node name and op type") {
            $0.graph.node[1].name = bad; $0.graph.node[1].opType = bad
        }
        add("node name of a good node") { $0.graph.node[1].name = "/" + bad + "/Conv" }
        add("unnamed node's output") {
            $0.graph.node[1].name = ""; $0.graph.node[1].opType = "Sigmoid"; $0.graph.node[1].output = [bad]
        }
        add("domain") { $0.graph.node[1].domain = bad }
        add("unwritten tensor") { $0.graph.node[1].input[0] = bad }
        add("two outputs") {
            $0.graph.output.append($0.graph.output[0]); $0.graph.output[1].name = bad
        }
        add("graph input") {
            $0.graph.input[0].name = bad; $0.graph.node[0].input[0] = bad
        }
        add("dim param") { $0.graph.input[0].type.tensorType.shape.dim[2].dimParam = bad }
        add("weight not an initializer") { $0.graph.node[1].input[1] = bad }
        add("auto_pad") { $0.graph.node[1].attribute.append(Self.attribute("auto_pad", bad)) }
        add("concat input") { $0.graph.node[3].input.append(bad) }
        add("declared output") {
            $0.graph.output[0].name = bad
            $0.graph.node[3].output[0] = bad
            $0.graph.output[0].type.tensorType.shape.dim = [Int64(1), 9, 9, 9].map { v in
                var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = v; return d
            }
        }
        add("external location") {
            $0.graph.initializer[0].dataLocation = .external
            var e = Onnx_StringStringEntryProto()
            e.key = "location"
            e.value = bad
            $0.graph.initializer[0].externalData = [e]
        }
        add("producer") {
            $0.producerName = bad; $0.producerVersion = bad
        }
        for (label, model) in cases { Self.check(try model.serializedBytes(), label) }
    }

    /// Seeded mutations of a real export (the torch fixture): a random node's name, op type,
    /// domain, an input or an output becomes a hostile name (sometimes repeated 1,000 times).
    @Test func fuzzedNamesNeverReachTheTerminal() throws {
        let real = try Fixtures.model("tiny_inception_bn.onnx")
        var rng = SplitMix64(seed: 19)
        for round in 0..<300 {
            var m = real
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                var bad = Self.evil[Int(rng.next() % UInt64(Self.evil.count))]
                if rng.next() % 10 == 0 { bad = String(repeating: bad, count: 1000) }
                let i = Int(rng.next() % UInt64(m.graph.node.count))
                switch rng.next() % 5 {
                case 0: m.graph.node[i].name = bad
                case 1: m.graph.node[i].opType = bad
                case 2: m.graph.node[i].domain = bad
                case 3:
                    if !m.graph.node[i].input.isEmpty {
                        m.graph.node[i].input[Int(rng.next() % UInt64(m.graph.node[i].input.count))] = bad
                    }
                default: if !m.graph.node[i].output.isEmpty { m.graph.node[i].output[0] = bad }
                }
            }
            Self.check(try m.serializedBytes(), "round \(round)")
        }
    }

    /// Item 3: a declared output of [1, 2^40, 2^40] made `checkOutput`'s product pass 64 bits and
    /// trap (SIGILL); now it is a mismatch like any other.
    @Test func aDeclaredOutputPast64BitsIsOneLine() throws {
        var m = try Self.base()
        m.graph.output[0].type.tensorType.shape.dim = [Int64(1), 1 << 40, 1 << 40].map { v in
            var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = v; return d
        }
        #expect(
            throws: ONNXImportError(
                file: "huge.onnx",
                "output \"cat4\" is declared [1099511627776, 1099511627776] but the layers give 8x4x4")
        ) {
            try ONNXImporter.importModel(try m.serializedBytes() as [UInt8], file: "huge.onnx")
        }
    }

    /// Item 6: a producer name of 4 MB with controls in it went whole into the description (and
    /// through JSON: 40 MB made `import -o` write a layout over the 32 MiB limit): now at most
    /// `maxProducerLength` characters, no controls.
    @Test func theProducerNameIsBounded() throws {
        var m = try Self.base()
        m.producerName = "torch\u{1b}[2J" + String(repeating: "x\u{0}", count: 2_000_000)
        m.producerVersion = "2.5\n"
        let layout = try ONNXImporter.importModel(try m.serializedBytes() as [UInt8], file: "p.onnx").layout
        let description = try #require(layout.description)
        #expect(description.hasPrefix("Imported from p.onnx (torch[2Jxxx"), "\(description.prefix(80))")
        #expect(description.count <= ONNXImporter.maxProducerLength + 100, "\(description.count) characters")
        #expect(Self.isOneCleanLine(description))
        #expect(LayoutCodec.encode(layout).utf8.count < 10_000)
    }
}
