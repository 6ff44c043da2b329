import InceptionCore

/// Where the layout came from and where `s` writes it back.
public struct DocumentOrigin: Equatable, Sendable {
    /// The file it was loaded from; nil for a built-in layout (then `s` asks for a path like `e`).
    public var path: String?
    /// What `e` proposes: the loaded file, or `<builtin>.json` in the current directory.
    public var exportDefault: String
    /// Shown in the title bar.
    public var displayName: String
    /// The ONNX model an imported document came from: it and its external data files are never
    /// written over (`Explorer.checkTarget`).
    public var importedModel: String?

    public init(path: String?, exportDefault: String, displayName: String) {
        self.path = path
        self.exportDefault = exportDefault
        self.displayName = displayName
    }

    public init(_ source: LayoutSource) {
        switch source.origin {
        case .file(let p): self.init(path: p, exportDefault: p, displayName: p)
        case .builtIn(let b): self.init(path: nil, exportDefault: b.fileName, displayName: "builtin:\(b.rawValue)")
        case .imported(let p):
            // Never `s` over the model file: save asks for a path, proposing MODEL.json beside it.
            self.init(path: nil, exportDefault: Explorer.jsonSibling(p), displayName: p)
            importedModel = p
        }
    }
}
