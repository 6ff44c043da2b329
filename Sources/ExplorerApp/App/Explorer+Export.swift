import InceptionCore
import InceptionONNX
import TerminalUI

/// `e` to a `.onnx`, `.py`, `.svg` or `.dot` file: the design in the forms other tools read, rendered by the same
/// `LayoutExport` call as the CLI's `export` and written by the loop's atomic write effect (the
/// target check and overwrite question come first, as for JSON). Unlike JSON it is not "save as":
/// the document keeps its file and its modified mark. An imported `.onnx` is never overwritten by
/// `s` (see `save`).
extension Explorer {
    /// Queues the write of `path` when it names a .onnx or .py file and returns true; false for JSON
    /// (the caller writes the layout as before).
    func requestForeignExport(to path: String) -> Bool {
        guard let format = ExportFormat(path: path), format != .json else { return false }
        do {
            let (bytes, seeded) = try LayoutExport.render(state.layout, format: format, weights: exportWeights,
                                                          command: "inception-explorer, key e, on \(state.origin.displayName)",
                                                          analysis: state.analysis, figure: figureOptions)
            let message = LayoutExport.message(path: path, format: format, bytes: bytes.count, seeded: seeded)
            effects.append(.write(path: path, contents: bytes, kind: .export(message: message, seeded: !seeded.isEmpty)))
        } catch {
            state.message = .error("not written: \(error.description)")
        }
        return true
    }

    /// What `e` to a .svg or .dot draws: the diagram's block (the one holding the selection), or the
    /// network when the selection is in none or the diagram shows the network column; the diagram's
    /// figure on the boxes (a measured time is not exported: params then).
    var figureOptions: FigureExport.Options {
        let block = state.pane == .diagram && state.diagram.zoom == .blocks ? nil
            : FigureBuilder.enclosingBlock(of: state.selection, in: state.layout).flatMap { state.layout.path(of: $0) }
        let metric = state.diagram.metric == .time ? FigureMetric.params : state.diagram.metric
        return FigureExport.Options(block: block, metric: metric)
    }

    /// The weights an ONNX export carries: the model's own where it was imported with them (kept
    /// where they still fit, the rest seeded), else the seed-0 weights `run` uses.
    var exportWeights: ExportWeights {
        state.modelWeights.map { .model($0, fallbackSeed: 0) } ?? .seeded(0)
    }

    /// Whether the document's file is named as an ONNX model, which `s` must not overwrite (an
    /// imported model has no file to save to at all; see `DocumentOrigin`).
    static func isONNXFile(_ path: String) -> Bool { ExportFormat(path: path) == .onnx }

    /// The `.json` beside `model.onnx`, what `s` proposes instead of overwriting it.
    static func jsonSibling(_ path: String) -> String {
        (path.lowercased().hasSuffix(".onnx") ? String(path.dropLast(5)) : path) + ".json"
    }
}
