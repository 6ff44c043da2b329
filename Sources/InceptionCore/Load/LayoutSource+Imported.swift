/// The entry point for loaders above the core (the ONNX importer): the core reads JSON layouts
/// only, and a loader that recognises another format by content wraps the layout it made.
extension LayoutSource {
    /// A layout converted from the model file at `path`. Its `bytes` are the layout's JSON, so the
    /// source reads like a layout file everywhere else; the origin keeps `s` from writing over the model.
    public static func imported(_ layout: Layout, path: String) -> LayoutSource {
        LayoutSource(origin: .imported(path), bytes: Array(LayoutCodec.encode(layout).utf8), layout: layout)
    }
}
