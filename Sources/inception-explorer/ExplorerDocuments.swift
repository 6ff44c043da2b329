import ExplorerApp
import InceptionONNX

/// The explorer's document I/O in the binary: `O` reads any LAYOUT argument as every command does
/// (`ModelLoader`), and `e` renders through the CLI export's own call (`LayoutExport.render`). An
/// ONNX export carries the imported model's own weights where they still fit (the rest seeded,
/// and named), else the seed-0 weights `run` uses.
extension DocumentIO {
    static let onnx = DocumentIO(
        load: { path in
            let loaded = try ModelLoader.load(path)
            return Loaded(source: loaded.source, weights: loaded.weights)
        },
        render: { e in
            let weights: ExportWeights = e.weights.map { .model($0, fallbackSeed: 0) } ?? .seeded(0)
            let (bytes, seeded) = try LayoutExport.render(
                e.layout, format: e.format, weights: weights,
                command: e.command, analysis: e.analysis)
            return Rendered(bytes: bytes, seeded: seeded)
        },
        reads: { ModelFiles.reads($0) })
}
