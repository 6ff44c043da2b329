import ArgumentParser
import Foundation
import InceptionCore
import InceptionONNX

/// `export LAYOUT -o FILE.{onnx,py,json,svg,dot}`: the design in the forms other tools read. The format
/// follows the extension; an invalid layout is refused with its located message and nothing is
/// written; the file is written atomically.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write a layout as ONNX, as a PyTorch module (.py), as canonical JSON, or as a figure (.svg, .dot); the extension picks the format.",
        discussion: """
            FILE.onnx: an opset-17 inference graph (no dropout, no aux heads) with weights from \
            --weights DIR (run's .npy directory), else the layout's own (LAYOUT an ONNX model: every \
            weight that still fits is kept, the rest seeded with --seed and listed), else seeded \
            exactly as `run --seed N` seeds them.

            FILE.py: one self-contained file needing only torch, with build(aux=True) and \
            load_weights(model, DIR) for a `run --save DIR` directory.

            FILE.json: the canonical inception-layout/1 JSON.

            FILE.svg: the figure of --block PATH as the papers draw it (the previous layer at the \
            bottom, one column per branch, the concatenation on top), or of the whole network as a \
            column of blocks; standalone, every colour an inline attribute. FILE.dot: the same \
            structure for Graphviz, one cluster per block.
            """
    )

    @Argument(help: LayoutArgument.help) var layout: String
    @Option(name: .shortAndLong, help: "The file to write: FILE.onnx, FILE.py or FILE.json.") var output: String
    @Option(help: "ONNX only: a directory of .npy weights as `run --weights` reads (batchnorm folded).") var weights:
        String?
    @Option(help: "ONNX only: seed of the generated weights (the ones `run --seed N` uses).") var seed: UInt64?
    @Option(help: "SVG and DOT only: the block to draw (a node path such as inception_3a); default: the whole network.")
    var block: String?
    @Option(help: "SVG only: light or gray.") var theme: String?
    @Option(help: "SVG and DOT only: the figure under each box: params, macs, shape or share.") var figure: String?

    func validate() throws {
        guard let format = ExportFormat(path: output) else { throw ValidationError(ExportFormat.usage(output)) }
        if weights != nil && seed != nil { throw ValidationError("--weights and --seed exclude each other") }
        if format != .onnx && (weights != nil || seed != nil) {
            throw ValidationError("--weights and --seed apply to .onnx only (a .py or .json file holds no weights)")
        }
        let drawn = format == .svg || format == .dot
        if !drawn && (block != nil || theme != nil || figure != nil) {
            throw ValidationError("--block, --theme and --figure apply to .svg and .dot only")
        }
        if let theme, FigureSVG.Theme(rawValue: theme) == nil || format != .svg {
            throw ValidationError("--theme: \"\(theme)\" is not one of light, gray (SVG only)")
        }
        if let figure, FigureMetric(rawValue: figure) == nil || figure == "time" {
            throw ValidationError("--figure: \"\(figure)\" is not one of params, macs, shape, share")
        }
    }

    func run() throws {
        // Never over what the export reads: the model, its external data, the --weights files
        // (issue 19: `export m.onnx -o m.onnx` replaced the model), through any link.
        var reads = ModelFiles.reads(layout)
        if let weights { reads.addFiles(in: weights, role: "a --weights file") }
        do { try reads.refuse(writing: output) } catch { throw Failure(error.description) }
        let loaded = try LayoutArgument.loadModel(layout)
        let source = loaded.source
        let analysis = Analysis(source.layout)
        guard analysis.isValid else {
            for e in analysis.errors.dropLast() { printError(e.line(file: source.displayName)) }
            throw Failure(analysis.errors.last!.line(file: source.displayName))
        }
        // An imported model keeps its own weights where they still fit; --seed seeds the rest.
        let weightSource: ExportWeights =
            if let weights {
                .directory(weights)
            } else if let own = loaded.weights {
                .model(own, fallbackSeed: seed ?? 0)
            } else {
                .seeded(seed ?? 0)
            }
        let written: LayoutExport.Written
        do {
            written = try LayoutExport.write(
                source.layout, to: output, weights: weightSource, command: commandLine(),
                analysis: analysis, figure: figureOptions)
        } catch {
            throw Failure(error.kind == .write ? error.description : "\(source.displayName): \(error.description)")
        }
        let t = analysis.totals
        print(
            LayoutExport.message(
                path: output, format: written.format, bytes: written.bytes, seeded: written.seededLayers,
                detail: "\(source.layout.name), \(NumberFormat.grouped(t.params)) params, "
                    + "\(NumberFormat.grouped(t.macs)) MACs"))
    }

    var figureOptions: FigureExport.Options {
        FigureExport.Options(
            block: block, theme: theme.flatMap(FigureSVG.Theme.init) ?? .light,
            metric: figure.flatMap(FigureMetric.init) ?? .params)
    }

    /// The command as a user would retype it, for the file's header.
    func commandLine() -> String {
        var parts = ["inception-explorer", "export", layout, "-o", output]
        if let weights { parts += ["--weights", weights] }
        if let seed { parts += ["--seed", String(seed)] }
        return parts.joined(separator: " ")
    }
}
