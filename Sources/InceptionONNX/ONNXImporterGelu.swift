/// GELU as exporters write it: the `Gelu` operator (opset 20), or torch's opset-9..19 form of
/// `nn.GELU()`, five nodes that read x twice:
///
///     d = Div(x, √2); e = Erf(d); a = Add(e, 1); m = Mul(x, a); y = Mul(m, 0.5)
///
/// The chain maps to one `gelu` layer only when it is exactly this (either operand order of the
/// commutative Add and Muls, the constants scalars within float rounding of √2, 1 and 0.5); anything
/// else is refused, never guessed at: an Erf chain that computes something else must not run as
/// GELU. (An inner tensor read outside the chain is refused by the walk: its reader steps back to a
/// node of the chain, which then is converted twice.)
extension GraphWalker {
    /// The Erf chain whose last `Mul` writes `t`: its five nodes in forward order and its input x;
    /// nil when `t` is not written by such a chain. A chain with the right shape but a wrong
    /// constant, or one that divides another tensor than it multiplies, is an error at that node.
    func geluChain(_ t: String) throws(ONNXImportError) -> (nodes: [Int], x: String)? {
        func op(_ name: String, _ type: String) -> Int? {
            guard let p = graph.producer[name], graph.nodes[p].opType == type,
                graph.nodes[p].input.count == 2 || type == "Erf"
            else {
                return nil
            }
            return p
        }
        /// The node's one computed input and its one constant input, or nil.
        func split(_ n: Int) -> (data: String, constant: String)? {
            let inputs = graph.nodes[n].input
            guard inputs.count == 2 else { return nil }
            if graph.isWeight(inputs[1]), !graph.isWeight(inputs[0]) { return (inputs[0], inputs[1]) }
            if graph.isWeight(inputs[0]), !graph.isWeight(inputs[1]) { return (inputs[1], inputs[0]) }
            return nil
        }
        // y = Mul(m, 0.5) ← m = Mul(x, a) ← a = Add(e, 1) ← e = Erf(d) ← d = Div(x, √2).
        guard let half = op(t, "Mul"), let (m, halfConstant) = split(half),
            let mul = op(m, "Mul"), graph.dataInputs(mul).count == 2
        else { return nil }
        let ins = graph.nodes[mul].input
        let candidates = [(ins[0], ins[1]), (ins[1], ins[0])]
        guard
            let (x, add) = candidates.lazy.compactMap({ (x: String, a: String) -> (String, Int)? in
                op(a, "Add").map { (x, $0) }
            }).first, let (e, oneConstant) = split(add),
            let erf = op(e, "Erf"), graph.nodes[erf].input.count == 1,
            let div = op(graph.nodes[erf].input[0], "Div"), let (divData, rootConstant) = split(div),
            graph.nodes[div].input[0] == divData
        else { return nil }
        // From here on it is an Erf chain: it is GELU's or it is refused.
        guard divData == x else {
            throw graph.error(
                mul,
                "an Erf chain that multiplies \(FileText.quoted(x)), not the tensor it divides; only GELU's "
                    + "x·0.5·(1 + erf(x/√2)) maps")
        }
        for (node, constant, expected, what) in [
            (div, rootConstant, 2.0.squareRoot(), "√2"), (add, oneConstant, 1, "1"),
            (half, halfConstant, 0.5, "0.5"),
        ] {
            let v = try constantValue(constant, node: node)
            guard let v, abs(Double(v) - expected) <= 1e-6 * expected else {
                throw graph.error(
                    node,
                    "an Erf chain with \(v.map { "\($0)" } ?? "a non-scalar") where GELU's "
                        + "x·0.5·(1 + erf(x/√2)) has \(what); only GELU maps")
            }
        }
        return ([div, erf, add, mul, half], x)
    }

    /// A scalar constant's value; nil when it holds more than one value.
    private func constantValue(_ name: String, node: Int) throws(ONNXImportError) -> Float? {
        guard let t = graph.weight(name), t.dims.reduce(1, *) == 1 else { return nil }
        return try graph.scalar(name, node: node, what: "constant")
    }
}
