/// The formats a layout leaves the explorer in, chosen by the file's extension (`export -o FILE`,
/// the explorer's `e`). The ONNX bytes come from InceptionONNX; the others are text from the core
/// (.svg and .dot: the figure of a block or of the network, see `FigureExport`).
public enum ExportFormat: String, CaseIterable, Sendable {
    case onnx, py, json, svg, dot

    /// The format `path` names by its extension (case-insensitive), or nil.
    public init?(path: String) {
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return nil }
        self.init(rawValue: base[base.index(after: dot)...].lowercased())
    }

    /// The one-line usage message for a path with another extension.
    public static func usage(_ path: String) -> String {
        "\(PathText.shown(path)): unknown export format; the file name must end in .onnx, .py, .json, .svg or .dot"
    }

    /// "wrote PATH (onnx, N bytes)", `detail` after a colon, and which layers were seeded when any
    /// were: the one line the CLI's `export` prints and the explorer's `e` shows.
    public func writtenMessage(path: String, bytes: Int, seeded: [String], detail: String? = nil) -> String {
        var message =
            "wrote \(path) (\(rawValue), \(NumberFormat.grouped(bytes)) bytes)" + (detail.map { ": " + $0 } ?? "")
        if !seeded.isEmpty {
            message +=
                "; seeded \(seeded.count) layer\(seeded.count == 1 ? "" : "s") whose weights no longer fit: "
                + seeded.joined(separator: ", ")
        }
        return message
    }
}
