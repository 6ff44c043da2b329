/// Turns a parsed JSON document into a `Layout`, checking it against `inception-layout/1`.
///
/// Every problem is a `LayoutError(.schema, at: path, message)` where `path` is a JSON path such as
/// `layers[7].branches[2].layers[1].kernel`; a whole object's problems (a missing key) are reported
/// at the object's path, and the document root itself is `$`. Checks run in document order and stop
/// at the first problem. Within an object, "op" comes first (it decides which keys are allowed),
/// then unknown keys (so a typo reads "unknown key "kernal" … did you mean "kernel"" rather than
/// "missing key "kernel""), then the fields in spec order.
///
/// Only what one object shows is checked here (types, ranges, "same" padding, names). Whether the
/// shapes work out is the analysis's business.
struct LayoutDecoder {
    /// The largest size, channel or output count accepted (one limit for decoder and edits).
    static let sizeLimit = LayoutLimits.maxSize

    enum PathComponent {
        case key(String)
        case index(Int)
    }

    /// Where the decoder is; rendered only when an error is thrown.
    var path: [PathComponent] = []

    // MARK: Document

    mutating func layout(_ root: JSONValue) throws(LayoutError) -> Layout {
        guard case .object(let members) = root else {
            throw LayoutError(
                .schema, at: "$",
                "expected the document to be an object { \"format\": \"\(Layout.formatTag)\", … }, got \(root.brief)")
        }
        let object = JSONObject(members)
        guard let format = object["format"] else { throw fail("missing key \"format\"") }
        guard case .string(Layout.formatTag) = format else {
            throw fail(at: "format", "expected \(JSONValue.quoted(Layout.formatTag)), got \(format.brief)")
        }
        try rejectUnknownKeys(object, allowed: LayoutKeys.root, owner: "at the top level")
        let name = try string(object, "name")
        if let problem = NodeNameRule.layoutNameProblem(with: name) { throw fail(at: "name", problem) }
        let description = try object["description"] == nil ? nil : string(object, "description")
        let input = try inputShape(object)
        let layers = try layerList(object, "layers", minimum: 0, owner: "")
        return Layout(name: name, description: description, input: input, layers: layers)
    }

    private mutating func inputShape(_ parent: JSONObject) throws(LayoutError) -> Shape {
        guard let value = parent["input"] else { throw fail("missing key \"input\"") }
        path.append(.key("input"))
        defer { path.removeLast() }
        guard case .object(let members) = value else {
            throw fail("expected an object { \"channels\": C, \"height\": H, \"width\": W }, got \(value.brief)")
        }
        let object = JSONObject(members)
        try rejectUnknownKeys(object, allowed: LayoutKeys.input, owner: "in input")
        return Shape(
            channels: try positiveInt(object, "channels"),
            height: try positiveInt(object, "height"),
            width: try positiveInt(object, "width"))
    }

    // MARK: Layer lists and names

    /// Reads `parent[key]` as a list of layers with unique sibling names. `owner` ends the message
    /// for a too-short list ("an aux head needs at least one layer").
    mutating func layerList(
        _ parent: JSONObject, _ key: String, minimum: Int, owner: String
    ) throws(LayoutError) -> [Layer] {
        guard let value = parent[key] else { throw fail("missing key \(JSONValue.quoted(key))") }
        path.append(.key(key))
        defer { path.removeLast() }
        guard case .array(let items) = value else { throw fail("expected an array of layers, got \(value.brief)") }
        if items.count < minimum { throw fail("\(owner) needs at least one layer") }
        var layers: [Layer] = []
        layers.reserveCapacity(items.count)
        var names: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            path.append(.index(i))
            defer { path.removeLast() }
            let layer = try self.layer(item)
            try checkUnique(layer.name, index: i, seen: &names)
            layers.append(layer)
        }
        return layers
    }

    /// The optional "name" of a layer or branch, under `NodeNameRule` (the rule the explorer's
    /// rename applies too).
    func nodeName(_ object: JSONObject) throws(LayoutError) -> String? {
        guard object["name"] != nil else { return nil }
        let name = try string(object, "name")
        if let problem = NodeNameRule.problem(with: name) { throw fail(at: "name", problem) }
        return name
    }

    /// Records `name` for the item at `index` of the current list, or throws if a sibling has it.
    func checkUnique(_ name: String?, index: Int, seen: inout [String: Int]) throws(LayoutError) {
        guard let name else { return }
        if let first = seen[name] {
            let other = LayoutDecoder.render(path.dropLast() + [.index(first)])
            throw fail(at: "name", "duplicate name \(JSONValue.quoted(name)) (also \(other))")
        }
        seen[name] = index
    }

    // MARK: Keys and errors

    /// Throws at the first key not in `allowed`; the did-you-mean hint skips keys already present.
    func rejectUnknownKeys(_ object: JSONObject, allowed: [String], owner: String) throws(LayoutError) {
        for member in object.members where !allowed.contains(member.key) {
            throw fail(
                at: member.key,
                "unknown key \(JSONValue.quoted(member.key)) \(owner)\(LayoutKeys.hint(for: member.key, among: allowed.filter { object[$0] == nil }))"
            )
        }
    }

    /// An error at the current path, or at its child `key`.
    func fail(at key: String? = nil, _ message: String) -> LayoutError {
        LayoutError(.schema, at: LayoutDecoder.render(key.map { path + [.key($0)] } ?? path), message)
    }

    /// `layers[7].branches[2].kernel`; keys that are not identifiers are written `["a b"]`; the
    /// empty path is `$`.
    static func render<C: Collection>(_ components: C) -> String where C.Element == PathComponent {
        if components.isEmpty { return "$" }
        var out = ""
        for component in components {
            switch component {
            case .index(let i): out += "[\(i)]"
            case .key(let k):
                if isIdentifier(k) {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    out += "[\(JSONValue.quoted(k))]"
                }
            }
        }
        return out
    }

    private static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return s.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F
        }
    }
}

/// An object's members with lookup by key (objects here have a handful of keys, so a scan wins).
struct JSONObject {
    let members: [(key: String, value: JSONValue)]

    init(_ members: [(key: String, value: JSONValue)]) { self.members = members }

    subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }
}
