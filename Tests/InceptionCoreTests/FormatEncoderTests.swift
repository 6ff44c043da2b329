import XCTest

@testable import InceptionCore

/// The canonical encoder: exact text, byte-for-byte round trips, idempotence.
final class FormatEncoderTests: XCTestCase {
    /// The canonical form as specified for shipped layout files (a cut-down GoogLeNet).
    static let canonicalExample = """
        {
          "format": "inception-layout/1",
          "name": "GoogLeNet",
          "description": "GoogLeNet as in Szegedy et al. 2014, Table 1",
          "input": { "channels": 3, "height": 224, "width": 224 },
          "layers": [
            { "name": "conv1", "op": "conv", "out": 64, "kernel": 7, "stride": 2, "pad": 3 },
            { "name": "pool1", "op": "maxpool", "kernel": 3, "stride": 2, "ceil": true },
            { "name": "inception_3a", "op": "inception", "branches": [
              { "name": "1x1", "layers": [
                { "op": "conv", "out": 64, "kernel": 1 }
              ] },
              { "name": "3x3", "layers": [
                { "op": "conv", "out": 96, "kernel": 1 },
                { "op": "conv", "out": 128, "kernel": 3, "pad": 1 }
              ] }
            ] },
            { "name": "aux1", "op": "aux", "layers": [
              { "op": "avgpool", "kernel": 5, "stride": 3 },
              { "op": "linear", "out": 1000 }
            ] },
            { "name": "prob", "op": "softmax" }
          ]
        }

        """

    func testCanonicalExampleRoundTripsByteForByte() throws {
        let layout = try LayoutCodec.decode(Self.canonicalExample)
        XCTAssertEqual(layout.layers.count, 5)
        XCTAssertEqual(LayoutCodec.encode(layout), Self.canonicalExample)
    }

    func testLayoutBuiltInCodeEncodesExactly() {
        let layout = Layout(
            name: "Tiny \"v3\"", description: "line one\nline two\t\u{1}é", input: Shape(3, 299, 299),
            layers: [
                Layer(
                    name: "stem",
                    .conv(Conv(out: 32, kernel: Pair(3, 3), stride: Pair(2, 2), bias: false, batchnorm: true))),
                Layer(.conv(Conv(out: 8, kernel: Pair(1, 7), pad: .same, activation: .none))),
                Layer(.conv(Conv(out: 8, kernel: Pair(3, 3), stride: Pair(2, 1), pad: .explicit(Pair(0, 1))))),
                Layer(name: "norm", .lrn(LRN(size: 5, alpha: 2e-5, beta: 0.5, k: 2))),
                Layer(.lrn(LRN())),
                Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1)))),
                Layer(
                    name: "mixed",
                    .inception(branches: [
                        Branch(layers: [
                            Layer(
                                .avgpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1), countPad: false))
                            )
                        ]),
                        Branch(
                            name: "b",
                            layers: [
                                Layer(.inception(branches: [Branch(name: "inner", layers: [Layer(.globalavgpool)])]))
                            ]),
                    ])),
                Layer(name: "drop", .dropout(rate: 0.4)),
                Layer(.linear(Linear(out: 10, bias: false, activation: .relu))),
                Layer(.softmax),
            ])
        let expected = #"""
            {
              "format": "inception-layout/1",
              "name": "Tiny \"v3\"",
              "description": "line one\nline two\t\u0001é",
              "input": { "channels": 3, "height": 299, "width": 299 },
              "layers": [
                { "name": "stem", "op": "conv", "out": 32, "kernel": 3, "stride": 2, "bias": false, "batchnorm": true },
                { "op": "conv", "out": 8, "kernel": [1, 7], "pad": "same", "activation": "none" },
                { "op": "conv", "out": 8, "kernel": 3, "stride": [2, 1], "pad": [0, 1] },
                { "name": "norm", "op": "lrn", "alpha": 2e-05, "beta": 0.5, "k": 2 },
                { "op": "lrn" },
                { "op": "maxpool", "kernel": 3, "stride": 1, "pad": 1 },
                { "name": "mixed", "op": "inception", "branches": [
                  { "layers": [
                    { "op": "avgpool", "kernel": 3, "stride": 1, "pad": 1, "count_pad": false }
                  ] },
                  { "name": "b", "layers": [
                    { "op": "inception", "branches": [
                      { "name": "inner", "layers": [
                        { "op": "globalavgpool" }
                      ] }
                    ] }
                  ] }
                ] },
                { "name": "drop", "op": "dropout", "rate": 0.4 },
                { "op": "linear", "out": 10, "bias": false, "activation": "relu" },
                { "op": "softmax" }
              ]
            }

            """#
        let text = LayoutCodec.encode(layout)
        XCTAssertEqual(text, expected)
        // The text decodes to the same model, and re-encodes to the same bytes.
        XCTAssertEqual(try LayoutCodec.decode(text), layout)
        XCTAssertEqual(try LayoutCodec.encode(LayoutCodec.decode(text)), text)
    }

    func testNonCanonicalInputBecomesCanonicalAndStaysSo() throws {
        // Same network as the example, written with defaults spelled out, other key order, [h, w]
        // for square pairs, extra whitespace and a BOM.
        let loose = """
            \u{FEFF}{"layers":[{"op":"conv","name":"conv1","kernel":[7,7],"out":64,"stride":2,"pad":[3,3],"bias":true,
            "batchnorm":false,"activation":"relu"},{"name":"pool1","op":"maxpool","kernel":3,"stride":2,"pad":0,"ceil":true},
            {"name":"inception_3a","op":"inception","branches":[{"name":"1x1","layers":[{"op":"conv","out":64,"kernel":1,"stride":1}]},
            {"name":"3x3","layers":[{"op":"conv","out":96,"kernel":1},{"op":"conv","out":128,"kernel":3,"pad":1}]}]},
            {"name":"aux1","op":"aux","layers":[{"op":"avgpool","kernel":5,"stride":3,"count_pad":true},{"op":"linear","out":1000,"activation":"none"}]},
            {"name":"prob","op":"softmax"}],
            "input":{"width":224,"height":224,"channels":3},"description":"GoogLeNet as in Szegedy et al. 2014, Table 1",
            "name":"GoogLeNet","format":"inception-layout/1"}
            """
        let once = LayoutCodec.encode(try LayoutCodec.decode(loose))
        XCTAssertEqual(once, Self.canonicalExample)
        XCTAssertEqual(LayoutCodec.encode(try LayoutCodec.decode(once)), once)
    }

    func testEmptyListsAndNoDescription() throws {
        let layout = Layout(name: "empty", input: Shape(1, 8, 8), layers: [])
        let text = LayoutCodec.encode(layout)
        XCTAssertEqual(
            text,
            """
            {
              "format": "inception-layout/1",
              "name": "empty",
              "input": { "channels": 1, "height": 8, "width": 8 },
              "layers": []
            }

            """)
        XCTAssertEqual(try LayoutCodec.decode(text), layout)
    }

    func testNumberText() {
        XCTAssertEqual(JSONValue.numberText(2), "2")
        XCTAssertEqual(JSONValue.numberText(-0.0), "0")
        XCTAssertEqual(JSONValue.numberText(1e-4), "0.0001")
        XCTAssertEqual(JSONValue.numberText(0.4), "0.4")
        XCTAssertEqual(JSONValue.numberText(1e-5), "1e-05")
        XCTAssertEqual(JSONValue.numberText(999_999_999_999_999), "999999999999999")
        // From 1e15 on, Swift's own description (which switches to exponents at 2^53).
        XCTAssertEqual(JSONValue.numberText(1e15), "1000000000000000.0")
        XCTAssertEqual(JSONValue.numberText(1e16), "1e+16")
        XCTAssertEqual(JSONValue.numberText(.nan), "null")
        XCTAssertEqual(JSONValue.numberText(-.infinity), "null")
        // Whatever the text, it parses back to the same double.
        for d in [1e-4, 0.1, 1.0 / 3.0, 1e15, 1e300, 123.456, -2.5] {
            XCTAssertEqual(try? JSONParser.parse(JSONValue.numberText(d)).doubleValue, d)
        }
    }

    func testStringQuoting() {
        XCTAssertEqual(JSONValue.quoted("plain"), "\"plain\"")
        XCTAssertEqual(JSONValue.quoted("a\"b\\c"), #""a\"b\\c""#)
        XCTAssertEqual(JSONValue.quoted("\n\t\r\u{8}\u{C}\u{1F}"), #""\n\t\r\b\f\u001F""#)
        XCTAssertEqual(JSONValue.quoted("中文 😀 /"), "\"中文 😀 /\"")
        for s in ["a\"b", "\u{0}\u{7F}", "tab\there", "😀\\"] {
            XCTAssertEqual(try? JSONParser.parse(JSONValue.quoted(s)), .string(s))
        }
    }

    func testNonFiniteNumbersEncodeAsNullAndAreRejectedOnRead() {
        let layout = Layout(name: "bad", input: Shape(1, 1, 1), layers: [Layer(.lrn(LRN(alpha: .nan)))])
        let text = LayoutCodec.encode(layout)
        XCTAssertTrue(text.contains(#"{ "op": "lrn", "alpha": null }"#))
        XCTAssertThrowsError(try LayoutCodec.decode(text)) { error in
            XCTAssertEqual(
                error as? LayoutError, LayoutError(.schema, at: "layers[0].alpha", "expected a number, got null"))
        }
    }
}

private extension JSONValue {
    var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }
}
