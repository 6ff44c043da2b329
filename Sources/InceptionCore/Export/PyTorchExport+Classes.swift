/// Block classes of the PyTorch export: one per kind of inception block, nested split, residual
/// block and aux head.
///
/// A class body is generated for every block instance with its widths as constructor parameters;
/// two instances whose bodies come out equal have equal structure and share the class (the text is
/// the structural key: kernels, strides, pads, names and a linear layer's spatial size are in it,
/// widths are not).
extension PyTorchGenerator {
    /// Writes (or reuses) the class of the block at `address` and returns how to build this instance
    /// in its parent, the instance's output channels in the parent's terms, and its weighted layers
    /// (relative to the instance).
    mutating func instance(
        of family: BlockClass.Family, layers: [Layer]?, block: Block?, address: NodeAddress,
        inChannels: String, modulePath: String,
        widths parent: inout Widths
    ) throws(PyFailure) -> (String, String, [WeightedEntry]) {
        var w = Widths(parameterised: true)
        var initLines: [String] = [], forward: [String] = [], entries: [WeightedEntry] = []
        var localRenames: [(String, String)] = []
        let out: String
        if let block {
            var calls: [String] = [], outs: [String] = []
            // A split's branches read their slices (`xs[b]`, of fixed sizes), the others the whole input.
            var sizes: [Int]?
            if case .split(let s) = block.join { sizes = s }
            for (b, branch) in block.branches.enumerated() {
                let attr = w.scope.identifier(for: branch.name ?? "branch\(b)", prefix: "branch")
                if let n = branch.name, n != attr { localRenames.append((n, attr)) }
                let inChannels = sizes.map { String($0[b]) } ?? "in_channels"
                let (expr, bOut, bEntries) = try branchModule(
                    branch, address: address.appending(b), attr: attr,
                    inChannels: inChannels, widths: &w, renames: &localRenames)
                initLines.append("self.\(attr) = \(expr)")
                let x = sizes == nil ? "x" : "xs[\(b)]"
                calls.append("self.\(attr)(\(x))" + (branch.scale == 1 ? "" : " * \(Self.number(branch.scale))"))
                outs.append(bOut)
                let bNode = branch.name ?? String(b)
                entries += bEntries.map {
                    WeightedEntry(
                        node: bNode + "/" + $0.node, module: Self.join(attr, $0.module, "."),
                        inAux: $0.inAux)
                }
            }
            switch block.join {
            case .concat:
                forward = ["return torch.cat([\(calls.joined(separator: ", "))], 1)"]
                out = outs.joined(separator: " + ")
            case .sum(let activation):
                // Every branch ends with the block's shape: the first branch's channels say it.
                let sum = calls.joined(separator: " + ")
                forward = [activation == .relu ? "return torch.relu(\(sum))" : "return \(sum)"]
                out = outs[0]
            case .split(let sizes):
                forward = [
                    "xs = torch.split(x, [\(sizes.map(String.init).joined(separator: ", "))], 1)",
                    "return torch.cat([\(calls.joined(separator: ", "))], 1)",
                ]
                out = outs.joined(separator: " + ")
            }
        } else {
            var c = "in_channels"
            for (i, layer) in (layers ?? []).enumerated() {
                let attr: String
                if let name = layer.name {
                    attr = w.scope.identifier(for: name, prefix: "layer")
                    if attr != name { localRenames.append((name, attr)) }
                } else {
                    attr = w.scope.identifier(for: Self.kindName(layer.op) + String(i), prefix: "layer")
                }
                let (expr, lOut, lEntries) = try module(
                    layer, address: address.appending(i), modulePath: attr,
                    inChannels: c, widths: &w, inAux: true)
                c = lOut
                initLines.append("self.\(attr) = \(expr)")
                forward.append("x = self.\(attr)(x)")
                entries += lEntries.map {
                    WeightedEntry(
                        node: Self.join(layer.name ?? String(i), $0.node, "/"),
                        module: Self.join(attr, $0.module, "."), inAux: true)
                }
            }
            forward.append("return x")
            out = c
        }
        let signature = Self.wrap("def __init__(", ["self", "in_channels"] + w.params.map(\.name), "):", indent: 4)
        var body = Self.indent(signature, 4) + "\n        super().__init__()\n"
        body += initLines.map { Self.indent($0, 8) }.joined(separator: "\n") + "\n\n"
        body += "    def forward(self, x):\n" + forward.map { "        " + $0 }.joined(separator: "\n") + "\n"
        let users = layout.path(of: address) ?? ""
        let id: Int
        if let existing = classes.firstIndex(where: { $0.family == family && $0.body == body }) {
            classes[existing].users.append(users)
            id = classes[existing].id
        } else {
            id = classes.count
            classes.append(
                BlockClass(
                    id: id, family: family, body: body, params: w.params, outChannels: out,
                    weighted: entries, users: [users], usesOrderedDict: false))
            if !localRenames.isEmpty { renames[Self.placeholder(id), default: []] += localRenames }
        }
        // The instance: this block's widths become the parent's parameters (or literals).
        var mapping: [String: String] = ["in_channels": inChannels]
        var args = [inChannels]
        for (i, p) in w.params.enumerated() {
            let value = parent.width(w.args[i], modulePath: modulePath + "." + p.module)
            mapping[p.name] = value
            args.append("\(p.name)=\(value)")
        }
        let terms = out.components(separatedBy: " + ").map { mapping[$0] ?? $0 }
        let literals = terms.compactMap(Int.init)
        let outExpr = literals.count == terms.count ? String(literals.reduce(0, +)) : terms.joined(separator: " + ")
        let expr = Self.wrap(Self.placeholder(id) + "(", args, ")", indent: 0)
        return (expr, outExpr, entries)
    }

    /// A branch as one module: its only layer, an `nn.Sequential` of its layers (indices when none
    /// is named, an OrderedDict of names otherwise), or `nn.Identity()` when empty.
    mutating func branchModule(
        _ branch: Branch, address: NodeAddress, attr: String, inChannels: String,
        widths: inout Widths,
        renames: inout [(String, String)]
    ) throws(PyFailure) -> (String, String, [WeightedEntry]) {
        if branch.layers.isEmpty { return ("nn.Identity()", inChannels, []) }
        if branch.layers.count == 1 {
            let layer = branch.layers[0]
            let (expr, out, entries) = try module(
                layer, address: address.appending(0), modulePath: attr,
                inChannels: inChannels, widths: &widths, inAux: false)
            return (
                expr, out,
                entries.map {
                    WeightedEntry(
                        node: Self.join(layer.name ?? "0", $0.node, "/"),
                        module: $0.module, inAux: $0.inAux)
                }
            )
        }
        let named = branch.layers.contains { $0.name != nil }
        if named { usesOrderedDict = true }
        var scope = PythonScope()
        var items: [String] = [], entries: [WeightedEntry] = []
        var c = inChannels
        for (j, layer) in branch.layers.enumerated() {
            let key: String
            if let name = layer.name {
                key = scope.identifier(for: name, prefix: "layer")
                if key != name { renames.append((name, key)) }
            } else {
                key = String(j)
            }
            let (expr, out, lEntries) = try module(
                layer, address: address.appending(j), modulePath: attr + "." + key,
                inChannels: c, widths: &widths, inAux: false)
            c = out
            items.append(named ? "(\(PythonScope.literal(key)), \(expr))," : expr + ",")
            entries += lEntries.map {
                WeightedEntry(
                    node: Self.join(layer.name ?? String(j), $0.node, "/"),
                    module: Self.join(key, $0.module, "."), inAux: $0.inAux)
            }
        }
        let inner = items.map { Self.indent($0, 4) }.joined(separator: "\n")
        let text = named ? "nn.Sequential(OrderedDict([\n\(inner)\n]))" : "nn.Sequential(\n\(inner)\n)"
        return (text, c, entries)
    }

    // MARK: text helpers

    static func placeholder(_ id: Int) -> String { "\u{1}\(id)\u{1}" }

    /// "A", "B", ... "Z", "AA", ...
    static func letters(_ i: Int) -> String {
        var n = i, s = ""
        repeat {
            s = String(UnicodeScalar(UInt8(65 + n % 26))) + s
            n = n / 26 - 1
        } while n >= 0
        return s
    }

    /// Indents every line of `text` by `n` spaces.
    static func indent(_ text: String, _ n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
    }

    /// `open` + items joined by ", " + `close`, on one line when it fits in 96 columns (after
    /// `indent`), else items packed onto continuation lines indented 4 more.
    static func wrap(_ open: String, _ items: [String], _ close: String, indent: Int) -> String {
        let one = open + items.joined(separator: ", ") + close
        if indent + one.count <= 96 || items.contains(where: { $0.contains("\n") }) { return one }
        var lines: [String] = [], line = ""
        for item in items {
            let piece = item + ","
            if !line.isEmpty && indent + 4 + line.count + 1 + piece.count > 96 {
                lines.append(line)
                line = piece
            } else {
                line = line.isEmpty ? piece : line + " " + piece
            }
        }
        if !line.isEmpty { lines.append(line) }
        return open + "\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n" + close
    }

    /// `3` for a square pair, `(1, 3)` otherwise.
    static func pair(_ p: Pair) -> String { p.isSquare ? String(p.h) : "(\(p.h), \(p.w))" }

    /// A Python float literal (Swift's shortest round-trip form: 0.0001, 0.75, 1.0).
    static func number(_ x: Double) -> String { x.description }

    static func poolArgs(_ p: Pool, average: Bool) -> String {
        var args = [pair(p.kernel)]
        if p.stride != p.kernel { args.append("stride=" + pair(p.stride)) }
        if p.pad != Pair(0, 0) { args.append("padding=" + pair(p.pad)) }
        if p.ceil { args.append("ceil_mode=True") }
        if average && !p.countPad { args.append("count_include_pad=False") }
        return args.joined(separator: ", ")
    }

    /// The most common (bias, batchnorm, relu) of the layout's convs: `BasicConv2d`'s defaults.
    static func commonConv(_ layout: Layout) -> PyTorchRuntimeText.ConvDefaults {
        var counts: [(PyTorchRuntimeText.ConvDefaults, Int)] = []
        layout.walk { visit in
            if case .layer(let l) = visit.node, case .conv(let c) = l.op {
                let d = PyTorchRuntimeText.ConvDefaults(
                    bias: c.bias, batchnorm: c.batchnorm, relu: c.activation == .relu)
                if let i = counts.firstIndex(where: { $0.0 == d }) { counts[i].1 += 1 } else { counts.append((d, 1)) }
            }
            return true
        }
        var best = PyTorchRuntimeText.ConvDefaults(bias: true, batchnorm: false, relu: true), n = 0
        for (d, c) in counts where c > n { (best, n) = (d, c) }
        return best
    }
}
