/// The one rule for a layer's or branch's name, shared by the decoder and every edit that names a
/// node (the explorer's rename), so a name the explorer accepts always loads again.
public enum NodeNameRule {
    /// Why `name` cannot name a node, as the decoder says it (without the location), or nil when
    /// it can: non-empty, no "/" (it separates node paths), no control or bidi-override characters
    /// (names are drawn in a terminal), not all digits (unnamed nodes are addressed by index).
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "name must not be empty (leave the key out for an unnamed node)" }
        if let tooLong = lengthProblem(with: name) { return tooLong }
        // Byte checks: `String.contains(String)` goes through Foundation (slow) when it is imported.
        if name.utf8.contains(UInt8(ascii: "/")) {
            return "name \(JSONValue.quoted(name)) must not contain \"/\" (it separates node paths)"
        }
        if hasControlCharacters(name) {
            return "name \(JSONValue.quoted(name)) must not contain control or bidi-override characters"
        }
        if name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return "name \(JSONValue.quoted(name)) must not be all digits (unnamed nodes are addressed by their index)"
        }
        return nil
    }

    /// Why `name` is too long (over `LayoutLimits.maxNameBytes` UTF-8 bytes), or nil; the message
    /// shows only the name's start, so it stays one short line.
    public static func lengthProblem(with name: String) -> String? {
        let bytes = name.utf8.count
        guard bytes > LayoutLimits.maxNameBytes else { return nil }
        return "name \(JSONValue.quoted(String(name.prefix(24))) + "…") is \(bytes) bytes, over the limit of "
            + "\(LayoutLimits.maxNameBytes) (names become file names)"
    }

    /// `text` without the scalars no name may hold (`isUnsafe`): how a name from elsewhere (an ONNX
    /// model's node scopes and its file name) becomes one the format accepts, instead of making the
    /// whole layout invalid.
    public static func cleaned(_ text: String) -> String {
        if !hasControlCharacters(text) { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isUnsafe($0) }))
    }

    /// Why `name` cannot name a layout (the document's top-level "name"), or nil: non-empty, within
    /// the byte limit, no control or bidi characters. Unlike a node's, it is no path part, so "/"
    /// and digits are allowed.
    public static func layoutNameProblem(with name: String) -> String? {
        if name.isEmpty { return "name must not be empty" }
        if let tooLong = lengthProblem(with: name) { return tooLong }
        if hasControlCharacters(name) {
            return "name \(JSONValue.quoted(name)) must not contain control or bidi-override characters"
        }
        return nil
    }

    /// C0 and C1 controls, DEL, and the bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE and kin), which
    /// would let a name rewrite how a terminal line reads. ASCII names take the byte path.
    public static func hasControlCharacters(_ name: String) -> Bool {
        if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return false }
        return name.unicodeScalars.contains(where: isUnsafe)
    }

    /// A C0 or C1 control, DEL, or a bidi control: what a name may not hold and what every message
    /// and file escapes (`JSONValue.quoted`, the .npy header quoting).
    public static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.properties.isBidiControl
    }
}
