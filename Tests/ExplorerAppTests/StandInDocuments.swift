import ExplorerApp
import InceptionCore
import InceptionWeights

/// A stand-in for the binary's document I/O (`DocumentIO.onnx` in the executable), so the explorer's
/// tests link neither the ONNX codec nor the engine. The codec has its own tests (InceptionONNXTests)
/// and the tmux test drives the real wiring (TmuxONNXTests).
///
/// Its "ONNX model" is a JSON layout in a file named `.onnx`: opened, it comes back as an import
/// with (empty) weights of its own. Its ONNX export is the layout's JSON after "ONNX:", and it seeds
/// the layers whose shape no longer matches the model's weights, as the real exporter does.
extension DocumentIO {
    static let standIn = DocumentIO(
        load: { path in
            let source = try LayoutSource.load(path)
            guard path.hasSuffix(".onnx") else { return Loaded(source: source, weights: nil) }
            return Loaded(
                source: .imported(source.layout, path: path), weights: ModelWeights(origin: path, layers: [:]))
        },
        render: { e in
            guard e.format == .onnx else { return try DocumentIO.layoutsOnly.render(e) }
            let seeded =
                e.weights.map { w in
                    WeightSpec.all(in: e.layout).filter { w.layers[$0.path]?.weightShape != $0.weightShape }.map(\.path)
                } ?? []
            return Rendered(bytes: Array(("ONNX:" + LayoutCodec.encode(e.layout)).utf8), seeded: seeded)
        })
}
