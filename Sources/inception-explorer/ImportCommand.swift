import ArgumentParser
import Foundation
import InceptionCore
import InceptionONNX
import InceptionRuntime

/// `import MODEL.onnx [-o OUT.json] [--weights DIR]`: the ONNX model as an inception-layout/1 file,
/// and its weights as the .npy directory `run --weights` reads.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert an ONNX model into an inception-layout/1 file (and its weights into .npy files).",
        discussion: """
            Writes the layout to OUT.json (stdout without -o). With --weights DIR, every conv and linear \
            layer's weights go to DIR as NODE.PATH.weight.npy / .bias.npy, batchnorm folded with the \
            model's epsilon: `run OUT.json --weights DIR` then computes what the model does. See the \
            README's "Your own model" for what maps.
            """
    )

    @Argument(help: "An ONNX model (.onnx; recognised by content).") var model: String
    @Option(name: .shortAndLong, help: "Write the layout here instead of stdout.") var output: String?
    @Option(help: "Also write the model's weights as .npy files into this directory.") var weights: String?

    /// `import` writes a layout: an `-o` named for another format (`x.onnx`, `x.py`) would hold
    /// JSON under a misleading name (QA wrote `-o other.onnx` and got JSON there); `export` writes those.
    func validate() throws {
        if let output, !output.lowercased().hasSuffix(".json") {
            throw ValidationError(
                "-o must name a .json file (import writes the layout as JSON; `export` writes .onnx and .py), got \(PathText.shown(output))"
            )
        }
    }

    func run() throws {
        // What is there first, in the words every command uses ("is a FIFO, not a regular file").
        do { _ = try RegularFile.open(model) } catch { throw Failure(error.description) }
        guard ModelLoader.isONNXFile(model) else {
            throw Failure("\(model): not an ONNX model (a ModelProto protobuf file)")
        }
        // Never over what the import reads (the model, its external data), through any link, and
        // every target checked before anything is written (issue 19: `-o fifo.json --weights W`
        // failed but wrote W).
        let reads = ModelFiles.reads(model)
        if let output {
            do {
                try reads.refuse(writing: output)
                _ = try AtomicWrite.checkTarget(output)
            } catch { throw Failure(error.description) }
        }
        let staged = try weights.map { (dir: String) throws(Failure) in try SaveDirectory(dir) }
        defer { staged?.abandon() }  // after commit() there is nothing left to remove
        let imported: ONNXImporter.Model
        do { imported = try ModelLoader.importFile(model) } catch { throw Failure(error.description) }
        let json = LayoutCodec.encode(imported.layout)
        var files = 0
        if let staged {
            // As `run --save`: staged beside DIR and swapped in when every file is written, so a
            // failure (a full disk) never leaves a partial set that looks complete.
            do { files = try imported.weights.writeDirectory(staged.staging, for: imported.layout) } catch {
                throw Failure(error.description)
            }
        }
        // The layout is written to its temporary file first; only then do the weights move into
        // place, and the layout last.
        let layoutWrite: AtomicWrite.Prepared?
        do {
            layoutWrite = try output.map { (o: String) throws(AtomicWrite.Failure) in
                try AtomicWrite.prepare(Array(json.utf8), to: o)
            }
        } catch {
            throw Failure(error.description)
        }
        try staged?.commit(protecting: reads)
        if let layoutWrite {
            do { try layoutWrite.commit() } catch { throw Failure(error.description) }
        } else {
            print(json, terminator: json.hasSuffix("\n") ? "" : "\n")
        }
        let t = Analysis(imported.layout).totals
        printError(
            "\(model): \(imported.layout.layers.count) layers, \(NumberFormat.grouped(t.params)) params, "
                + "\(NumberFormat.grouped(t.macs)) MACs" + (output.map { "; layout written to \($0)" } ?? "")
                + (weights.map { "; \(files) weight files written to \($0)" } ?? ""))
    }
}
