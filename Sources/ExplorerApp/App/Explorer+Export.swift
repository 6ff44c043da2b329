import InceptionCore
import TerminalUI

/// `e` to a `.onnx` or `.py` file: the design in the forms other tools read, rendered by the injected
/// `DocumentIO` (in the binary: the same `LayoutExport` call as the CLI's `export`) and written by
/// the loop's atomic write effect (the target check and overwrite question come first, as for
/// JSON). Unlike JSON it is not "save as": the document keeps its file and its modified mark. An
/// imported `.onnx` is never overwritten by `s` (see `save`). A `.svg` or `.dot` file is the figure
/// of the diagram's block, drawn by the core (`FigureExport`, as the CLI's `export` draws it).
extension Explorer {
    /// Queues the write of `path` when it names a .onnx or .py file and returns true; false for JSON
    /// (the caller writes the layout as before).
    func requestForeignExport(to path: String) -> Bool {
        guard let format = ExportFormat(path: path), format != .json else { return false }
        do {
            if format == .svg || format == .dot {
                let text = try FigureExport.render(
                    state.layout, analysis: state.analysis, svg: format == .svg, options: figureOptions)
                let message = format.writtenMessage(path: path, bytes: text.utf8.count, seeded: [])
                effects.append(
                    .write(path: path, contents: Array(text.utf8), kind: .export(message: message, seeded: false)))
                return true
            }
            let r = try documents.render(
                DocumentIO.Export(
                    layout: state.layout, analysis: state.analysis, format: format, weights: state.modelWeights,
                    command: "inception-explorer, key e, on \(state.origin.displayName)"))
            let message = format.writtenMessage(path: path, bytes: r.bytes.count, seeded: r.seeded)
            effects.append(
                .write(path: path, contents: r.bytes, kind: .export(message: message, seeded: !r.seeded.isEmpty)))
        } catch {
            state.message = .error("not written: \(String(describing: error))")
        }
        return true
    }

    /// What `e` to a .svg or .dot draws: the diagram's block (the one holding the selection), or the
    /// network when the selection is in none or the diagram shows the network column; the diagram's
    /// figure on the boxes (a measured time is not exported: params then).
    var figureOptions: FigureExport.Options {
        let block =
            state.pane == .diagram && state.diagram.zoom == .blocks
            ? nil
            : FigureBuilder.enclosingBlock(of: state.selection, in: state.layout).flatMap { state.layout.path(of: $0) }
        let metric = state.diagram.metric == .time ? FigureMetric.params : state.diagram.metric
        return FigureExport.Options(block: block, metric: metric)
    }

    /// Whether the document's file is named as an ONNX model, which `s` must not overwrite (an
    /// imported model has no file to save to at all; see `DocumentOrigin`).
    static func isONNXFile(_ path: String) -> Bool { ExportFormat(path: path) == .onnx }

    /// The `.json` beside `model.onnx`, what `s` proposes instead of overwriting it.
    static func jsonSibling(_ path: String) -> String {
        (path.lowercased().hasSuffix(".onnx") ? String(path.dropLast(5)) : path) + ".json"
    }
}
