import Foundation
import InceptionCore
import InceptionWeights

/// The LAYOUT argument of every command and the explorer: `builtin:NAME`, an `inception-layout/1`
/// JSON file, or an ONNX model — told apart by content, not by extension.
public enum ModelLoader {
    /// A loaded LAYOUT: the layout (as a source) and, for an imported model, its own weights.
    public struct Loaded: Sendable {
        public var source: LayoutSource
        public var weights: ModelWeights?
    }

    /// A file is opened once: its first bytes tell ONNX from JSON, and a JSON layout is then read
    /// from that same open file (every refusal — missing, a directory, a FIFO, too large — is the
    /// layout loader's one line). An ONNX model is mapped by `importFile`.
    public static func load(_ reference: String) throws(LoadError) -> Loaded {
        guard !reference.hasPrefix("builtin:") else {
            return Loaded(source: try LayoutSource.load(reference), weights: nil)
        }
        let file: RegularFile
        do {
            file = try RegularFile.open(reference)
        } catch {
            throw LoadError(error.description)
        }
        // pread: the position stays at the start for the JSON reader.
        guard let head = try? file.read(at: 0, count: 16), ONNXImporter.looksLikeONNX(head) else {
            return Loaded(source: try LayoutSource.load(file), weights: nil)
        }
        do {
            let model = try importFile(reference)
            return Loaded(source: .imported(model.layout, path: reference), weights: model.weights)
        } catch {
            throw LoadError(error.description)
        }
    }

    /// Imports the ONNX file at `path`. The file is mapped rather than read, and dropped as soon as
    /// it is parsed, so the peak is about the file plus its weights once.
    public static func importFile(_ path: String) throws(ONNXImportError) -> ONNXImporter.Model {
        var graph = try mappedGraph(path)
        return try ONNXImporter.importGraph(&graph, file: path)
    }

    private static func mappedGraph(_ path: String) throws(ONNXImportError) -> ONNXGraph {
        do { _ = try RegularFile.open(path) } catch {
            throw ONNXImportError(description: error.description)
        }
        return try ModelFileMap.withMappedFile(path) { (data) throws(ONNXImportError) in
            try ONNXImporter.makeGraph(data, file: path)
        }
    }

    /// Whether `path` is a regular file whose first bytes are a ModelProto's, not JSON. Anything
    /// else (missing, a directory, a FIFO) is left to the layout loader and its messages.
    public static func isONNXFile(_ path: String) -> Bool {
        guard isRegularFile(path), let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 16) else { return false }
        return ONNXImporter.looksLikeONNX(head)
    }

    /// Whether `path` leads to a regular file, through symbolic links: model caches (Hugging
    /// Face's) keep every file as a link to a blob. What the model then points to is confined
    /// (`ExternalDataFolder`).
    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }
}
