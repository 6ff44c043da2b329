/// Python identifiers for the PyTorch export: node names made valid and unique within one scope.
///
/// A node name may be anything without "/" (`3x3`, `pool proj`, `for`); a module attribute must be a
/// Python identifier that does not shadow a member of `nn.Module` (an attribute named `forward` or
/// `training` would break the module). The rule, stated in every generated file:
/// characters outside `[A-Za-z0-9_]` become `_`; a name that starts with a digit or `_` gets a
/// prefix (`branch` for branches, `layer` for layers: `3x3` → `branch3x3`); a keyword or an
/// `nn.Module` member gets a trailing `_` (`eval` → `eval_`); a clash with an earlier sibling gets
/// `_2`, `_3`, ...
struct PythonScope {
    private(set) var used: Set<String>

    init(reserving names: [String] = []) { used = Set(names) }

    /// A valid identifier for `name`, unique in this scope, and recorded as used.
    mutating func identifier(for name: String, prefix: String) -> String {
        var base = String(
            name.map { ch -> Character in
                ch.isASCII && (ch.isLetter || ch.isNumber || ch == "_") ? ch : "_"
            })
        if base.isEmpty || base.first!.isNumber || base.first == "_" { base = prefix + base }
        if Self.reserved.contains(base) { base += "_" }
        var candidate = base
        var n = 2
        while used.contains(candidate) || Self.reserved.contains(candidate) {
            candidate = "\(base)_\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// Python 3 keywords, and the public members of `torch.nn.Module` (torch 2.x, `dir(nn.Module)`)
    /// plus its instance attribute `training`.
    static let reserved: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children",
        "compile", "cpu", "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward",
        "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "half", "ipu", "load_state_dict",
        "modules", "mtia", "named_buffers", "named_children", "named_modules", "named_parameters",
        "parameters", "register_backward_hook", "register_buffer", "register_forward_hook",
        "register_forward_pre_hook", "register_full_backward_hook", "register_full_backward_pre_hook",
        "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook", "register_module",
        "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook",
        "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty",
        "train", "training", "type", "xpu", "zero_grad",
    ]

    /// A CamelCase class name from a layout name (`Inception-v3` → `Inception_v3`).
    static func className(_ name: String) -> String {
        var s = String(
            name.map { ch -> Character in
                ch.isASCII && (ch.isLetter || ch.isNumber || ch == "_") ? ch : "_"
            })
        if s.isEmpty || s.first!.isNumber || s.first == "_" { s = "Net" + s }
        if reserved.contains(s) { s += "_" }
        return s
    }

    /// A Python string literal (double quotes, backslash escapes).
    static func literal(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 || ch.value == 0x7F {
                    out += "\\x" + String(repeating: "0", count: ch.value < 0x10 ? 1 : 0) + String(ch.value, radix: 16)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }

    /// Text safe inside a `"""docstring"""`: one line, backslashes and quotes escaped (so `"""`
    /// or a trailing `"` in a description cannot end the string early).
    static func docstring(_ s: String) -> String {
        comment(s).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// Text safe inside a `#` comment: one line, no control characters.
    static func comment(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
