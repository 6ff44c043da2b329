import Foundation
import InceptionCore
import TestSupport
import Testing

@testable import InceptionONNX

/// The names an import gives follow the format's one name rule (`NodeNameRule`, the decoder's and
/// the explorer's rename): a model file whose name holds a bidi control or another control
/// character imports under its name without them, so what `import -o` or the explorer's `e` then
/// writes is a file `validate` loads. Before, the file name went into the layout's name as it was
/// and the import failed ("the imported layout is not valid").
@Suite struct ONNXImportedNameTests {
    @Test(arguments: [
        ("tiny\u{202E}xnno", "tinyxnno"), ("\u{2066}tiny\u{2069}", "tiny"), ("tiny\u{200F}bn", "tinybn"),
        ("c1\u{9B}csi", "c1csi"), ("\u{202E}", "onnx model"),
    ])
    func aModelFileNamedWithControlsImportsUnderTheCleanName(_ stem: String, _ expected: String) throws {
        let tmp = try TemporaryDirectory("onnx-names")
        defer { tmp.remove() }
        let path = tmp.path(stem + ".onnx")
        try FileManager.default.copyItem(atPath: Fixtures.path("tiny_inception_bn.onnx"), toPath: path)
        let model = try ModelLoader.importFile(path)
        #expect(model.layout.name == expected)
        // What the import gives, the decoder (`validate`) loads again, unchanged.
        #expect(try LayoutCodec.decode(Array(LayoutCodec.encode(model.layout).utf8)) == model.layout)
    }

    /// The namer's test for a scope part is the format's: a part the decoder refuses never names a
    /// node, and one it accepts can.
    @Test func theNamersRuleIsTheFormats() {
        for part in [
            "0", "12", "a/b", "", String(repeating: "x", count: LayoutLimits.maxNameBytes + 1), "conv", "branch2.0",
            "½", "٣",
        ] {
            #expect(LayerNamer.isValid(part) == (NodeNameRule.problem(with: part) == nil), "\(JSONValue.quoted(part))")
        }
        #expect(LayerNamer.clean("in\u{202E}cep\u{1B}tion") == "inception")
    }
}
