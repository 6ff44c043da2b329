import ExplorerApp
import InceptionCore
import XCTest

/// An imported model (ONNX) opens like a layout but is never written back to: `s` asks for a path,
/// proposing MODEL.json beside the model.
final class ExplorerImportedOriginTests: XCTestCase {
    func testImportedModelIsNotSavedOverItsFile() {
        let source = LayoutSource.imported(
            try! LayoutCodec.decode(BuiltInLayout.googlenet.json), path: "models/googlenet.onnx")
        let origin = DocumentOrigin(source)
        XCTAssertNil(origin.path)
        XCTAssertEqual(origin.exportDefault, "models/googlenet.json")
        XCTAssertEqual(origin.displayName, "models/googlenet.onnx")
        XCTAssertEqual(source.displayName, "models/googlenet.onnx")
    }
}
