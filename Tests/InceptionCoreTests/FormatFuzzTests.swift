import InceptionWeights
import TestSupport
import XCTest

@testable import InceptionCore

/// Seeded mutation fuzzing of the reader: whatever the bytes, decoding either succeeds (and then
/// round-trips through the encoder) or throws a one-line `LayoutError` that says where.
final class FormatFuzzTests: XCTestCase {
    /// A GoogLeNet-like network of 33 layers at all depths: a stem, an inception block with four
    /// branches, one whose branch holds a nested block, an aux head, and a classifier.
    static let base: Layout = {
        func conv(_ out: Int, _ k: Int, pad: Int = 0, stride: Int = 1) -> Layer {
            Layer(
                .conv(Conv(out: out, kernel: Pair(k, k), stride: Pair(stride, stride), pad: .explicit(Pair(pad, pad)))))
        }
        let pool3 = Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1))))
        return Layout(
            name: "FuzzNet", description: "base of the fuzz tests", input: Shape(3, 224, 224),
            layers: [
                Layer(
                    name: "conv1",
                    .conv(Conv(out: 64, kernel: Pair(7, 7), stride: Pair(2, 2), pad: .explicit(Pair(3, 3))))),
                Layer(name: "pool1", .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), ceil: true))),
                Layer(name: "norm1", .lrn(LRN())),
                conv(64, 1), conv(192, 3, pad: 1),
                Layer(name: "norm2", .lrn(LRN(size: 5, alpha: 2e-5, beta: 0.75, k: 2))),
                Layer(name: "pool2", .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), ceil: true))),
                Layer(
                    name: "inception_3a",
                    .inception(branches: [
                        Branch(name: "1x1", layers: [conv(64, 1)]),
                        Branch(name: "3x3", layers: [conv(96, 1), conv(128, 3, pad: 1)]),
                        Branch(name: "5x5", layers: [conv(16, 1), conv(32, 5, pad: 2)]),
                        Branch(name: "pool", layers: [pool3, conv(32, 1)]),
                    ])),
                Layer(
                    name: "inception_3b",
                    .inception(branches: [
                        Branch(
                            name: "1x7",
                            layers: [
                                Layer(.conv(Conv(out: 32, kernel: Pair(1, 7), pad: .same, batchnorm: true))),
                                Layer(
                                    .conv(Conv(out: 32, kernel: Pair(7, 1), pad: .explicit(Pair(3, 0)), bias: false))),
                            ]),
                        Branch(
                            name: "split",
                            layers: [
                                conv(48, 1),
                                Layer(
                                    name: "inner",
                                    .inception(branches: [
                                        Branch(layers: [
                                            Layer(.conv(Conv(out: 24, kernel: Pair(1, 3), pad: .explicit(Pair(0, 1)))))
                                        ]),
                                        Branch(layers: [
                                            Layer(.conv(Conv(out: 24, kernel: Pair(3, 1), pad: .explicit(Pair(1, 0)))))
                                        ]),
                                    ])),
                            ]),
                        Branch(
                            name: "avg",
                            layers: [
                                Layer(
                                    .avgpool(
                                        Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1), countPad: false)))
                            ]),
                    ])),
                Layer(
                    name: "aux1",
                    .aux(layers: [
                        Layer(.avgpool(Pool(kernel: Pair(5, 5), stride: Pair(3, 3)))), conv(128, 1),
                        Layer(.linear(Linear(out: 1024, activation: .relu))), Layer(.dropout(rate: 0.7)),
                        Layer(.linear(Linear(out: 1000))), Layer(.softmax),
                    ])),
                Layer(name: "pool5", .globalavgpool),
                Layer(name: "drop", .dropout(rate: 0.4)),
                Layer(name: "fc", .linear(Linear(out: 1000))),
                Layer(name: "prob", .softmax),
            ])
    }()

    /// Decodes `bytes` and checks the outcome; returns whether it decoded.
    @discardableResult
    private func check(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        do {
            let layout = try LayoutCodec.decode(bytes)
            let text = LayoutCodec.encode(layout)
            XCTAssertEqual(
                try? LayoutCodec.decode(text), layout, "\(what): decoded but does not round-trip", file: file,
                line: line)
            return true
        } catch {
            XCTAssertFalse(error.message.isEmpty, "\(what): empty message", file: file, line: line)
            XCTAssertFalse(
                error.description.contains("\n"), "\(what): multi-line error \(error)", file: file, line: line)
            switch error.kind {
            case .syntax:
                XCTAssertNotNil(
                    try? #/\d+:\d+/#.wholeMatch(in: error.location), "\(what): syntax location \(error)", file: file,
                    line: line)
            case .schema:
                XCTAssertTrue(
                    Self.isJSONPath(error.location), "\(what): schema location \(error)", file: file, line: line)
            case .shape:
                XCTFail("\(what): the codec reported a shape error \(error)", file: file, line: line)
            }
            return false
        }
    }

    /// `$`, or keys and indices: `layers[7].branches[2].kernel`, `["a b"]`.
    static func isJSONPath(_ s: String) -> Bool {
        s == "$"
            || (try? #/(?:[A-Za-z_]\w*|\["(?:[^"\\]|\\.)*"\])(?:\.[A-Za-z_]\w*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*/#
                .wholeMatch(in: s)) != nil
    }

    private var baseBytes: [UInt8] { Array(LayoutCodec.encode(Self.base).utf8) }

    func testBaseDocumentIsValid() throws {
        XCTAssertTrue(check(baseBytes, "base"))
        XCTAssertEqual(try LayoutCodec.decode(baseBytes), Self.base)
        XCTAssertTrue(Self.isJSONPath("layers[7].branches[2].layers[1].kernel"))
        XCTAssertTrue(Self.isJSONPath(#"layers[0]["a b"]"#))
        XCTAssertFalse(Self.isJSONPath("3:4"))
    }

    func testTruncations() {
        let bytes = baseBytes
        var decoded = 0
        for end in stride(from: 0, to: bytes.count, by: 17) where check(Array(bytes[..<end]), "truncated at \(end)") {
            decoded += 1
        }
        // A prefix of an object document is never a complete document.
        XCTAssertEqual(decoded, 0)
    }

    func testByteFlipsDeletionsAndDuplications() {
        var rng = SplitMix64(seed: 0x1CE_97105)
        let bytes = baseBytes
        for i in 0..<300 {
            var mutant = bytes
            let at = rng.below(mutant.count)
            switch i % 3 {
            case 0: mutant[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: mutant.remove(at: at)
            default: mutant.insert(mutant[at], at: at)
            }
            check(mutant, "mutant \(i) at byte \(at)")
        }
    }

    /// Replaces a random value of the parsed document with a value of another type or range.
    func testTypeSwaps() throws {
        var rng = SplitMix64(seed: 42)
        let document = try JSONParser.parse(baseBytes)
        let replacements: [JSONValue] = [
            .string("3"), .int(-3), .int(0), .double(1e300), .array([]), .object([]), .null, .bool(true),
            .string("same"), .int(1 << 40), .double(0.5), .array([.int(3), .int(3), .int(3)]), .string(""),
            .string("a/b"),
        ]
        let paths = Self.valuePaths(document)
        XCTAssertGreaterThan(paths.count, 150)
        var rejected = 0
        for i in 0..<300 {
            let path = paths[rng.below(paths.count)]
            let replacement = replacements[rng.below(replacements.count)]
            let mutant = Self.replacing(document, at: path[...], with: replacement)
            if !check(Array(mutant.compactText.utf8), "swap \(i): \(path) = \(replacement.compactText)") {
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 150, "most type swaps should be caught")
    }

    /// Renames a random key by one or two edits, which must be rejected unless it still is a key.
    func testKeyTypos() throws {
        var rng = SplitMix64(seed: 7)
        let text = String(decoding: baseBytes, as: UTF8.self)
        let keys = [
            "\"kernel\"", "\"stride\"", "\"layers\"", "\"branches\"", "\"out\"", "\"pad\"", "\"name\"", "\"op\"",
        ]
        for i in 0..<60 {
            let key = keys[rng.below(keys.count)]
            var letters = Array(key.dropFirst().dropLast())
            letters[rng.below(letters.count)] = Character(Unicode.Scalar(UInt8(97 + rng.below(26))))
            let typo = "\"" + String(letters) + "\""
            check(Array(text.replacingFirst(key, with: typo).utf8), "typo \(i): \(typo)")
        }
    }

    // MARK: Tree helpers

    private enum Step: CustomStringConvertible {
        case key(String), index(Int)
        var description: String {
            switch self {
            case .key(let k): ".\(k)"
            case .index(let i): "[\(i)]"
            }
        }
    }

    private static func valuePaths(_ value: JSONValue, prefix: [Step] = []) -> [[Step]] {
        var out: [[Step]] = prefix.isEmpty ? [] : [prefix]
        switch value {
        case .array(let items):
            for (i, item) in items.enumerated() { out += valuePaths(item, prefix: prefix + [.index(i)]) }
        case .object(let members):
            for m in members { out += valuePaths(m.value, prefix: prefix + [.key(m.key)]) }
        default: break
        }
        return out
    }

    private static func replacing(_ value: JSONValue, at path: ArraySlice<Step>, with new: JSONValue) -> JSONValue {
        guard let step = path.first else { return new }
        switch (step, value) {
        case (.index(let i), .array(var items)):
            items[i] = replacing(items[i], at: path.dropFirst(), with: new)
            return .array(items)
        case (.key(let k), .object(var members)):
            for j in members.indices where members[j].key == k {
                members[j].value = replacing(members[j].value, at: path.dropFirst(), with: new)
            }
            return .object(members)
        default:
            return value
        }
    }
}

private extension String {
    /// Replaces the first occurrence of `target` (no Foundation needed).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
