import Foundation

/// Fixture files more than one test target reads, kept here so no test target reads another's:
/// the ONNX models `onnx/make_fixtures.py` writes (the importer's tests and the CLI's) and
/// `export-tiny.json` (the torch text golden file's layout and the ONNX round trip's). A fixture
/// only one target reads stays in that target's own `Fixtures/`.
public enum SharedFixtures {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    /// `name` in the shared fixtures (e.g. "export-tiny.json").
    public static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The ONNX fixtures' directory (`onnx/`: the models, their inputs and outputs, fixtures.json).
    public static let onnxDirectory = directory.appendingPathComponent("onnx")

    /// `name` among the ONNX fixtures (e.g. "tiny_inception_bn.onnx").
    public static func onnx(_ name: String) -> String { onnxDirectory.appendingPathComponent(name).path }
}
