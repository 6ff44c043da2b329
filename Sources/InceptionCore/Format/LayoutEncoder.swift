/// Writes a `Layout` as canonical `inception-layout/1` text: one deterministic form, so files
/// diff cleanly and `encode(decode(encode(x))) == encode(x)` byte for byte.
///
/// The form (see docs/layout-format.md): 2-space indent per nesting level; top-level keys in the
/// order format, name, description (left out when nil), input, layers; a layer with no nested list
/// on one line, `{ "name": …, "op": …, fields }`, fields in spec order and left out when equal to
/// the format's default; inception and aux layers open their list at the end of their line and
/// close it with `] }` at their own indent; list items separated by ",\n"; an empty list is `[]`;
/// the text ends with one "\n". A maxpool's `countPad` is not part of the format and is not written.
enum LayoutEncoder {
    static func encode(_ layout: Layout) -> String {
        var out = "{\n"
        out.reserveCapacity(4096)
        out += "  \"format\": \(JSONValue.quoted(Layout.formatTag)),\n"
        out += "  \"name\": \(JSONValue.quoted(layout.name)),\n"
        if let description = layout.description {
            out += "  \"description\": \(JSONValue.quoted(description)),\n"
        }
        let input = layout.input
        out += "  \"input\": { \"channels\": \(input.channels), \"height\": \(input.height), \"width\": \(input.width) },\n"
        out += "  \"layers\": "
        writeLayers(layout.layers, indent: 2, into: &out)
        out += "\n}\n"
        return out
    }

    /// A list of layers whose owner line is at `indent`: items at `indent + 2`, "]" back at `indent`.
    private static func writeLayers(_ layers: [Layer], indent: Int, into out: inout String) {
        guard !layers.isEmpty else { out += "[]"; return }
        out += "[\n"
        for (i, layer) in layers.enumerated() {
            if i > 0 { out += ",\n" }
            writeLayer(layer, indent: indent + 2, into: &out)
        }
        out += "\n" + String(repeating: " ", count: indent) + "]"
    }

    private static func writeLayer(_ layer: Layer, indent: Int, into out: inout String) {
        out += String(repeating: " ", count: indent) + "{ "
        if let name = layer.name { out += "\"name\": \(JSONValue.quoted(name)), " }
        out += "\"op\": \"\(layer.op.kind.rawValue)\""
        switch layer.op {
        case .conv(let c):
            field("out", String(c.out), into: &out)
            field("kernel", pairText(c.kernel), into: &out)
            if c.stride != Pair(1, 1) { field("stride", pairText(c.stride), into: &out) }
            switch c.pad {
            case .same: field("pad", "\"same\"", into: &out)
            case .explicit(let p): if p != Pair(0, 0) { field("pad", pairText(p), into: &out) }
            }
            if !c.bias { field("bias", "false", into: &out) }
            if c.batchnorm { field("batchnorm", "true", into: &out) }
            if c.activation != .relu { field("activation", "\"\(c.activation.rawValue)\"", into: &out) }
        case .maxpool(let p):
            writePool(p, average: false, into: &out)
        case .avgpool(let p):
            writePool(p, average: true, into: &out)
        case .globalavgpool, .softmax:
            break
        case .lrn(let l):
            let defaults = LRN()
            if l.size != defaults.size { field("size", String(l.size), into: &out) }
            if l.alpha != defaults.alpha { field("alpha", JSONValue.numberText(l.alpha), into: &out) }
            if l.beta != defaults.beta { field("beta", JSONValue.numberText(l.beta), into: &out) }
            if l.k != defaults.k { field("k", JSONValue.numberText(l.k), into: &out) }
        case .dropout(let rate):
            field("rate", JSONValue.numberText(rate), into: &out)
        case .linear(let l):
            field("out", String(l.out), into: &out)
            if !l.bias { field("bias", "false", into: &out) }
            if l.activation != .none { field("activation", "\"\(l.activation.rawValue)\"", into: &out) }
        case .inception(let branches):
            out += ", \"branches\": "
            writeBranches(branches, indent: indent, into: &out)
            out += " }"
            return
        case .aux(let layers):
            out += ", \"layers\": "
            writeLayers(layers, indent: indent, into: &out)
            out += " }"
            return
        }
        out += " }"
    }

    private static func writeBranches(_ branches: [Branch], indent: Int, into out: inout String) {
        guard !branches.isEmpty else { out += "[]"; return }
        out += "[\n"
        let pad = String(repeating: " ", count: indent + 2)
        for (i, branch) in branches.enumerated() {
            if i > 0 { out += ",\n" }
            out += pad + "{ "
            if let name = branch.name { out += "\"name\": \(JSONValue.quoted(name)), " }
            out += "\"layers\": "
            writeLayers(branch.layers, indent: indent + 2, into: &out)
            out += " }"
        }
        out += "\n" + String(repeating: " ", count: indent) + "]"
    }

    private static func writePool(_ p: Pool, average: Bool, into out: inout String) {
        field("kernel", pairText(p.kernel), into: &out)
        if p.stride != p.kernel { field("stride", pairText(p.stride), into: &out) }
        if p.pad != Pair(0, 0) { field("pad", pairText(p.pad), into: &out) }
        if p.ceil { field("ceil", "true", into: &out) }
        if average, !p.countPad { field("count_pad", "false", into: &out) }
    }

    private static func field(_ key: String, _ value: String, into out: inout String) {
        out += ", \"\(key)\": " + value
    }

    /// `3` for a square pair, `[1, 7]` otherwise.
    static func pairText(_ p: Pair) -> String {
        p.isSquare ? String(p.h) : "[\(p.h), \(p.w)]"
    }
}
