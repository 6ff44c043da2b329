/// Reading and writing `inception-layout/1` files.
///
/// ```swift
/// let layout = try LayoutCodec.decode(Array(fileData))   // throws LayoutError
/// let text = LayoutCodec.encode(layout)                  // canonical text, ends with "\n"
/// ```
/// Errors: `.syntax` with a `line:column` location for text that is not strict JSON (see
/// `JSONParser`), `.schema` with a JSON path for JSON that is not a valid layout (see
/// `LayoutDecoder`). Shapes are not checked here; the analysis does that.
public enum LayoutCodec {
    /// Parses and checks a layout file's bytes (UTF-8, an optional byte order mark).
    public static func decode(_ bytes: [UInt8]) throws(LayoutError) -> Layout {
        try decode(json: try JSONParser.parse(bytes))
    }

    public static func decode(_ text: String) throws(LayoutError) -> Layout {
        try decode(Array(text.utf8))
    }

    /// Checks an already parsed document against the format.
    public static func decode(json: JSONValue) throws(LayoutError) -> Layout {
        var decoder = LayoutDecoder()
        return try decoder.layout(json)
    }

    /// The canonical text of `layout` (see `LayoutEncoder` for the exact form).
    public static func encode(_ layout: Layout) -> String {
        LayoutEncoder.encode(layout)
    }
}
