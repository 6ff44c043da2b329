import InceptionCore
import InceptionWeights

/// How the explorer reads a document by path (`O`) and renders it in another format (`e` to a
/// `.onnx` or `.py` file). Injected as the forward-pass timer is: the executable wires
/// InceptionONNX's `ModelLoader` and `LayoutExport` (the calls every CLI command makes), so the
/// explorer links neither the ONNX codec nor swift-protobuf, and tests hand in stand-ins.
///
/// The default, `layoutsOnly`, is what the core alone can do: built-in and JSON layouts in, `.py`
/// and `.json` out; an ONNX model is refused in one line.
public struct DocumentIO: Sendable {
    /// A document read by path: the layout (as a source, for its origin) and, for an imported
    /// model, its own weights.
    public struct Loaded: Sendable {
        public var source: LayoutSource
        public var weights: ModelWeights?

        public init(source: LayoutSource, weights: ModelWeights?) {
            self.source = source
            self.weights = weights
        }
    }

    /// An export's bytes and the layers whose weights were seeded because the model's own no
    /// longer fit them (an edited import written as ONNX); empty otherwise.
    public struct Rendered: Sendable {
        public var bytes: [UInt8]
        public var seeded: [String]

        public init(bytes: [UInt8], seeded: [String] = []) {
            self.bytes = bytes
            self.seeded = seeded
        }
    }

    /// What to render: a valid layout with its analysis, the format its file name asks for, the
    /// imported model's own weights (nil: seeded ones, as `run`), and the provenance line.
    public struct Export: Sendable {
        public var layout: Layout
        public var analysis: Analysis
        public var format: ExportFormat
        public var weights: ModelWeights?
        public var command: String

        public init(layout: Layout, analysis: Analysis, format: ExportFormat, weights: ModelWeights?, command: String) {
            self.layout = layout
            self.analysis = analysis
            self.format = format
            self.weights = weights
            self.command = command
        }
    }

    /// Reads a LAYOUT argument (`builtin:NAME`, a JSON layout, an ONNX model). A thrown error's
    /// description is shown after "not opened: ".
    public var load: @Sendable (String) throws -> Loaded
    /// Renders an export. A thrown error's description is shown after "not written: ".
    public var render: @Sendable (Export) throws -> Rendered
    /// The files a document path reads (a model and its external data), which no write may replace
    /// (issue 19). The default: the file itself, "the layout".
    public var reads: @Sendable (String) -> ReadFiles

    public init(
        load: @escaping @Sendable (String) throws -> Loaded,
        render: @escaping @Sendable (Export) throws -> Rendered,
        reads: @escaping @Sendable (String) -> ReadFiles = DocumentIO.fileItself
    ) {
        self.load = load
        self.render = render
        self.reads = reads
    }

    /// `path` alone, as "the layout" (nothing for a built-in name).
    public static let fileItself: @Sendable (String) -> ReadFiles = { path in
        var files = ReadFiles()
        if !path.hasPrefix("builtin:") { files.add(path, role: "the layout") }
        return files
    }

    /// The core's formats only (see the type's comment).
    public static let layoutsOnly = DocumentIO(
        load: { Loaded(source: try LayoutSource.load($0), weights: nil) },
        render: { e in
            switch e.format {
            case .json: return Rendered(bytes: Array(LayoutCodec.encode(e.layout).utf8))
            case .py:
                return Rendered(
                    bytes: Array(try PyTorchExport.source(e.layout, command: e.command, analysis: e.analysis).utf8))
            case .onnx:
                throw Unsupported(
                    description: "ONNX export needs the ONNX codec, which this explorer was built without")
            case .svg, .dot:
                return Rendered(
                    bytes: Array(
                        try FigureExport.render(
                            e.layout, analysis: e.analysis, svg: e.format == .svg,
                            options: FigureExport.Options()
                        ).utf8))
            }
        })

    /// A format the injected I/O cannot write.
    public struct Unsupported: Error, CustomStringConvertible, Sendable {
        public var description: String
    }
}
