/// Entry points for loaders above the core (the ONNX importer): the core reads JSON layouts only,
/// and a loader that recognises another format by content hands the bytes back here or wraps the
/// layout it made.
extension LayoutSource {
    /// Decodes bytes already read from `path` as an `inception-layout/1` file.
    public static func decodeFile(_ bytes: [UInt8], path: String) throws(LoadError) -> LayoutSource {
        try decode(bytes, origin: .file(path))
    }

    /// A layout converted from the model file at `path`. Its `bytes` are the layout's JSON, so the
    /// source reads like a layout file everywhere else; the origin keeps `s` from writing over the model.
    public static func imported(_ layout: Layout, path: String) -> LayoutSource {
        LayoutSource(origin: .imported(path), bytes: Array(LayoutCodec.encode(layout).utf8), layout: layout)
    }
}
