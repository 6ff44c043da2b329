/// Writes a `Layout` as canonical `inception-layout/1` text: one deterministic form, so files
/// diff cleanly and `encode(decode(encode(x))) == encode(x)` byte for byte.
///
/// The form (see docs/layout-format.md): 2-space indent per nesting level; top-level keys in the
/// order format, name, description (left out when nil), input, layers; a layer with no nested list
/// on one line, `{ "name": …, "op": …, fields }`, fields in spec order (each op's rules write
/// them, `LeafRules.encodeFields`) and left out when equal to the format's default; inception and aux layers open their list at the end of their line and
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
        out +=
            "  \"input\": { \"channels\": \(input.channels), \"height\": \(input.height), \"width\": \(input.width) },\n"
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
        if let leaf = layer.op.leaf {
            leaf.encodeFields(into: &out)
        } else if let block = layer.op.block {
            BlockRules.encodeFields(block, into: &out)
            out += ", \"branches\": "
            writeBranches(block.branches, indent: indent, into: &out)
        } else if let inner = layer.op.auxLayers {
            out += ", \"layers\": "
            writeLayers(inner, indent: indent, into: &out)
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
            BlockRules.encodeBranchFields(branch, into: &out)
            out += "\"layers\": "
            writeLayers(branch.layers, indent: indent + 2, into: &out)
            out += " }"
        }
        out += "\n" + String(repeating: " ", count: indent) + "]"
    }

    /// `3` for a square pair, `[1, 7]` otherwise.
    static func pairText(_ p: Pair) -> String { FieldText.pair(p) }
}
