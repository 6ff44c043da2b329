/// One key binding as data (lazygit): the keys, the action, and the words shown for it. The same
/// value drives dispatch, the status-bar hint and the help overlay, so they cannot disagree.
public struct KeyBinding<Action> {
    /// Keys that trigger the action; the first is the one shown in hints.
    public var keys: [Key]
    public var action: Action
    /// The help overlay's description ("expand or collapse the selected layer").
    public var help: String
    /// The help overlay's section ("Navigation", "Editing").
    public var group: String
    /// The status-bar hint ("expand"); empty keeps the binding out of the status bar.
    public var label: String
    /// A pinned hint stays in the status bar however narrow it is (`? help`, `q quit`): the
    /// other hints make room for it.
    public var pinned: Bool

    public init(
        _ keys: [Key], _ action: Action, help: String, group: String = "General", label: String = "",
        pinned: Bool = false
    ) {
        self.keys = keys
        self.action = action
        self.help = help
        self.group = group
        self.label = label
        self.pinned = pinned
    }
}

extension KeyBinding: Sendable where Action: Sendable {}

/// A key and its short label, as shown in the status bar: "q quit".
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var label: String
    /// Kept when the bar is short of room (see `KeyBinding.pinned`).
    public var pinned: Bool

    public init(key: String, label: String, pinned: Bool = false) {
        self.key = key
        self.label = label
        self.pinned = pinned
    }
}

/// An ordered list of bindings for one mode of the app. The first binding that lists a key wins.
public struct KeyTable<Action> {
    public var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) {
        self.bindings = bindings
    }

    /// The action bound to `key`, or nil when the key is not bound in this table.
    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// Status-bar hints, in table order, for bindings with a label.
    public func hints(ascii: Bool = false) -> [KeyHint] {
        bindings.compactMap { b in
            guard !b.label.isEmpty, let k = b.keys.first else { return nil }
            return KeyHint(key: k.label(ascii: ascii), label: b.label, pinned: b.pinned)
        }
    }

    /// The help overlay's text: one heading per group (in first-appearance order), then one line
    /// per binding: its keys, padded to a common column, and its help text.
    public func helpLines(ascii: Bool = false) -> [String] {
        var groups: [String] = []
        for b in bindings where !groups.contains(b.group) { groups.append(b.group) }
        let keyText = bindings.map { $0.keys.map { $0.label(ascii: ascii) }.joined(separator: " ") }
        let column = keyText.map { TextWidth.of($0) }.max() ?? 0
        var lines: [String] = []
        for (gi, g) in groups.enumerated() {
            if gi > 0 { lines.append("") }
            lines.append(g)
            for (i, b) in bindings.enumerated() where b.group == g {
                let pad = String(repeating: " ", count: column - TextWidth.of(keyText[i]))
                lines.append("  " + keyText[i] + pad + "  " + b.help)
            }
        }
        return lines
    }

    /// Keys listed by more than one binding (all but the first are unreachable): a table test
    /// should assert this is empty.
    public var shadowedKeys: [Key] {
        var seen: [Key] = []
        var dupes: [Key] = []
        for b in bindings {
            for k in b.keys {
                if seen.contains(k) { if !dupes.contains(k) { dupes.append(k) } } else { seen.append(k) }
            }
        }
        return dupes
    }
}

extension KeyTable: Sendable where Action: Sendable {}
