import InceptionCore

/// The one call the CLI's `export` and the explorer's `e` make: a layout into the bytes of the
/// format its file name asks for (.onnx, .py, .json), then an atomic write.
public enum LayoutExport {
    public struct Written: Sendable {
        public var format: ExportFormat
        public var bytes: Int
        /// Layers whose weights were seeded (ONNX of an edited import); empty otherwise.
        public var seededLayers: [String]
        /// One line for the user: what was written, and which layers were seeded.
        public var message: String
    }

    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public enum Kind: Sendable {
            /// An unknown extension: a usage error (exit 2).
            case usage
            /// The layout cannot be exported (invalid, or a shape the format cannot say).
            case layout
            /// The file could not be written (the message names it; nothing was left behind).
            case write
        }

        public var description: String
        public var kind: Kind
    }

    /// The file's bytes; `weights` matters for .onnx only (default: seed 0, as `run`). The layout
    /// is analysed once (or not at all when the caller hands in its `Analysis(layout)`).
    /// `figure` says which block and how, for .svg and .dot.
    public static func render(
        _ layout: Layout, format: ExportFormat, weights: ExportWeights = .seeded(0),
        command: String, analysis: Analysis? = nil,
        figure: FigureExport.Options = .init()
    ) throws(Failure) -> (bytes: [UInt8], seeded: [String]) {
        let analysis = analysis ?? Analysis(layout)
        if let e = analysis.errors.first {
            throw Failure(description: "cannot export an invalid layout: \(e.description)", kind: .layout)
        }
        switch format {
        case .json:
            return (Array(LayoutCodec.encode(layout).utf8), [])
        case .svg, .dot:
            do {
                return (
                    Array(
                        try FigureExport.render(layout, analysis: analysis, svg: format == .svg, options: figure).utf8),
                    []
                )
            } catch {
                throw Failure(description: error.description, kind: .usage)
            }
        case .py:
            do {
                return (Array(try PyTorchExport.source(layout, command: command, analysis: analysis).utf8), [])
            } catch {
                throw Failure(description: error.description, kind: .layout)
            }
        case .onnx:
            do {
                let r = try ONNXExporter.export(layout, weights: weights, command: command, analysis: analysis)
                return (r.bytes, r.seededLayers)
            } catch {
                throw Failure(description: error.description, kind: .layout)
            }
        }
    }

    /// Renders and writes `path` atomically (nothing half-written; the old file untouched on error).
    public static func write(
        _ layout: Layout, to path: String, weights: ExportWeights = .seeded(0),
        command: String, analysis: Analysis? = nil, figure: FigureExport.Options = .init()
    ) throws(Failure) -> Written {
        guard let format = ExportFormat(path: path) else {
            throw Failure(description: ExportFormat.usage(path), kind: .usage)
        }
        let (bytes, seeded) = try render(
            layout, format: format, weights: weights, command: command, analysis: analysis,
            figure: figure)
        do {
            try AtomicWrite.write(bytes, to: path)
        } catch {
            throw Failure(description: error.description, kind: .write)
        }
        return Written(
            format: format, bytes: bytes.count, seededLayers: seeded,
            message: message(path: path, format: format, bytes: bytes.count, seeded: seeded))
    }

    /// "wrote PATH (onnx, N bytes)", `detail` after a colon, and which layers were seeded when any were
    /// (`ExportFormat.writtenMessage`, the line the explorer's `e` shows too).
    public static func message(
        path: String, format: ExportFormat, bytes: Int, seeded: [String],
        detail: String? = nil
    ) -> String {
        format.writtenMessage(path: path, bytes: bytes, seeded: seeded, detail: detail)
    }
}
