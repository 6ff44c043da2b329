/// Undo/redo over whole layout snapshots. Layouts are small value trees (Inception-v3 is ~300
/// nodes), so a snapshot per edit is simpler and safer than inverse operations, and "modified"
/// is just "the current snapshot is not the saved one".
public struct EditHistory: Sendable {
    public private(set) var states: [Layout]
    public private(set) var index = 0
    /// The snapshot that matches the file on disk; nil when none does (e.g. after undoing past a save).
    public private(set) var savedIndex: Int?
    /// A label per snapshot after the first ("width of inception_3a/1x1/0: 64 → 72").
    public private(set) var labels: [String] = [""]

    public init(_ layout: Layout) {
        states = [layout]
        savedIndex = 0
    }

    public var current: Layout { states[index] }
    /// The layout as loaded (the first snapshot).
    public var original: Layout { states[0] }
    public var isModified: Bool { savedIndex != index && current != savedLayout }
    public var canUndo: Bool { index > 0 }
    public var canRedo: Bool { index + 1 < states.count }
    private var savedLayout: Layout? { savedIndex.map { states[$0] } }

    /// Records `layout` as the next state, dropping any redo tail. No-op when nothing changed.
    public mutating func push(_ layout: Layout, label: String) {
        guard layout != current else { return }
        if canRedo {
            states.removeSubrange((index + 1)...)
            labels.removeSubrange((index + 1)...)
            if let s = savedIndex, s > index { savedIndex = nil }
        }
        states.append(layout)
        labels.append(label)
        index += 1
    }

    /// Applies `edit` to a copy of the current layout and records it when it changed something.
    @discardableResult
    public mutating func apply(_ label: String, _ edit: (inout Layout) -> Void) -> Bool {
        var next = current
        edit(&next)
        let changed = next != current
        push(next, label: label)
        return changed
    }

    /// Steps back; returns the label of the undone edit.
    @discardableResult
    public mutating func undo() -> String? {
        guard canUndo else { return nil }
        index -= 1
        return labels[index + 1]
    }

    /// Steps forward; returns the label of the redone edit.
    @discardableResult
    public mutating func redo() -> String? {
        guard canRedo else { return nil }
        index += 1
        return labels[index]
    }

    /// The current state now matches the file on disk.
    public mutating func markSaved() { savedIndex = index }
}
