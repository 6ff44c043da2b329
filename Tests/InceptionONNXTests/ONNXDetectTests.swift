import Testing
@testable import InceptionONNX

@Suite struct ONNXDetectTests {
    @Test func jsonIsNotONNX() {
        #expect(!ONNXImporter.looksLikeONNX(Array("{\"format\": \"inception-layout/1\"}".utf8)))
        #expect(!ONNXImporter.looksLikeONNX(Array(" \n{".utf8)))
        #expect(!ONNXImporter.looksLikeONNX([]))
    }

    @Test func modelProtoIsONNX() throws {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.graph = Onnx_GraphProto()
        let bytes: [UInt8] = try m.serializedBytes()
        #expect(ONNXImporter.looksLikeONNX(bytes))
        #expect(try ONNXImporter.parseModel(bytes, file: "m.onnx").irVersion == 8)
    }
}
