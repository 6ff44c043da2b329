/// The rules of a block (`"op": "inception"`) and of each join, in one place: keys, reading,
/// writing, labels and how branch outputs combine. `"join"` is optional and `"concat"` by default,
/// so files from before joins read and write back byte for byte.
enum BlockRules {
    static let keys = ["op", "name", "join", "activation", "sizes", "branches"]
    static let branchKeys = ["name", "scale", "layers"]

    /// `, "join": "sum", "activation": "relu"` — nothing for a concat (the default).
    static func encodeFields(_ block: Block, into out: inout String) {
        switch block.join {
        case .concat:
            break
        case .sum(let activation):
            FieldText.add("join", "\"sum\"", into: &out)
            if activation != .none { FieldText.add("activation", "\"\(activation.rawValue)\"", into: &out) }
        case .split(let sizes):
            FieldText.add("join", "\"split\"", into: &out)
            FieldText.add("sizes", "[" + sizes.map(String.init).joined(separator: ", ") + "]", into: &out)
        }
    }

    /// `, "scale": 0.17` on a branch whose scale is not 1.
    static func encodeBranchFields(_ branch: Branch, into out: inout String) {
        if branch.scale != 1 { out += "\"scale\": \(JSONValue.numberText(branch.scale)), " }
    }

    /// `inception (4 branches)`, `residual ×0.17 → relu` (the scales that are not 1), `split 672/96/96/96`.
    static func label(_ block: Block, ascii: Bool) -> String {
        let n = block.branches.count
        switch block.join {
        case .concat:
            return "inception (\(n) branch\(n == 1 ? "" : "es"))"
        case .sum(let activation):
            var s = "residual"
            let scales = block.branches.map(\.scale).filter { $0 != 1 }
            for scale in scales { s += " \(ascii ? "x" : "×")\(JSONValue.numberText(scale))" }
            if activation != .none { s += " \(ascii ? "->" : "→") \(activation.rawValue)" }
            return s
        case .split(let sizes):
            return "split " + sizes.map(String.init).joined(separator: "/")
        }
    }

    /// `4 branches`, `residual`, `split of 4`: the concat's branches counted in words, since "block
    /// ×4" read as a block repeated 4 times (issue 24); a sum says what it is, as its long label
    /// begins ("sum of 2" read oddly on every Xception block), its scales and activation only in
    /// the long label, as a split's sizes.
    static func shortLabel(_ block: Block, ascii: Bool) -> String {
        let n = block.branches.count
        switch block.join {
        case .concat: return "\(n) branch\(n == 1 ? "" : "es")"
        case .sum: return "residual"
        case .split: return "split of \(n)"
        }
    }

    /// The block's output from its branches' (all known): the join's shape rule. Each branch that
    /// disagrees with the first is a problem naming both (`mismatched` gets its index); the output
    /// is still given (from the first branch's grid) so analysis goes on downstream. Throws only
    /// when no output can be given.
    static func combine(
        _ join: Join, _ ends: [(name: String, shape: Shape)],
        problem: (_ branch: Int, _ message: String) -> Void
    ) throws(RuleError) -> Shape {
        let first = ends[0]
        switch join {
        case .concat, .split:
            var channels = 0
            for (i, end) in ends.enumerated() {
                let s = end.shape, f = first.shape
                if (s.height, s.width) != (f.height, f.width) {
                    problem(
                        i,
                        "branch \"\(end.name)\" outputs \(s.height)x\(s.width) but branch \"\(first.name)\" outputs \(f.height)x\(f.width)"
                    )
                }
                // Sixteen branches of 2^24 channels each are a valid file: sum checked.
                let (sum, overflow) = channels.addingReportingOverflow(s.channels)
                if overflow { throw .message("the branches' channels together overflow 64-bit integers") }
                channels = sum
            }
            return Shape(channels, first.shape.height, first.shape.width)
        case .sum:
            for (i, end) in ends.enumerated() where end.shape != first.shape {
                problem(
                    i,
                    "sum: branch \"\(end.name)\" outputs \(end.shape) but branch \"\(first.name)\" outputs \(first.shape) (summed branches must agree)"
                )
            }
            return first.shape
        }
    }
}

extension BlockRules {
    /// Each branch's input: the block's input for concat and sum; for a split, its slice of the
    /// input's channels. A split whose sizes do not cut the input's channels (or whose count is not
    /// the branches') is the block's problem: the message says which numbers disagree.
    static func branchInputs(_ block: Block, input: Shape) throws(RuleError) -> [Shape] {
        guard case .split(let sizes) = block.join else {
            return Array(repeating: input, count: block.branches.count)
        }
        let text = sizes.map(String.init).joined(separator: "/")
        guard sizes.count == block.branches.count else {
            throw .message(
                "split \(text): \(sizes.count) size\(sizes.count == 1 ? "" : "s") for \(block.branches.count) branch\(block.branches.count == 1 ? "" : "es") (one slice per branch)"
            )
        }
        guard let total = Checked.sum(sizes), sizes.allSatisfy({ $0 >= 1 }), total == input.channels else {
            let said = Checked.sum(sizes).map { NumberFormat.grouped($0) } ?? "over 64 bits"
            throw .message(
                "split \(text): the sizes add up to \(said) channels but the input has \(NumberFormat.grouped(input.channels))"
            )
        }
        return sizes.map { Shape($0, input.height, input.width) }
    }
}

extension LayoutDecoder {
    /// A block object: its join (default concat), the join's own keys, and its branches.
    mutating func block(_ object: JSONObject) throws(LayoutError) -> Block {
        var join = Join.concat
        if let value = object["join"] {
            guard case .string(let text) = value, let kind = Join.Kind(rawValue: text) else {
                let names = Join.Kind.allCases.map { JSONValue.quoted($0.rawValue) }
                let all = names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
                throw fail(at: "join", "expected \(all), got \(value.brief)")
            }
            switch kind {
            case .concat: join = .concat
            case .sum: join = .sum(activation: try activation(object, default: .none))
            case .split: join = .split(sizes: try splitSizes(object))
            }
        }
        if join.kind != .sum, object["activation"] != nil {
            throw fail(
                at: "activation", "only a \"sum\" join takes an activation (a concat's branches end in their own)")
        }
        if join.kind != .split, object["sizes"] != nil {
            throw fail(
                at: "sizes", "only a \"split\" join takes sizes (the other joins give every branch the whole input)")
        }
        if case .split(let sizes) = join, case .array(let items)? = object["branches"], items.count != sizes.count {
            throw fail(
                at: "sizes",
                "\(sizes.count) size\(sizes.count == 1 ? "" : "s") for \(items.count) branch\(items.count == 1 ? "" : "es") (one slice per branch)"
            )
        }
        return Block(branches: try branchList(object, join: join), join: join)
    }

    /// A split's `"sizes"`: one positive channel count per branch, in order. That they sum to the
    /// input's channels is the analysis's rule (the decoder does not know the input).
    func splitSizes(_ object: JSONObject) throws(LayoutError) -> [Int] {
        guard let value = object["sizes"] else { throw fail("missing key \"sizes\" (a split's channels per branch)") }
        guard case .array(let items) = value, !items.isEmpty else {
            throw fail(at: "sizes", "expected an array of positive channel counts, one per branch, got \(value.brief)")
        }
        var sizes: [Int] = []
        for item in items {
            guard case .int(let n) = item, n >= 1 else {
                throw fail(at: "sizes", "expected positive channel counts, got \(item.brief)")
            }
            if n > LayoutDecoder.sizeLimit {
                throw fail(at: "sizes", "\(n) is too large (at most \(LayoutDecoder.sizeLimit))")
            }
            sizes.append(n)
        }
        return sizes
    }

    mutating func branchList(_ parent: JSONObject, join: Join) throws(LayoutError) -> [Branch] {
        guard let value = parent["branches"] else { throw fail("missing key \"branches\"") }
        path.append(.key("branches"))
        defer { path.removeLast() }
        guard case .array(let items) = value else { throw fail("expected an array of branches, got \(value.brief)") }
        if items.isEmpty { throw fail("an inception block needs at least one branch") }
        var branches: [Branch] = []
        var names: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            path.append(.index(i))
            defer { path.removeLast() }
            guard case .object(let members) = item else {
                throw fail("expected a branch object { \"name\": …, \"layers\": [ … ] }, got \(item.brief)")
            }
            let object = JSONObject(members)
            try rejectUnknownKeys(object, allowed: BlockRules.branchKeys, owner: "in a branch")
            let name = try nodeName(object)
            try checkUnique(name, index: i, seen: &names)
            var scale = 1.0
            if object["scale"] != nil {
                guard join.allowsScale else {
                    throw fail(at: "scale", "only a branch of a \"sum\" join takes a scale")
                }
                scale = try number(object, "scale", default: 1)
            }
            let layers = try layerList(object, "layers", minimum: join.allowsEmptyBranch ? 0 : 1, owner: "a branch")
            branches.append(Branch(name: name, scale: scale, layers: layers))
        }
        return branches
    }
}
