import InceptionCore
import InceptionONNX
import TerminalUI

/// `e` to a `.onnx` or `.py` file: the design in the forms other tools read, through the same
/// `LayoutExport` call as the CLI's `export` (atomic write; the overwrite question is asked before,
/// as for JSON). Unlike a JSON export it is not "save as": the document keeps its file and its
/// modified mark. An imported `.onnx` is never overwritten by `s` (see `save`).
extension Explorer {
    /// Writes `path` when it names a .onnx or .py file and returns true; false for JSON (the caller
    /// writes the layout as before).
    func writeForeignExport(to path: String) -> Bool {
        guard let format = ExportFormat(path: path), format != .json else { return false }
        do {
            let written = try LayoutExport.write(state.layout, to: path, weights: exportWeights,
                                                 command: "inception-explorer, key e, on \(state.origin.displayName)")
            state.message = StatusMessage(written.message, role: written.seededLayers.isEmpty ? .ok : .warning)
        } catch {
            state.message = .error("not written: \(error.description)")
        }
        return true
    }

    /// The weights an ONNX export carries: the model's own where it was imported with them (kept
    /// where they still fit, the rest seeded), else the seed-0 weights `run` uses.
    var exportWeights: ExportWeights {
        state.modelWeights.map { .model($0, fallbackSeed: 0) } ?? .seeded(0)
    }

    /// Whether the document's file is an ONNX model (an import), which `s` must not overwrite.
    static func isONNXFile(_ path: String) -> Bool { ExportFormat(path: path) == .onnx }

    /// The `.json` beside an imported `model.onnx`, what `s` proposes instead of overwriting it.
    static func jsonSibling(_ path: String) -> String {
        (path.lowercased().hasSuffix(".onnx") ? String(path.dropLast(5)) : path) + ".json"
    }
}
