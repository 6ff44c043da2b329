import XCTest

@testable import InceptionCore

/// The layout decoder: each field's default, each schema error with its JSON path and message.
final class FormatDecoderTests: XCTestCase {
    /// A complete document around `layers` (the JSON text of the layers array's items).
    private func document(_ layers: String, input: String = #"{ "channels": 3, "height": 32, "width": 32 }"#) -> String
    {
        #"{ "format": "inception-layout/1", "name": "t", "input": \#(input), "layers": [\#(layers)] }"#
    }

    /// The op of the one layer in `layerJSON`.
    private func op(_ layerJSON: String, file: StaticString = #filePath, line: UInt = #line) -> Op? {
        do {
            return try LayoutCodec.decode(document(layerJSON)).layers.first?.op
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    private func assertSchema(
        _ text: String, _ location: String, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let layout = try LayoutCodec.decode(text)
            XCTFail("decoded \(layout), expected \(location): \(message)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, LayoutError(.schema, at: location, message), file: file, line: line)
        }
    }

    /// `assertSchema` for a document whose layers are `layers`.
    private func assertLayers(
        _ layers: String, _ location: String, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        assertSchema(document(layers), location, message, file: file, line: line)
    }

    // MARK: Documents and defaults

    func testTopLevel() throws {
        let layout = try LayoutCodec.decode(
            #"""
            { "format": "inception-layout/1", "name": "Net", "description": "two layers",
              "input": { "channels": 3, "height": 224, "width": 200 },
              "layers": [ { "name": "c", "op": "conv", "out": 8, "kernel": 3 }, { "op": "softmax" } ] }
            """#)
        XCTAssertEqual(
            layout,
            Layout(
                name: "Net", description: "two layers", input: Shape(3, 224, 200),
                layers: [
                    Layer(name: "c", .conv(Conv(out: 8, kernel: Pair(3, 3)))), Layer(.softmax),
                ]))
        XCTAssertNil(try LayoutCodec.decode(document("")).description)
        // An empty network is a valid document (the editor can delete every layer and save).
        XCTAssertEqual(try LayoutCodec.decode(document("")).layers, [])
    }

    func testConvDefaults() {
        XCTAssertEqual(
            op(#"{ "op": "conv", "out": 8, "kernel": 3 }"#),
            .conv(
                Conv(
                    out: 8, kernel: Pair(3, 3), stride: Pair(1, 1), pad: .explicit(Pair(0, 0)),
                    bias: true, batchnorm: false, activation: .relu)))
    }

    func testConvAllFields() {
        XCTAssertEqual(
            op(
                #"{ "op": "conv", "out": 8, "kernel": [1, 7], "stride": [2, 1], "pad": [0, 3], "bias": false, "batchnorm": true, "activation": "none" }"#
            ),
            .conv(
                Conv(
                    out: 8, kernel: Pair(1, 7), stride: Pair(2, 1), pad: .explicit(Pair(0, 3)),
                    bias: false, batchnorm: true, activation: .none)))
        XCTAssertEqual(
            op(#"{ "op": "conv", "out": 8, "kernel": [1, 7], "pad": "same" }"#),
            .conv(Conv(out: 8, kernel: Pair(1, 7), pad: .same)))
    }

    func testPoolDefaults() {
        // The stride defaults to the kernel (Caffe); count_pad defaults to true (Caffe, PyTorch).
        XCTAssertEqual(
            op(#"{ "op": "maxpool", "kernel": 3 }"#),
            .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(3, 3), pad: Pair(0, 0), ceil: false, countPad: true)))
        XCTAssertEqual(
            op(#"{ "op": "avgpool", "kernel": [5, 3], "stride": 1, "pad": [2, 1], "ceil": true, "count_pad": false }"#),
            .avgpool(Pool(kernel: Pair(5, 3), stride: Pair(1, 1), pad: Pair(2, 1), ceil: true, countPad: false)))
    }

    func testLRNDefaultsAndIntegersAsNumbers() {
        // Defaults as in Caffe's LRN layer: local_size 5, alpha 1e-4, beta 0.75, k 1.
        XCTAssertEqual(op(#"{ "op": "lrn" }"#), .lrn(LRN(size: 5, alpha: 1e-4, beta: 0.75, k: 1)))
        XCTAssertEqual(
            op(#"{ "op": "lrn", "size": 3, "alpha": 0.001, "beta": 1, "k": 2 }"#),
            .lrn(LRN(size: 3, alpha: 0.001, beta: 1, k: 2)))
    }

    func testDropoutLinearAndParameterlessOps() {
        XCTAssertEqual(op(#"{ "op": "dropout", "rate": 0.4 }"#), .dropout(rate: 0.4))
        XCTAssertEqual(op(#"{ "op": "dropout", "rate": 0 }"#), .dropout(rate: 0))
        XCTAssertEqual(
            op(#"{ "op": "linear", "out": 1000 }"#), .linear(Linear(out: 1000, bias: true, activation: .none)))
        XCTAssertEqual(
            op(#"{ "op": "linear", "out": 10, "bias": false, "activation": "relu" }"#),
            .linear(Linear(out: 10, bias: false, activation: .relu)))
        XCTAssertEqual(op(#"{ "op": "globalavgpool" }"#), .globalavgpool)
        XCTAssertEqual(op(#"{ "op": "softmax" }"#), .softmax)
    }

    func testNestedBlocks() {
        let json = #"""
            { "name": "mixed", "op": "inception", "branches": [
              { "name": "a", "layers": [ { "op": "conv", "out": 4, "kernel": 1 } ] },
              { "layers": [ { "op": "inception", "branches": [ { "layers": [ { "op": "maxpool", "kernel": 3, "stride": 1, "pad": 1 } ] } ] } ] }
            ] },
            { "name": "aux1", "op": "aux", "layers": [ { "op": "globalavgpool" }, { "op": "linear", "out": 10 } ] }
            """#
        let layers = try? LayoutCodec.decode(document(json)).layers
        XCTAssertEqual(
            layers,
            [
                Layer(
                    name: "mixed",
                    .inception(branches: [
                        Branch(name: "a", layers: [Layer(.conv(Conv(out: 4, kernel: Pair(1, 1))))]),
                        Branch(layers: [
                            Layer(
                                .inception(branches: [
                                    Branch(layers: [
                                        Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1))))
                                    ])
                                ]))
                        ]),
                    ])),
                Layer(name: "aux1", .aux(layers: [Layer(.globalavgpool), Layer(.linear(Linear(out: 10)))])),
            ])
    }

    func testSameNameInDifferentListsIsFine() {
        XCTAssertNoThrow(
            try LayoutCodec.decode(
                document(
                    #"""
                    { "name": "x", "op": "inception", "branches": [ { "name": "x", "layers": [ { "name": "x", "op": "softmax" } ] } ] },
                    { "name": "y", "op": "aux", "layers": [ { "name": "x", "op": "softmax" } ] }
                    """#)))
    }

    // MARK: Document-level errors

    func testRootAndFormatErrors() {
        assertSchema(
            "[1]", "$", #"expected the document to be an object { "format": "inception-layout/1", … }, got [1]"#)
        assertSchema(#"{ "name": "t" }"#, "$", #"missing key "format""#)
        assertSchema(
            #"{ "format": "inception-layout/2" }"#, "format",
            #"expected "inception-layout/1", got "inception-layout/2""#)
        assertSchema(#"{ "format": 1 }"#, "format", #"expected "inception-layout/1", got 1"#)
    }

    func testTopLevelKeyErrors() {
        assertSchema(
            #"{ "format": "inception-layout/1", "name": "t", "input": { "channels": 1, "height": 1, "width": 1 }, "layer": [] }"#,
            "layer", #"unknown key "layer" at the top level (did you mean "layers"?)"#)
        assertSchema(
            #"{ "format": "inception-layout/1", "a b": 1 }"#, #"["a b"]"#, #"unknown key "a b" at the top level"#)
        assertSchema(#"{ "format": "inception-layout/1" }"#, "$", #"missing key "name""#)
        assertSchema(#"{ "format": "inception-layout/1", "name": 3 }"#, "name", "expected a string, got 3")
        assertSchema(#"{ "format": "inception-layout/1", "name": "" }"#, "name", "name must not be empty")
        assertSchema(
            #"{ "format": "inception-layout/1", "name": "a\nb" }"#, "name",
            #"name "a\nb" must not contain control or bidi-override characters"#)
        assertSchema(
            #"{ "format": "inception-layout/1", "name": "t", "description": null }"#, "description",
            "expected a string, got null")
        assertSchema(#"{ "format": "inception-layout/1", "name": "t" }"#, "$", #"missing key "input""#)
        assertSchema(
            #"{ "format": "inception-layout/1", "name": "t", "input": { "channels": 1, "height": 1, "width": 1 } }"#,
            "$", #"missing key "layers""#)
        assertSchema(
            #"{ "format": "inception-layout/1", "name": "t", "input": { "channels": 1, "height": 1, "width": 1 }, "layers": {} }"#,
            "layers", "expected an array of layers, got {}")
    }

    func testInputErrors() {
        assertSchema(
            document("", input: "[3, 224, 224]"), "input",
            #"expected an object { "channels": C, "height": H, "width": W }, got [3, 224, 224]"#)
        assertSchema(
            document("", input: #"{ "channels": 0, "height": 1, "width": 1 }"#), "input.channels",
            "expected a positive integer, got 0")
        assertSchema(document("", input: #"{ "channels": 3, "height": 1 }"#), "input", #"missing key "width""#)
        assertSchema(
            document("", input: #"{ "chanels": 3, "height": 1, "width": 1 }"#),
            "input.chanels", #"unknown key "chanels" in input (did you mean "channels"?)"#)
        assertSchema(
            document("", input: #"{ "channels": 3, "height": 16777217, "width": 1 }"#),
            "input.height", "16777217 is too large (at most 16777216)")
    }

    // MARK: Layer errors

    func testLayerShapeAndOpErrors() {
        assertLayers("3", "layers[0]", #"expected a layer object { "op": …, … }, got 3"#)
        assertLayers(#"{ "out": 3 }"#, "layers[0]", #"missing key "op""#)
        assertLayers(#"{ "op": 3 }"#, "layers[0].op", "expected a string, got 3")
        assertLayers(
            #"{ "op": "softmax" }, { "op": "convv" }"#, "layers[1].op", #"unknown op "convv" (did you mean "conv"?)"#)
        assertLayers(#"{ "op": "batchnorm", "eps": -1 }"#, "layers[0].eps", "eps must be a number in [0, 1), got -1.0")
        assertLayers(#"{ "op": "layernorm", "eps": 1 }"#, "layers[0].eps", "eps must be a number in [0, 1), got 1.0")
        // A layer scale's γ is a weight (per channel), not a constant in the file.
        assertLayers(
            #"{ "op": "layerscale", "scale": 0.5 }"#, "layers[0].scale",
            #"unknown key "scale" for layerscale (layerscale takes only "op" and "name")"#)
        assertLayers(
            #"{ "op": "swish" }"#, "layers[0].op",
            #"unknown op "swish"; the ops are conv, maxpool, avgpool, globalavgpool, lrn, dropout, softmax, relu, batchnorm, gelu, layernorm, layerscale, l2norm, linear, inception, aux"#
        )
    }

    func testUnknownKeys() {
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernal": 3 }"#, "layers[0].kernal",
            #"unknown key "kernal" for conv (did you mean "kernel"?)"#)
        assertLayers(
            #"{ "op": "conv", "out": 8, "kenrel": 3 }"#, "layers[0].kenrel",
            #"unknown key "kenrel" for conv (did you mean "kernel"?)"#)
        assertLayers(
            #"{ "op": "maxpool", "kernel": 3, "count_pad": false }"#, "layers[0].count_pad",
            #"unknown key "count_pad" for maxpool (only avgpool takes it)"#)
        assertLayers(
            #"{ "op": "softmax", "out": 3 }"#, "layers[0].out",
            #"unknown key "out" for softmax (only conv, linear take it)"#)
        assertLayers(
            #"{ "op": "globalavgpool", "xyzzy": 1 }"#, "layers[0].xyzzy",
            #"unknown key "xyzzy" for globalavgpool (globalavgpool takes only "op" and "name")"#)
        assertLayers(
            #"{ "op": "dropout", "rate": 0.5, "xyzzy": 1 }"#, "layers[0].xyzzy",
            #"unknown key "xyzzy" for dropout (dropout takes "rate")"#)
        // An unknown key is reported before a missing one, so the typo is what the user sees.
        assertLayers(
            #"{ "op": "conv", "ot": 8, "kernel": 3 }"#, "layers[0].ot",
            #"unknown key "ot" for conv (did you mean "out"?)"#)
    }

    func testConvFieldErrors() {
        assertLayers(#"{ "op": "conv", "kernel": 3 }"#, "layers[0]", #"missing key "out""#)
        assertLayers(#"{ "op": "conv", "out": 8 }"#, "layers[0]", #"missing key "kernel""#)
        assertLayers(
            #"{ "op": "conv", "out": "8", "kernel": 3 }"#, "layers[0].out", #"expected a positive integer, got "8""#)
        assertLayers(
            #"{ "op": "conv", "out": 16777217, "kernel": 3 }"#, "layers[0].out",
            "16777217 is too large (at most 16777216)")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": -3 }"#, "layers[0].kernel",
            "expected a positive integer or [h, w], got -3")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": [3, 0] }"#, "layers[0].kernel",
            "expected a positive integer or [h, w], got [3, 0]")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": [3, 3, 3] }"#, "layers[0].kernel",
            "expected a positive integer or [h, w], got [3, 3, 3]")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3.0 }"#, "layers[0].kernel",
            "expected a positive integer or [h, w], got 3.0")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": [1, 16777217] }"#, "layers[0].kernel",
            "16777217 is too large (at most 16777216)")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3, "stride": 0 }"#, "layers[0].stride",
            "expected a positive integer or [h, w], got 0")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3, "pad": -1 }"#, "layers[0].pad",
            #"expected a non-negative integer, [h, w] or "same", got -1"#)
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3, "pad": "valid" }"#, "layers[0].pad",
            #"expected a non-negative integer, [h, w] or "same", got "valid""#)
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3, "stride": 2, "pad": "same" }"#, "layers[0].pad",
            #""same" needs stride 1 and an odd kernel"#)
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": [3, 2], "pad": "same" }"#, "layers[0].pad",
            #""same" needs stride 1 and an odd kernel"#)
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3, "bias": "yes" }"#, "layers[0].bias",
            #"expected true or false, got "yes""#)
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3, "batchnorm": 1 }"#, "layers[0].batchnorm",
            "expected true or false, got 1")
        assertLayers(
            #"{ "op": "conv", "out": 8, "kernel": 3, "activation": "Relu" }"#, "layers[0].activation",
            #"expected "relu" or "none", got "Relu""#)
    }

    func testPoolLRNDropoutLinearErrors() {
        assertLayers(#"{ "op": "maxpool" }"#, "layers[0]", #"missing key "kernel""#)
        assertLayers(
            #"{ "op": "maxpool", "kernel": 3, "pad": "same" }"#, "layers[0].pad",
            #"expected a non-negative integer or [h, w], got "same""#)
        assertLayers(
            #"{ "op": "maxpool", "kernel": 3, "pad": 3 }"#, "layers[0].pad",
            "pad 3 is more than half the kernel 3 (else a window can see only padding)")
        assertLayers(
            #"{ "op": "avgpool", "kernel": [3, 1], "pad": [1, 1] }"#, "layers[0].pad",
            "pad 1 is more than half the kernel [3, 1] (else a window can see only padding)")
        // Issue 21: the decoder read pad 2 on a 3x3 pool (pad < kernel) and the analysis refused it
        // (2·pad ≤ kernel); one rule now, PyTorch's (pad at most half the kernel).
        assertLayers(
            #"{ "op": "maxpool", "kernel": 3, "stride": 1, "pad": 2 }"#, "layers[0].pad",
            "pad 2 is more than half the kernel 3 (else a window can see only padding)")
        assertLayers(
            #"{ "op": "avgpool", "kernel": 3, "ceil": "yes" }"#, "layers[0].ceil", #"expected true or false, got "yes""#
        )
        assertLayers(#"{ "op": "lrn", "size": 0 }"#, "layers[0].size", "expected a positive integer, got 0")
        assertLayers(#"{ "op": "lrn", "alpha": "x" }"#, "layers[0].alpha", #"expected a number, got "x""#)
        // Issue 12: one LRN rule for validate and run (the engine's window is at most 33, in float32).
        assertLayers(
            #"{ "op": "lrn", "size": 16777216 }"#, "layers[0].size", "size must be between 1 and 33, got 16777216")
        assertLayers(
            #"{ "op": "lrn", "k": 0 }"#, "layers[0].k", "k must be > 0 and at most 3.40e+38 (float32), got 0.0")
        assertLayers(
            #"{ "op": "lrn", "k": -1 }"#, "layers[0].k", "k must be > 0 and at most 3.40e+38 (float32), got -1.0")
        assertLayers(
            #"{ "op": "lrn", "alpha": 1e308 }"#, "layers[0].alpha",
            "alpha must be >= 0 and at most 3.40e+38 (float32), got 1e+308")
        assertLayers(#"{ "op": "lrn", "beta": 1e39 }"#, "layers[0].beta", "beta must be finite in float32, got 1e+39")
        assertLayers(#"{ "op": "dropout" }"#, "layers[0]", #"missing key "rate""#)
        assertLayers(#"{ "op": "dropout", "rate": 1 }"#, "layers[0].rate", "expected a number in [0, 1), got 1")
        assertLayers(#"{ "op": "dropout", "rate": -0.1 }"#, "layers[0].rate", "expected a number in [0, 1), got -0.1")
        assertLayers(#"{ "op": "dropout", "rate": [] }"#, "layers[0].rate", "expected a number, got []")
        assertLayers(#"{ "op": "linear", "out": 0 }"#, "layers[0].out", "expected a positive integer, got 0")
        assertLayers(
            #"{ "op": "linear", "out": 10, "activation": "softmax" }"#, "layers[0].activation",
            #"expected "relu" or "none", got "softmax""#)
    }

    func testNameErrors() {
        assertLayers(#"{ "name": 3, "op": "softmax" }"#, "layers[0].name", "expected a string, got 3")
        assertLayers(
            #"{ "name": "", "op": "softmax" }"#, "layers[0].name",
            "name must not be empty (leave the key out for an unnamed node)")
        assertLayers(
            #"{ "name": "a/b", "op": "softmax" }"#, "layers[0].name",
            #"name "a/b" must not contain "/" (it separates node paths)"#)
        assertLayers(
            #"{ "name": "a\tb", "op": "softmax" }"#, "layers[0].name",
            #"name "a\tb" must not contain control or bidi-override characters"#)
        // Issue 12: C1 controls and bidi overrides (U+202E) would reorder or hide what a terminal shows.
        assertLayers(
            #"{ "name": "a\#u{85}b", "op": "softmax" }"#, "layers[0].name",
            #"name "a\u0085b" must not contain control or bidi-override characters"#)
        assertLayers(
            #"{ "name": "evil\#u{202E}txt", "op": "softmax" }"#, "layers[0].name",
            #"name "evil\u202Etxt" must not contain control or bidi-override characters"#)
        assertSchema(
            #"{ "format": "inception-layout/1", "name": "n\#u{202E}", "input": { "channels": 1, "height": 1, "width": 1 }, "layers": [] }"#,
            "name",
            #"name "n\u202E" must not contain control or bidi-override characters"#)
        let five = (0..<4).map { #"{ "name": "l\#($0)", "op": "softmax" }"# } + [#"{ "name": "l3", "op": "softmax" }"#]
        assertLayers(five.joined(separator: ", "), "layers[4].name", #"duplicate name "l3" (also layers[3])"#)
    }

    func testBlockErrorsAndNestedPaths() {
        assertLayers(#"{ "op": "inception" }"#, "layers[0]", #"missing key "branches""#)
        assertLayers(
            #"{ "op": "inception", "branches": {} }"#, "layers[0].branches", "expected an array of branches, got {}")
        assertLayers(
            #"{ "op": "inception", "branches": [] }"#, "layers[0].branches",
            "an inception block needs at least one branch")
        assertLayers(
            #"{ "op": "inception", "branches": [3] }"#, "layers[0].branches[0]",
            #"expected a branch object { "name": …, "layers": [ … ] }, got 3"#)
        assertLayers(
            #"{ "op": "inception", "branches": [ { "layers": [] } ] }"#, "layers[0].branches[0].layers",
            "a branch needs at least one layer")
        assertLayers(
            #"{ "op": "inception", "branches": [ { "layer": [] } ] }"#, "layers[0].branches[0].layer",
            #"unknown key "layer" in a branch (did you mean "layers"?)"#)
        assertLayers(
            #"{ "op": "inception", "branches": [ { "name": "a", "layers": [ { "op": "softmax" } ] }, { "name": "a", "layers": [ { "op": "softmax" } ] } ] }"#,
            "layers[0].branches[1].name", #"duplicate name "a" (also layers[0].branches[0])"#)
        assertLayers(#"{ "op": "aux", "layers": [] }"#, "layers[0].layers", "an aux head needs at least one layer")
        assertLayers(
            #"{ "op": "softmax" }, { "op": "inception", "branches": [ { "layers": [ { "op": "softmax" } ] }, { "layers": [ { "op": "softmax" }, { "op": "conv", "out": 1, "kernel": -3 } ] } ] }"#,
            "layers[1].branches[1].layers[1].kernel", "expected a positive integer or [h, w], got -3")
        assertLayers(
            #"{ "op": "aux", "layers": [ { "op": "linear", "out": 10, "bias": 0 } ] }"#, "layers[0].layers[0].bias",
            "expected true or false, got 0")
    }

    // MARK: Helpers

    func testEditDistanceAndSuggestions() {
        XCTAssertEqual(LayoutKeys.editDistance("kernal", "kernel"), 1)
        XCTAssertEqual(LayoutKeys.editDistance("kenrel", "kernel"), 1)  // a transposition is one edit
        XCTAssertEqual(LayoutKeys.editDistance("", "abc"), 3)
        XCTAssertEqual(LayoutKeys.editDistance("stride", "strides"), 1)
        XCTAssertEqual(LayoutKeys.suggestion(for: "maxpol", among: Op.Kind.allCases.map(\.rawValue)), "maxpool")
        XCTAssertNil(LayoutKeys.suggestion(for: "xyz", among: ["out", "kernel"]))
        // Short words allow one edit only: "id" is two edits from "pad" but is no typo of it.
        XCTAssertNil(LayoutKeys.suggestion(for: "id", among: ["pad"]))
    }

    func testLongValuesAreAbbreviatedInMessages() {
        XCTAssertEqual(JSONValue.array(Array(repeating: .int(1000), count: 20)).brief, "an array of 20 values")
        XCTAssertEqual(
            JSONValue.string(String(repeating: "a", count: 50)).brief, "\"" + String(repeating: "a", count: 40) + "\"…")
    }
}
