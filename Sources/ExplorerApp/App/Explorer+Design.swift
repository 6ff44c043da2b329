import InceptionCore
import TerminalUI

/// The design moves of the notes as keys: factorize (f), reduction toggle (x), kernel (K), add /
/// delete branch (a / d), duplicate block (c). Each is one undoable edit, refused with a one-line
/// reason when it does not apply, and reported with its exact delta.
extension Explorer {
    /// Applies a throwing design move to a copy; records it on success, reports the reason otherwise.
    /// Returns the move's result so callers can move the selection.
    @discardableResult
    func applyDesign<T>(_ move: (inout InceptionCore.Layout) throws(DesignError) -> T, label: (T) -> String) -> T? {
        var next = state.layout
        do {
            let result = try move(&next)
            let before = state.analysis, beforeLayout = state.layout
            state.history.push(next, label: label(result))
            state.refresh(previous: before)
            describeChange(label(result), before: before, beforeLayout: beforeLayout)
            return result
        } catch {
            state.message = .error(error.description)
            return nil
        }
    }

    func conv(at address: NodeAddress) -> Conv? {
        if case .conv(let c)? = state.layout.layer(at: address)?.op { return c }
        return nil
    }

    /// `f`: asks for the intermediate width; the default is the one the large-kernel lint measures
    /// (`Layout.proposedIntermediate`: min(in, out)), so accepting it does what the lint says.
    func promptFactorize() {
        guard let c = conv(at: state.selection) else {
            state.message = .error("select a conv to factorize")
            return
        }
        let mid = state.layout.proposedIntermediate(at: state.selection, analysis: state.analysis) ?? c.out
        // Refused before the question: a conv that cannot be factorized (stride 2, 1x1) says why
        // at once instead of after a width was typed.
        var probe = state.layout
        do {
            _ = try probe.factorize(at: state.selection, intermediate: mid)
        } catch {
            state.message = .error(error.description)
            return
        }
        state.mode = .prompt(.factorize(target: state.selection), PromptState(text: String(mid)))
    }

    func factorize(_ text: String, target: NodeAddress) {
        guard let width = Int(text), width >= 1, width <= LayoutLimits.maxChannels else {
            state.message = .error("intermediate width must be a positive integer, got \"\(text)\"; nothing changed")
            return
        }
        applyDesign(
            { (l: inout InceptionCore.Layout) throws(DesignError) in try l.factorize(at: target, intermediate: width) },
            label: { $0 })
    }

    /// `x`: removing a reduction needs no question; inserting one asks for its width (default a
    /// quarter of the input channels, as the move itself proposes).
    func toggleReduction() {
        guard refuseRoot("toggle a 1x1 reduction: select a branch or its big conv") else { return }
        var probe = state.layout
        do {
            _ = try probe.toggleReduction(at: state.selection)
        } catch {
            state.message = .error(error.description)
            return
        }
        if probe.allNodes().count < state.layout.allNodes().count {
            let target = state.selection
            applyDesign(
                { (l: inout InceptionCore.Layout) throws(DesignError) in try l.toggleReduction(at: target) },
                label: { $0 })
        } else {
            // The move's own default (a quarter of the spatial conv's input channels).
            let proposed = state.layout.proposedReductionWidth(at: state.selection)
            state.mode = .prompt(
                .reduction(target: state.selection), PromptState(text: proposed.map(String.init) ?? ""))
        }
    }

    func insertReduction(_ text: String, target: NodeAddress) {
        guard let width = Int(text), width >= 1, width <= LayoutLimits.maxChannels else {
            state.message = .error("reduction width must be a positive integer, got \"\(text)\"; nothing changed")
            return
        }
        applyDesign(
            { (l: inout InceptionCore.Layout) throws(DesignError) in try l.toggleReduction(at: target, width: width) },
            label: { $0 })
    }

    /// `K`: asks for the kernel: 1, 3, 5, 7, or 1xN / Nx1.
    func promptKernel() {
        guard let c = conv(at: state.selection) else {
            state.message = .error("select a conv to change its kernel")
            return
        }
        state.mode = .prompt(
            .kernel(target: state.selection),
            PromptState(text: c.kernel.isSquare ? String(c.kernel.h) : c.kernel.description))
    }

    /// The largest kernel side `K` sets (GoogLeNet's largest is 7; Inception-v3's 1x7 / 7x1).
    static let maxKernel = 64

    func changeKernel(_ text: String, target: NodeAddress) {
        // Empty sides stay in ("x3", "3x" are not kernels): Int("") is nil.
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        let kernel: Pair?
        switch parts.count {
        case 1: kernel = parts[0].map { Pair(square: $0) }
        case 2: kernel = parts[0].flatMap { h in parts[1].map { Pair(h, $0) } }
        default: kernel = nil
        }
        guard let kernel, kernel.h >= 1, kernel.w >= 1 else {
            state.message = .error("kernel must be like 3, 5, 1x7 or 7x1, got \"\(text)\"; nothing changed")
            return
        }
        // Larger kernels are allowed by the format (edit the file) but not a design move here.
        guard kernel.h <= Self.maxKernel, kernel.w <= Self.maxKernel else {
            state.message = .error(
                "kernel \(text) is above the explorer's limit of \(Self.maxKernel) per side; nothing changed")
            return
        }
        applyDesign(
            { (l: inout InceptionCore.Layout) throws(DesignError) in try l.setKernel(at: target, to: kernel) },
            label: { $0 })
    }

    /// On the network row a block move has nothing to act on: say what to select (rather than the
    /// core's "no node at @").
    func refuseRoot(_ what: String) -> Bool {
        guard state.selection.isRoot else { return true }
        state.message = .error("the network row: cannot \(what)")
        return false
    }

    func addBranch() {
        guard refuseRoot("add a branch: select an inception block or one of its branches") else { return }
        let target = state.selection
        if let result = applyDesign(
            { (l: inout InceptionCore.Layout) throws(DesignError) in try l.addBranch(to: target) },
            label: { $0.label })
        {
            state.tree.reveal(result.address)
            state.selection = result.address
        }
    }

    func deleteBranch() {
        guard refuseRoot("delete a branch: select the branch") else { return }
        let target = state.selection
        applyDesign(
            { (l: inout InceptionCore.Layout) throws(DesignError) in try l.deleteBranch(at: target) }, label: { $0 })
    }

    func duplicateBlock() {
        guard refuseRoot("duplicate it: select an inception block") else { return }
        let target = state.selection
        if let result = applyDesign(
            { (l: inout InceptionCore.Layout) throws(DesignError) in try l.duplicateBlock(at: target) },
            label: { $0.label })
        {
            state.selection = result.address
        }
    }
}

extension Explorer {
    /// F2: asks for a new name of the selected node (its path and everything below it change).
    func promptRename() {
        guard refuseRoot("rename the network here (the name is in the file)") else { return }
        let current = state.layout.node(at: state.selection)?.name ?? ""
        state.mode = .prompt(.rename(target: state.selection), PromptState(text: current))
    }

    /// Enter at the rename prompt: the core's rename rule (`Layout.renameRefusal`) decides, so
    /// a renamed layout always saves and loads again.
    func rename(_ target: NodeAddress, to name: String) {
        switch state.layout.renameRefusal(at: target, to: name) {
        case .noNode?: return
        case .unchanged?: state.message = StatusMessage("already named \(name)", role: .dim); return
        case let refusal?: state.message = .error("\(refusal); nothing changed"); return
        case nil: break
        }
        let old = state.layout.path(of: target) ?? "?"
        let before = state.analysis, beforeLayout = state.layout
        state.history.apply("rename \(old) -> \(name)") { try? $0.rename(at: target, to: name) }
        state.refresh(previous: before)
        describeChange("renamed \(old) -> \(name)", before: before, beforeLayout: beforeLayout)
    }
}
