import ArgumentParser
import Foundation
import InceptionCore
import InceptionONNX
import InceptionRuntime
import InceptionWeights

/// `run LAYOUT`: one forward pass of a node, with weights and input from files or seeded, and the
/// option to save input, output and every weight as .npy (to check against another framework).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Run one forward pass of the network or a node on the engine; optionally save input, output and weights.",
        discussion: """
            Input and output are float32 [N, C, H, W] arrays (a linear or softmax output is \
            [N, C, 1, 1]). Weights: a directory of .npy files named by node path with / -> . \
            (inception_3a.3x3.1.weight.npy [out, in, kh, kw], .bias.npy [out]; linear [out, C*H*W]), \
            batchnorm already folded in; without --weights, seeded He-normal (std sqrt(2/fan_in), \
            biases N(0, 0.01^2), batchnorm as the identity, folded). Input: --input FILE.npy, else \
            seeded N(0, 1). --save DIR writes input.npy, output.npy and every weight used (folded), \
            in the same naming, so `run --weights DIR --input DIR/input.npy` reproduces DIR/output.npy.
            """
    )

    @Argument(help: LayoutArgument.help) var layout: String
    @Option(help: "The node path to run (default: the whole network).") var block: String?
    @Option(help: "A directory of .npy weights (default: an ONNX model's own, else seeded He-normal).") var weights:
        String?
    @Option(help: "An input .npy of shape [N, C, H, W] (default: seeded N(0,1)).") var input: String?
    @Option(parsing: .unconditional, help: "Seed of the generated weights and input (default 0).") var seed: UInt64?
    @Option(parsing: .unconditional, help: "Batch size (default: 1, or N of --input).") var batch: Int?
    @Option(parsing: .unconditional, help: "Engine threads (default: all cores).") var threads: Int?
    @Option(help: "Write input.npy, output.npy and every weight used into this directory.") var save: String?
    @Flag(help: "Run the auxiliary heads too (their outputs are not returned).") var aux = false
    @Flag(help: "Refuse (exit 1) weights or input holding NaN or infinity instead of warning.") var strict = false
    @Option(
        name: .customLong("max-memory"), parsing: .unconditional,
        help: "Refuse plans estimated above this many bytes (default: half of RAM).")
    var maxMemory: Int?
    @Option(name: .customLong("algo"), help: AlgorithmPolicy.help) var algo: AlgorithmPolicy = .auto
    @Flag(help: ReplanOption.help) var replan = false

    func validate() throws {
        try ReplanOption.validate(replan, algo: algo)
        try requireThreads(threads)
        try requirePositive(batch, "batch")
        try requirePositive(maxMemory, "max-memory")
    }

    func run() throws {
        let loaded = try LayoutArgument.loadModel(layout)
        let source = loaded.source
        let path = block ?? ""
        // The header only, first (shape, dtype, its size against the file's): the data is read
        // once its shape matches the plan's input, so a header declaring 32 GiB, or a 2 GiB input
        // for a 3x8x8 model, is refused before anything is allocated (issue 19), as --weights is.
        var given: NpyHeader?
        if let input {
            do { given = try NpyFile.readHeader(input) } catch { throw Failure(error.description) }
        }
        var n = batch ?? 1
        if batch == nil, let given, given.shape.count == 4, given.shape[0] >= 1 { n = given.shape[0] }
        let reads = filesRead()
        if let save { try refuseSavingOverReads(save, reads) }
        let staged = try save.map { (dir: String) throws(Failure) in try SaveDirectory(dir) }
        defer { staged?.abandon() }  // after commit() there is nothing left to remove
        let threadCount = threads ?? EngineForwardTimer.defaultThreads
        if let line = seedWarning(modelHasWeights: loaded.weights != nil, modelName: source.displayName) {
            printError("warning: " + line)
        }
        let seed = self.seed ?? 0
        var options = PlanOptions(
            path: path, batch: n, threads: threadCount, includeAux: aux,
            weights: weights.map { .directory($0) } ?? loaded.weights.map { .memory($0) } ?? .generated(seed: seed),
            maxMemoryBytes: maxMemory,
            algorithm: algo)
        options.replan = replan
        let plan: ExecutionPlan
        do {
            plan = try ExecutionPlan(layout: source.layout, options: options) { spec, w in
                if let dir = weights {
                    try checkFinite(w.weight, what: join(dir, spec.weightFile))
                    if let b = w.bias { try checkFinite(b, what: join(dir, spec.biasFile)) }
                }
                guard let staged, let save else { return }
                try saveFile(
                    spec.weightFile, of: spec, shape: w.weightShape, values: w.weight, in: staged, shownAs: save)
                if let b = w.bias {
                    try saveFile(spec.biasFile, of: spec, shape: [b.count], values: b, in: staged, shownAs: save)
                }
            }
        } catch {
            // The plan throws only PlanError (typed throws): a Failure from the closure arrives
            // inside one, prefixed with the layer's path.
            throw Failure("\(source.displayName): \(error)")
        }
        let values: [Float]
        if let given, let file = input {
            guard given.shape == plan.inputDims else {
                throw Failure(
                    "\(file): input shape \(NpyFile.shapeText(given.shape)) does not match "
                        + "\(path.isEmpty ? source.layout.name : path)'s input \(NpyFile.shapeText(plan.inputDims))")
            }
            let array: NpyArray
            do { array = try NpyFile.read(file) } catch { throw Failure(error.description) }
            guard array.shape == given.shape else {
                throw Failure("\(file): changed while it was read (shape \(NpyFile.shapeText(array.shape)))")
            }
            values = array.values
            try checkFinite(values, what: file)
        } else {
            var rng = SplitMix64(seed: seed, stream: "input")
            values = rng.normals(plan.input.shape.count, std: 1)
        }
        do {
            try plan.setInput(values)
        } catch {
            throw Failure("\(error)")
        }
        let ms = plan.runOnce(threads: threadCount)
        let output = plan.outputValues()
        if let staged {
            do {
                try NpyFile.write(staged.path("input.npy"), shape: plan.inputDims, values: values)
                try NpyFile.write(staged.path("output.npy"), shape: plan.outputDims, values: output)
            } catch {
                throw Failure(staged.userPath(error.description, shownAs: save ?? ""))
            }
            try staged.commit(protecting: reads)
        }
        let sum = output.reduce(0.0) { $0 + Double($1) }
        defer {
            if ClassifierOutput.isClassifier(source.layout, path: path),
                let top = Self.topClasses(output, dims: plan.outputDims)
            {
                print(top)
            }
        }
        print(
            "\(path.isEmpty ? source.layout.name : path): output \(NpyFile.shapeText(plan.outputDims)), "
                + "sum \(NumberFormat.fixed(sum, decimals: 6)), mean \(NumberFormat.fixed(sum / Double(max(1, output.count)), decimals: 6)), "
                + "\(NumberFormat.milliseconds(ms)) (one pass, \(threadCount) thread\(threadCount == 1 ? "" : "s")), "
                + "plan memory \(plan.memory)"
                + (plan.algorithmSummary.isEmpty ? "" : "; convs: \(plan.algorithmSummary)")
                + (save.map { "; saved to \($0)" } ?? ""))
    }

    /// A `--seed` given where nothing is seeded is a mistake worth a line: the weights come from
    /// --weights or the model's own, and the input from --input.
    func seedWarning(modelHasWeights: Bool, modelName: String) -> String? {
        guard let seed else { return nil }
        let weightsFrom =
            weights.map { "--weights \(PathText.shown($0))" } ?? (modelHasWeights ? "\(modelName)'s own weights" : nil)
        guard let weightsFrom else { return nil }
        if input != nil { return "--seed \(seed) is ignored: the weights are \(weightsFrom) and the input is --input" }
        return "--seed \(seed) only seeds the input: the weights are \(weightsFrom)"
    }

    /// For a classifier's output (per sample a vector of 2 or more values, spatial 1x1), the five
    /// largest, by class index, in the same fixed format as the sum: "top-5 classes: #123
    /// 4.567890, …" (one line per sample when the batch is larger than one). Only asked for when
    /// `ClassifierOutput` says the output is a classifier's (ends in a softmax or a plain linear):
    /// an embedding's vector, e.g. facenet's after l2norm, has the same shape.
    static func topClasses(_ output: [Float], dims: [Int]) -> String? {
        guard dims.count >= 2, dims[0] >= 1, dims.dropFirst(2).allSatisfy({ $0 == 1 }), dims[1] >= 2 else { return nil }
        let n = dims[0], classes = dims[1]
        guard output.count == n * classes else { return nil }
        var lines: [String] = []
        for sample in 0..<n {
            let row = output[(sample * classes)..<((sample + 1) * classes)]
            let top = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }.prefix(5)
            let items = top.map { "#\($0 - sample * classes) \(NumberFormat.fixed(Double(row[$0]), decimals: 6))" }
            lines.append(
                "top-\(items.count) classes" + (n > 1 ? " (sample \(sample))" : "") + ": "
                    + items.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// NaN or infinity in weights or input turns the whole output into "sum nan" without a word:
    /// warn on stderr (the run goes on), or refuse with --strict.
    func checkFinite(_ values: [Float], what: String) throws(Failure) {
        var bad = 0
        for v in values where !v.isFinite { bad += 1 }
        guard bad > 0 else { return }
        let line =
            "\(what): \(NumberFormat.grouped(bad)) of \(NumberFormat.grouped(values.count)) values are NaN or infinite"
        if strict { throw Failure(line + " (refused: --strict)") }
        printError("warning: " + line)
    }

    /// Writes one weight file of the set, in one short line when it cannot: a name over the file
    /// name limit (a deep path of long node names) is refused before the write, and a failure
    /// names DIR, not the hidden staging folder (issue 19: a 20 KB "one line" named it). Thrown as
    /// a `PlanError`, which the plan passes on without prefixing the node path.
    func saveFile(
        _ name: String, of spec: WeightSpec, shape: [Int], values: [Float], in staged: SaveDirectory,
        shownAs dir: String
    ) throws(PlanError) {
        guard name.utf8.count <= LayoutLimits.maxNameBytes else {
            throw PlanError(
                "\(PathText.shown(dir)): cannot save the weights of \(PathText.shown(spec.path, max: 60)): "
                    + "the file name would be \(name.utf8.count) bytes, over the limit of \(LayoutLimits.maxNameBytes) (shorten the names on its path)"
            )
        }
        do { try NpyFile.write(staged.path(name), shape: shape, values: values) } catch {
            throw PlanError(staged.userPath(error.description, shownAs: dir))
        }
    }

    /// What this run reads: the model (and its external data), the --weights files, the --input
    /// file. `--save` may replace none of them (issue 19).
    func filesRead() -> ReadFiles {
        var reads = ReadFiles()
        ModelFiles.add(layout, to: &reads)
        if let weights { reads.addFiles(in: weights, role: "a --weights file") }
        if let input { reads.add(input, role: "the --input file") }
        return reads
    }

    /// Refuses at once (before any planning) a --save DIR that is itself a file read, or that
    /// holds one under a name the save writes (input.npy, output.npy, *.weight.npy, *.bias.npy).
    func refuseSavingOverReads(_ dir: String, _ reads: ReadFiles) throws(Failure) {
        for entry in reads.entries {
            let name = AtomicWrite.baseName(of: entry.path)
            guard
                name == "input.npy" || name == "output.npy" || name.hasSuffix(".weight.npy")
                    || name.hasSuffix(".bias.npy")
            else { continue }
            do { try reads.refuse(writing: join(dir, name)) } catch { throw Failure(error.description) }
        }
    }

    func join(_ dir: String, _ name: String) -> String { dir.hasSuffix("/") ? dir + name : dir + "/" + name }
}
