/// Renaming a layer or branch: the one rule every caller asks (the explorer's F2 today), so a
/// renamed layout always saves and loads again and every caller refuses the same names.
///
/// A new name must pass the format's own rule (`NodeNameRule`: non-empty, within the byte limit, no
/// "/", no control or bidi characters, not all digits), hold no white space (node paths are typed at
/// prompts and on command lines), differ from the current name and be free among its siblings.
public enum RenameRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The format refuses the name; its reason as the decoder says it.
    case invalidName(String)
    /// The name holds white space.
    case whiteSpace(name: String)
    /// The node already has this name (nothing to do; not an error to show in red).
    case unchanged(name: String)
    /// A sibling already has this name.
    case taken(name: String)
    /// The address names no layer or branch (the network itself is named in the file).
    case noNode

    public var description: String {
        switch self {
        case .invalidName(let reason): reason
        case .whiteSpace(let name): "a name must not contain spaces, got \(JSONValue.quoted(name))"
        case .unchanged(let name): "already named \(name)"
        case .taken(let name): "\(name) is already taken beside it"
        case .noNode: "nothing to rename there"
        }
    }
}

extension Layout {
    /// Why the layer or branch at `address` cannot be called `name`, or nil when it can.
    public func renameRefusal(at address: NodeAddress, to name: String) -> RenameRefusal? {
        guard !address.isRoot, let node = node(at: address) else { return .noNode }
        if let problem = NodeNameRule.problem(with: name) { return .invalidName(problem) }
        guard name.allSatisfy({ !$0.isWhitespace }) else { return .whiteSpace(name: name) }
        guard node.name != name else { return .unchanged(name: name) }
        if let parent = address.parent,
            let siblings = self.node(at: parent)?.children ?? (parent.isRoot ? layers.map(Node.layer) : nil),
            siblings.contains(where: { $0.name == name })
        {
            return .taken(name: name)
        }
        return nil
    }

    /// Sets the name of the layer or branch at `address` after `renameRefusal` found nothing to
    /// refuse; the layout is unchanged when it throws. Names are display and path only: counts do
    /// not change.
    public mutating func rename(at address: NodeAddress, to name: String) throws(RenameRefusal) {
        if let refusal = renameRefusal(at: address, to: name) { throw refusal }
        modify(at: address) { node in
            switch node {
            case .layer(var l): l.name = name; node = .layer(l)
            case .branch(var b): b.name = name; node = .branch(b)
            }
        }
    }
}
