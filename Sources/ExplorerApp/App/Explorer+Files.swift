import InceptionCore
import TerminalUI

/// Save as (`e`, asks for a path) and save (`s`, back to the open file). Both refuse an invalid
/// layout and write atomically (nothing half-written, the old file untouched on error). Before any
/// question the target is checked (a directory, a device or /proc is refused at once, not after
/// "overwrite?"); an existing file other than the open one is overwritten only after a yes, and
/// `s` asks when the open file changed or vanished on disk since it was loaded or written.
/// The writes themselves are effects (`Effect.write`) that the loop performs.
extension Explorer {
    func promptExport() {
        guard refuseInvalid("save") else { return }
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
        // What is there now first: a FIFO, directory or device put in the file's place is refused
        // at once, before the changed-on-disk question.
        guard checkTarget(path) != nil else { return }
        let now = FileStamp.of(path)
        if let loaded = state.diskStamp, now != loaded {
            state.mode = .confirm(.saveChangedOnDisk(path: path, why: now == nil ? "was deleted" : "changed on disk"))
            return
        }
        requestLayoutWrite(to: path)
    }

    func export(to path: String) {
        guard !path.isEmpty else {
            state.message = .error("no path given; nothing written")
            return
        }
        guard refuseInvalid("save") else { return }
        guard ExportFormat(path: path) != nil else {
            state.message = .error("not written: the name must end in .onnx, .py, .json, .svg or .dot (\(path))")
            return
        }
        guard let target = checkTarget(path) else { return }
        if let open = state.origin.path, Self.sameFile(open, path) {
            save()
        } else if target == .regularFile {
            state.mode = .confirm(.overwrite(path: path))
        } else {
            requestLayoutWrite(to: path)
        }
    }

    /// What is at `path`, or nil after saying in red why nothing can be written there: also when
    /// it is the imported model or one of its external data files, through any link (issue 19).
    func checkTarget(_ path: String) -> AtomicWrite.Target? {
        do {
            if let model = state.origin.importedModel { try documents.reads(model).refuse(writing: path) }
            return try AtomicWrite.checkTarget(path)
        } catch {
            state.message = .error("not written: \(error)")
            return nil
        }
    }

    /// True when the layout may be written; otherwise says why in red.
    func refuseInvalid(_ verb: String) -> Bool {
        guard let error = state.analysis.errors.first else { return true }
        state.message = .error("cannot \(verb) an invalid layout: \(error.description)")
        return false
    }

    /// Asks the loop to write the canonical JSON to `path`.
    func requestLayoutWrite(to path: String) {
        if requestForeignExport(to: path) { return }
        effects.append(.write(path: path, contents: Array(LayoutCodec.encode(state.layout).utf8), kind: .layout))
    }

    /// Performs a write effect and records the outcome: a written layout becomes the document's
    /// file ("save as": the title and `s` then point at it).
    func performWrite(_ contents: [UInt8], to path: String, kind: WriteKind) {
        do {
            // Checked again: the file may have become a link to the model since the question.
            if let model = state.origin.importedModel { try documents.reads(model).refuse(writing: path) }
            try AtomicWrite.write(contents, to: path)
        } catch {
            state.message = .error("\(kind == .report ? "report " : "")not written: \(error)")
            return
        }
        switch kind {
        case .layout:
            // Saved is what was encoded: the layout the write was asked for is the current one
            // (the loop performs effects before the next key).
            state.history.markSaved()
            // The model it was imported from stays protected: its weights are still the document's.
            let model = state.origin.importedModel
            state.origin = DocumentOrigin(path: path, exportDefault: path, displayName: path)
            state.origin.importedModel = model
            state.diskStamp = FileStamp.of(path)
            state.message = StatusMessage("wrote \(path)", role: .ok)
        case .report:
            state.message = StatusMessage("wrote report \(path)", role: .ok)
        case .export(let message, let seeded):
            // Another format is not "save as": the document keeps its file and its modified mark.
            state.message = StatusMessage(message, role: seeded ? .warning : .ok)
        }
    }
}

extension Explorer {
    /// `O`: asks first when there are unsaved edits; the read itself is an effect.
    func open(_ path: String) {
        guard !path.isEmpty else {
            state.message = .error("no path given; nothing opened")
            return
        }
        if state.history.isModified {
            state.mode = .confirm(.openDiscarding(path: path))
        } else {
            effects.append(.open(path: path))
        }
    }

    /// Performs `.open`: the file is read on its own thread (`BackgroundLoad`), and the loop takes
    /// the result when it is there: a layout that loads replaces the document (history, timings,
    /// tree); one that does not leaves everything as it was and says why.
    func performOpen(_ path: String) {
        guard loading == nil else {
            state.message = openingMessage(loading!.path)
            return
        }
        let load = BackgroundLoad(path: path)
        loading = load
        state.message = openingMessage(path)
        load.start(documents.load)
    }

    func applyOpened(_ loaded: DocumentIO.Loaded) {
        let source = loaded.source
        state = ExplorerState(layout: source.layout, origin: DocumentOrigin(source), options: state.options)
        state.modelWeights = loaded.weights
        if let makeTimer { timer = makeTimer(loaded.weights) }
        let invalid = state.analysis.errors.count
        state.message = StatusMessage(
            "opened \(state.origin.displayName)"
                + (invalid > 0 ? " (invalid: \(invalid) error\(invalid == 1 ? "" : "s"), p lists them)" : ""),
            role: invalid > 0 ? .warning : .ok)
    }
}
