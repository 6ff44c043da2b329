/// The PyTorch export: a layout as one self-contained Python file that needs only torch.
///
/// It is plain text built from the layout and its analysis, so it lives in the core beside the JSON
/// codec (no protobuf, no engine): the CLI and the explorer both call `PyTorchExport.source`.
///
/// The file holds one `nn.Module` class per *kind* of block (blocks whose structure is equal share a
/// class whose constructor takes the widths), the network class, `build(aux=True)` and
/// `load_weights(model, DIR)` for a `run --save` directory. Aux heads follow torchvision: built
/// unless `aux=False`, run and returned beside the main output in training mode, skipped in eval.
/// Parameters equal the analysis' (batchnorm γ and β are parameters, running mean and variance
/// buffers), which `PyTorchExportTests` and `Benchmarks/export_check.py` check.
public enum PyTorchExport {
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var description: String
        init(_ d: String) { description = d }
    }

    /// The Python source for `layout`. `command` is written into the header (how the file was made).
    /// An invalid layout is refused with its first located error. `analysis`, when the caller has
    /// it, must be `Analysis(layout)`.
    public static func source(_ layout: Layout, command: String, analysis: Analysis? = nil) throws(Failure) -> String {
        let analysis = analysis ?? Analysis(layout)
        if let e = analysis.errors.first { throw Failure(e.description) }
        if let path = layout.firstMapLayerAfterLinear() {
            throw Failure("\(path): follows a linear layer, whose output is [N, C] in torch; cannot be exported")
        }
        var g = PyTorchGenerator(layout: layout, analysis: analysis)
        return try g.file(command: command)
    }

    /// The class the export writes for each top-level block, by index in `layout.layers`
    /// (`BlockRuns` shows them as the blocks' kinds); empty when the layout cannot be exported.
    public static func blockKinds(_ layout: Layout, analysis: Analysis? = nil) -> [Int: String] {
        let analysis = analysis ?? Analysis(layout)
        guard analysis.isValid, layout.firstMapLayerAfterLinear() == nil,
            layout.layers.contains(where: { $0.op.block != nil })
        else { return [:] }
        var g = PyTorchGenerator(layout: layout, analysis: analysis)
        let className = PythonScope.className(layout.name)
        guard (try? g.networkClass(className)) != nil else { return [:] }
        g.nameClasses(networkClass: className)
        var kinds: [Int: String] = [:]
        for c in g.classes where c.family == .inception || c.family == .residual || c.family == .channelSplit {
            for user in c.users {
                if let a = layout.address(ofPath: user), a.steps.count == 1, let name = g.named[c.id] {
                    kinds[a.steps[0]] = name
                }
            }
        }
        return kinds
    }
}

/// One weighted layer (conv or linear) of a generated class: where its files and its module are.
struct WeightedEntry: Equatable {
    /// Node path relative to the class's node ("branch3x3/1").
    var node: String
    /// Module path relative to the class instance ("branch3x3.1").
    var module: String
    var inAux: Bool
}

/// A generated block class (or its placeholder id until names are given out).
struct BlockClass {
    /// `nested` is a concat inside a branch (Inception-v3's 1x3 | 3x1 "split" of one tensor);
    /// `channelSplit` a split join (InceptionNeXt's token mixer), at any depth.
    enum Family: Int { case inception, nested, residual, channelSplit, aux }
    var id: Int
    var family: Family
    /// The class body after the `class` line: also the structural key (equal text = equal structure).
    var body: String
    /// Constructor parameters after `in_channels`, each with the module path (relative to the
    /// instance) of the layer whose width it is.
    var params: [(name: String, module: String)]
    /// The output channels in terms of `in_channels` and the parameters: terms joined by " + ".
    var outChannels: String
    var weighted: [WeightedEntry]
    var users: [String]
    var usesOrderedDict: Bool
}

/// Builds the text. Channel counts inside a class are expressions of its constructor parameters
/// (`in_channels`, `ch_branch3x3_1`, sums for concatenations); at network level they are literals.
struct PyTorchGenerator {
    let layout: Layout
    let analysis: Analysis
    var classes: [BlockClass] = []
    var convDefaults = PyTorchRuntimeText.ConvDefaults(bias: true, batchnorm: false, relu: true)
    var usesConv = false, usesLinear = false, usesOrderedDict = false, usesLayerNorm = false, usesLayerScale = false
    var usesL2Norm = false
    /// Renamed node names per scope (a class placeholder, or "network"), for the mapping comment.
    var renames: [String: [(String, String)]] = [:]
    /// Final class names by placeholder id, given out once every class is known.
    var named: [Int: String] = [:]

    init(layout: Layout, analysis: Analysis) {
        self.layout = layout
        self.analysis = analysis
        convDefaults = Self.commonConv(layout)
    }

    typealias PyFailure = PyTorchExport.Failure

    /// Context of one class body being written: how a width is spelled and which parameters exist.
    struct Widths {
        /// Whether widths are constructor parameters (a block class) or literals (the network).
        var parameterised: Bool
        var params: [(name: String, module: String)] = []
        var args: [Int] = []
        private var names = PythonScope()
        /// Attribute names of the class's own list (network, aux head).
        var scope = PythonScope()

        init(parameterised: Bool) { self.parameterised = parameterised }

        mutating func width(_ value: Int, modulePath: String) -> String {
            guard parameterised else { return String(value) }
            let name = names.identifier(for: "ch_" + modulePath.replacingOccurrences(of: ".", with: "_"), prefix: "ch_")
            params.append((name, modulePath))
            args.append(value)
            return name
        }
    }

    // MARK: the file

    /// Gives every class its name: per family (`Inception`, `Split`, `Residual`, `ChannelSplit`, `InceptionAux`) a
    /// letter by first use, none when the family has one class.
    mutating func nameClasses(networkClass className: String) {
        named = [:]
        for family in [BlockClass.Family.inception, .nested, .residual, .channelSplit, .aux] {
            let members = classes.filter { $0.family == family }
            let stem =
                switch family {
                case .inception: "Inception"
                case .nested: "Split"
                case .residual: "Residual"
                case .channelSplit: "ChannelSplit"
                case .aux: "InceptionAux"
                }
            for (i, c) in members.enumerated() {
                var name = members.count == 1 ? stem : stem + Self.letters(i)
                if name == className { name += "Block" }
                named[c.id] = name
            }
        }
    }

    mutating func file(command: String) throws(PyFailure) -> String {
        let className = PythonScope.className(layout.name)
        let (netBody, weights) = try networkClass(className)
        nameClasses(networkClass: className)
        func resolve(_ text: String) -> String {
            var t = text
            for (id, name) in named { t = t.replacingOccurrences(of: Self.placeholder(id), with: name) }
            return t
        }
        var out = header(command: command)
        out += PyTorchRuntimeText.imports(orderedDict: usesOrderedDict) + "\n\n"
        if usesConv { out += PyTorchRuntimeText.convClass(convDefaults) }
        if usesLinear { out += PyTorchRuntimeText.linearClass }
        if usesLayerNorm { out += PyTorchRuntimeText.layerNormClass }
        if usesLayerScale { out += PyTorchRuntimeText.layerScaleClass }
        if usesL2Norm { out += PyTorchRuntimeText.l2NormClass }
        for c in classes {
            let name = named[c.id]!
            out += "class \(name)(nn.Module):\n"
            out += "    \"\"\"Used by \(PythonScope.docstring(c.users.joined(separator: ", "))).\"\"\"\n\n"
            out += resolve(c.body) + "\n\n"
        }
        out += "class \(className)(nn.Module):\n" + resolve(netBody) + "\n\n"
        out += "def build(aux=True):\n"
        out += "    \"\"\"The network; aux=False leaves the auxiliary heads out.\"\"\"\n"
        out += "    return \(className)(aux=aux)\n\n\n"
        out += "# (node path, module in this file, inside an aux head); its files are the node path with / -> .\n"
        out += "WEIGHTS = [\n"
        for w in weights {
            out +=
                "    (\(PythonScope.literal(w.node)), \(PythonScope.literal(w.module)), \(w.inAux ? "True" : "False")),\n"
        }
        out += "]\n\n\n"
        out += PyTorchRuntimeText.loaders
        return out
    }

    func header(command: String) -> String {
        let t = analysis.totals, a = analysis.auxTotals
        let endsFlat = layout.layers.last { ![.softmax, .dropout, .aux].contains($0.op.kind) }?.op.kind == .linear
        let g = NumberFormat.grouped
        var lines = [
            "\(PythonScope.comment(layout.name)): PyTorch module generated by inception-explorer.",
            "Command: \(PythonScope.comment(command))",
            "Input \(layout.input) (C x H x W); output \(analysis.output.map(\.description) ?? "?")"
                + (endsFlat ? " ([N, \(analysis.output?.channels ?? 0)] here: a linear layer's output)." : "."),
            "Params (trainable) \(g(t.params)); batchnorm buffers \(g(t.buffers)) (running mean and var;"
                + " torch also keeps num_batches_tracked);",
            "MACs \(g(t.macs)) (conv and linear, biases not counted; FLOPs = 2 x MACs).",
        ]
        if a.params > 0 || a.macs > 0 {
            lines.append(
                "Aux heads (training only, not in the totals above): params \(g(a.params)), MACs \(g(a.macs)).")
        }
        lines += [
            "",
            "Needs only torch. build(aux=True) returns the network: in training mode it returns (out, *aux_outs)",
            "when aux heads are built, in eval mode the main output alone. load_weights(model, DIR) reads the",
            "weights `inception-explorer run --save DIR` writes (batchnorm folded). Dropout is nn.Dropout.",
            "",
            "Names: module attributes follow the layout's node names. A name that is not a Python identifier is",
            "rewritten: other characters -> _, a leading digit or _ gets \"branch\" / \"layer\", a keyword or",
            "nn.Module member gets a trailing _, a clash gets _2. Unnamed layers of a branch are",
            "nn.Sequential indices; unnamed layers elsewhere are named by kind and index (conv1, fc4).",
        ]
        var scopes: [(String, [(String, String)])] = []
        if let net = renames["network"] { scopes.append((PythonScope.className(layout.name), net)) }
        for c in classes { if let r = renames[Self.placeholder(c.id)] { scopes.append((named[c.id] ?? "?", r)) } }
        if !scopes.isEmpty {
            lines.append("Renamed here (node name -> attribute):")
            for (scope, pairs) in scopes {
                lines.append("  \(scope): " + pairs.map { "\($0.0) -> \($0.1)" }.joined(separator: ", "))
            }
        }
        lines.append("WEIGHTS below maps every conv and linear node path to its module.")
        return lines.map { $0.isEmpty ? "#" : "# " + PythonScope.comment($0) }.joined(separator: "\n") + "\n\n"
    }

    // MARK: the network class

    mutating func networkClass(_ className: String) throws(PyFailure) -> (String, [WeightedEntry]) {
        var widths = Widths(parameterised: false)
        widths.scope = PythonScope(reserving: ["aux"])
        var initLines: [String] = [], forwardLines: [String] = []
        var weights: [WeightedEntry] = []
        var channels = String(layout.input.channels)
        var auxNames: [String] = []
        let listScope = "network"
        for (i, layer) in layout.layers.enumerated() {
            let address = NodeAddress([i])
            let nodePath = layer.name ?? String(i)
            let attr = attribute(layer, index: i, in: &widths.scope, scope: listScope)
            if let inner = layer.op.auxLayers {
                let (expr, _, entries) = try instance(
                    of: .aux, layers: inner, block: nil, address: address,
                    inChannels: channels, modulePath: attr, widths: &widths)
                initLines.append("self.\(attr) = \(expr) if aux else None")
                forwardLines.append("if self.training and self.\(attr) is not None:")
                forwardLines.append("    aux_outputs.append(self.\(attr)(x))")
                auxNames.append(attr)
                weights += entries.map {
                    WeightedEntry(node: nodePath + "/" + $0.node, module: attr + "." + $0.module, inAux: true)
                }
                continue
            }
            let (expr, out, entries) = try module(
                layer, address: address, modulePath: attr, inChannels: channels,
                widths: &widths, inAux: false)
            channels = out
            initLines.append("self.\(attr) = \(expr)")
            forwardLines.append("x = self.\(attr)(x)")
            weights += entries.map {
                WeightedEntry(
                    node: Self.join(nodePath, $0.node, "/"),
                    module: Self.join(attr, $0.module, "."), inAux: $0.inAux)
            }
        }
        var body = "    \"\"\"\(PythonScope.docstring(layout.description ?? layout.name))\"\"\"\n\n"
        body += "    def __init__(self, aux=True):\n        super().__init__()\n"
        body += initLines.map { Self.indent($0, 8) }.joined(separator: "\n") + "\n\n"
        body += "    def forward(self, x):\n"
        if !auxNames.isEmpty { body += "        aux_outputs = []\n" }
        body += forwardLines.map { "        " + $0 }.joined(separator: "\n") + "\n"
        body +=
            auxNames.isEmpty
            ? "        return x\n" : "        if aux_outputs:\n            return (x, *aux_outputs)\n        return x\n"
        return (body, weights)
    }

    static func join(_ a: String, _ b: String, _ sep: String) -> String { b.isEmpty ? a : a + sep + b }

    /// The attribute name of a layer in a list that is a class's attributes (network, aux head).
    mutating func attribute(_ layer: Layer, index: Int, in scope: inout PythonScope, scope scopeName: String) -> String
    {
        if let name = layer.name {
            let id = scope.identifier(for: name, prefix: "layer")
            if id != name { renames[scopeName, default: []].append((name, id)) }
            return id
        }
        return scope.identifier(for: Self.kindName(layer.op) + String(index), prefix: "layer")
    }

    static func kindName(_ op: Op) -> String {
        switch op {
        case .conv: "conv"
        case .maxpool, .avgpool: "pool"
        case .globalavgpool: "avgpool"
        case .lrn: "norm"
        case .dropout: "dropout"
        case .softmax: "softmax"
        case .relu: "relu"
        case .batchnorm: "bn"
        case .gelu: "gelu"
        case .layernorm: "ln"
        case .layerscale: "scale"
        case .l2norm: "l2norm"
        case .linear: "fc"
        case .block: "block"
        case .aux: "aux"
        }
    }

    // MARK: layers

    /// The module expression for one layer, its output channels, and its weighted layers (paths
    /// relative to the layer itself: "" for a conv or linear).
    mutating func module(
        _ layer: Layer, address: NodeAddress, modulePath: String, inChannels: String,
        widths: inout Widths, inAux: Bool
    ) throws(PyFailure) -> (String, String, [WeightedEntry]) {
        let path = layout.path(of: address) ?? ""
        switch layer.op {
        case .conv(let c):
            usesConv = true
            let out = widths.width(c.out, modulePath: modulePath)
            var args = [inChannels, out, Self.pair(c.kernel)]
            if c.stride != Pair(1, 1) { args.append("stride=" + Self.pair(c.stride)) }
            let pad = c.pad.resolved(kernel: c.kernel)
            if pad != Pair(0, 0) { args.append("padding=" + Self.pair(pad)) }
            if c.groups != 1 { args.append("groups=\(c.groups)") }
            if c.bias != convDefaults.bias { args.append("bias=" + PyTorchRuntimeText.py(c.bias)) }
            if c.batchnorm != convDefaults.batchnorm { args.append("batchnorm=" + PyTorchRuntimeText.py(c.batchnorm)) }
            if (c.activation == .relu) != convDefaults.relu {
                args.append("relu=" + PyTorchRuntimeText.py(c.activation == .relu))
            }
            return (
                "BasicConv2d(\(args.joined(separator: ", ")))", out, [WeightedEntry(node: "", module: "", inAux: inAux)]
            )
        case .linear(let l):
            usesLinear = true
            guard let input = analysis.stats(at: address)?.input else {
                throw PyFailure("\(path): input shape unknown")
            }
            let spatial = input.height * input.width
            let inFeatures =
                spatial == 1
                ? inChannels
                : (inChannels.contains("+") ? "(\(inChannels))" : inChannels) + " * \(spatial)"
            let out = widths.width(l.out, modulePath: modulePath)
            var args = [inFeatures, out]
            if !l.bias { args.append("bias=False") }
            if l.activation == .relu { args.append("relu=True") }
            return (
                "BasicLinear(\(args.joined(separator: ", ")))", out, [WeightedEntry(node: "", module: "", inAux: inAux)]
            )
        case .maxpool(let p):
            return ("nn.MaxPool2d(\(Self.poolArgs(p, average: false)))", inChannels, [])
        case .avgpool(let p):
            return ("nn.AvgPool2d(\(Self.poolArgs(p, average: true)))", inChannels, [])
        case .globalavgpool:
            return ("nn.AdaptiveAvgPool2d(1)", inChannels, [])
        case .lrn(let l):
            return (
                "nn.LocalResponseNorm(\(l.size), alpha=\(Self.number(l.alpha)), beta=\(Self.number(l.beta)), k=\(Self.number(l.k)))",
                inChannels, []
            )
        case .dropout(let rate):
            return ("nn.Dropout(p=\(Self.number(rate)))", inChannels, [])
        case .softmax:
            return ("nn.Softmax(dim=1)", inChannels, [])
        case .relu:
            return ("nn.ReLU()", inChannels, [])
        case .l2norm(let eps):
            // F.normalize(x, p=2, dim=1, eps): over the channels of a map, or over a flat vector.
            usesL2Norm = true
            let args = eps == L2NormRules.defaultEpsilon ? "" : "eps=\(Self.number(eps))"
            return ("L2Norm(\(args))", inChannels, [])
        case .batchnorm(let eps):
            // Torch's own initial values (γ 1, β 0, mean 0, var 1) are the seeded run's; a weights
            // directory's folded scale and shift load through `_load_batchnorm`.
            // On a linear layer's [N, C] output it is a BatchNorm1d (facenet's last_bn).
            let args = eps == BatchNormRules.defaultEpsilon ? inChannels : "\(inChannels), eps=\(Self.number(eps))"
            let module = layout.followsLinear(address) ? "nn.BatchNorm1d" : "nn.BatchNorm2d"
            return ("\(module)(\(args))", inChannels, [WeightedEntry(node: "", module: "", inAux: inAux)])
        case .gelu:
            return ("nn.GELU()", inChannels, [])
        case .layernorm(let eps):
            // Over the channels of each pixel (or of the vector after a linear); γ 1, β 0 as torch
            // initialises them, which is the seeded run's.
            usesLayerNorm = true
            let args = eps == LayerNormRules.defaultEpsilon ? inChannels : "\(inChannels), eps=\(Self.number(eps))"
            return ("LayerNorm2d(\(args))", inChannels, [WeightedEntry(node: "", module: "", inAux: inAux)])
        case .layerscale:
            usesLayerScale = true
            return ("LayerScale(\(inChannels))", inChannels, [WeightedEntry(node: "", module: "", inAux: inAux)])
        case .block(let block):
            let family: BlockClass.Family =
                block.join.kind == .sum
                ? .residual
                : block.join.kind == .split
                    ? .channelSplit
                    : address.steps.count == 1 ? .inception : .nested
            let (expr, out, entries) = try instance(
                of: family, layers: nil, block: block, address: address,
                inChannels: inChannels, modulePath: modulePath, widths: &widths)
            return (
                expr, out, entries.map { WeightedEntry(node: $0.node, module: $0.module, inAux: $0.inAux || inAux) }
            )
        case .aux:
            throw PyFailure(
                "\(path): an aux head inside a block or head cannot be exported to PyTorch (only top-level aux heads)")
        }
    }
}
