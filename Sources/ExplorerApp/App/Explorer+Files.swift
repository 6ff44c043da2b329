import InceptionCore
import TerminalUI

/// Export (`e`, asks for a path) and save (`s`, back to the loaded file). Both refuse an invalid
/// layout, write atomically (nothing half-written, the old file untouched on error), and ask
/// before overwriting a file other than the one loaded.
extension Explorer {
    func promptExport() {
        guard refuseInvalid("export") else { return }
        state.mode = .prompt(.exportPath, PromptState(text: state.origin.path ?? state.origin.exportDefault))
    }

    func save() {
        guard let path = state.origin.path else {
            promptExport()  // a built-in layout has no file yet
            return
        }
        guard refuseInvalid("save") else { return }
        if Self.isONNXFile(path) {
            // Never write an edited model over the .onnx it came from: ask where instead.
            state.mode = .prompt(.exportPath, PromptState(text: Self.jsonSibling(path)))
            state.message = StatusMessage("s does not overwrite the imported \(path): choose a file", role: .warning)
            return
        }
        write(to: path)
    }

    func export(to path: String) {
        guard !path.isEmpty else {
            state.message = .error("no path given; nothing written")
            return
        }
        guard refuseInvalid("export") else { return }
        guard ExportFormat(path: path) != nil else {
            state.message = .error("not written: the name must end in .onnx, .py or .json (\(path))")
            return
        }
        if (path != state.origin.path || Self.isONNXFile(path)) && AtomicWrite.fileExists(path) {
            state.mode = .confirm(.overwrite(path: path))
            return
        }
        write(to: path)
    }

    /// True when the layout may be written; otherwise says why in red.
    func refuseInvalid(_ verb: String) -> Bool {
        guard let error = state.analysis.errors.first else { return true }
        state.message = .error("cannot \(verb) an invalid layout: \(error.description)")
        return false
    }

    /// Writes the canonical JSON; the written file becomes the document's file (like "save as").
    func write(to path: String) {
        if writeForeignExport(to: path) { return }
        do {
            try AtomicWrite.write(Array(LayoutCodec.encode(state.layout).utf8), to: path)
            state.history.markSaved()
            state.origin = DocumentOrigin(path: path, exportDefault: path, displayName: path)
            state.message = StatusMessage("wrote \(path)", role: .ok)
        } catch {
            state.message = .error("not written: \(error.description)")
        }
    }
}
