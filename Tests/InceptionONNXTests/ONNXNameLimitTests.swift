import Foundation
import InceptionCore
import Testing

@testable import InceptionONNX

/// Imported names obey the format's name limit (255 UTF-8 bytes, `LayoutLimits.maxNameBytes`;
/// issue 19 item 14): a torch scope longer than that is no name, so the layer is unnamed (addressed
/// by its index) and the imported layout saves and loads again.
struct ONNXNameLimitTests {
    @Test func aScopeOverTheLimitIsNotUsedAsAName() throws {
        var g = ConvConcatGraph()
        let a = g.conv("x", out: 4, inChannels: 3)
        let b = g.conv(a, out: 4, inChannels: 4)
        let long = String(repeating: "s", count: 300)
        g.graph.node[0].name = "/\(long)/Conv"
        g.graph.node[1].name = "/short/Conv"
        let layout = try ONNXImporter.importModel(try g.model(input: [1, 3, 4, 4], output: b), file: "long.onnx").layout
        #expect(layout.layers.map(\.name) == [nil, "short"])
        #expect(Analysis(layout).errors.isEmpty)
        #expect(try LayoutCodec.decode(LayoutCodec.encode(layout)) == layout)
    }

    /// The files a model reads, found from the protobuf's field headers: the fixture's three
    /// external tensors all live in external.onnx.data (Fixtures/make_fixtures.py).
    @Test func externalDataLocationsAreFound() throws {
        #expect(
            ModelFiles.externalLocations(Fixtures.path("external.onnx"))
                == Array(repeating: "external.onnx.data", count: 3))
        #expect(ModelFiles.externalLocations(Fixtures.path("helper_mix.onnx")) == [])
        let reads = ModelFiles.reads(Fixtures.path("external.onnx"))
        #expect(reads.entries.map(\.role) == ["the model", "the model's external data"])
    }
}
