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
            state.refresh()
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

    /// `f`: asks for the intermediate width (default: the conv's output width).
    func promptFactorize() {
        guard let c = conv(at: state.selection) else {
            state.message = .error("select a conv to factorize")
            return
        }
        state.mode = .prompt(.factorize(target: state.selection), PromptState(text: String(c.out)))
    }

    func factorize(_ text: String, target: NodeAddress) {
        guard let width = Int(text), width >= 1, width <= 1 << 20 else {
            state.message = .error("intermediate width must be a positive integer, got \"\(text)\"; nothing changed")
            return
        }
        applyDesign({ (l: inout InceptionCore.Layout) throws(DesignError) in try l.factorize(at: target, intermediate: width) },
                    label: { $0 })
    }

    /// `x`: removing a reduction needs no question; inserting one asks for its width (default a
    /// quarter of the input channels, as the move itself proposes).
    func toggleReduction() {
        var probe = state.layout
        do {
            _ = try probe.toggleReduction(at: state.selection)
        } catch {
            state.message = .error(error.description)
            return
        }
        if probe.allNodes().count < state.layout.allNodes().count {
            let target = state.selection
            applyDesign({ (l: inout InceptionCore.Layout) throws(DesignError) in try l.toggleReduction(at: target) }, label: { $0 })
        } else {
            // The move's own default: a quarter of the input channels.
            let channels = state.analysis.stats(at: state.selection)?.input?.channels ?? 128
            state.mode = .prompt(.reduction(target: state.selection), PromptState(text: String(max(1, channels / 4))))
        }
    }

    func insertReduction(_ text: String, target: NodeAddress) {
        guard let width = Int(text), width >= 1, width <= 1 << 20 else {
            state.message = .error("reduction width must be a positive integer, got \"\(text)\"; nothing changed")
            return
        }
        applyDesign({ (l: inout InceptionCore.Layout) throws(DesignError) in try l.toggleReduction(at: target, width: width) },
                    label: { $0 })
    }

    /// `K`: asks for the kernel: 1, 3, 5, 7, or 1xN / Nx1.
    func promptKernel() {
        guard let c = conv(at: state.selection) else {
            state.message = .error("select a conv to change its kernel")
            return
        }
        state.mode = .prompt(.kernel(target: state.selection), PromptState(text: c.kernel.isSquare ? String(c.kernel.h) : c.kernel.description))
    }

    func changeKernel(_ text: String, target: NodeAddress) {
        let parts = text.lowercased().split(separator: "x").map { Int($0) }
        let kernel: Pair?
        switch parts.count {
        case 1: kernel = parts[0].map { Pair(square: $0) }
        case 2: kernel = parts[0].flatMap { h in parts[1].map { Pair(h, $0) } }
        default: kernel = nil
        }
        guard let kernel, kernel.h >= 1, kernel.w >= 1, kernel.h <= 64, kernel.w <= 64 else {
            state.message = .error("kernel must be like 3, 5, 1x7 or 7x1, got \"\(text)\"; nothing changed")
            return
        }
        applyDesign({ (l: inout InceptionCore.Layout) throws(DesignError) in try l.setKernel(at: target, to: kernel) }, label: { $0 })
    }

    func addBranch() {
        let target = state.selection
        if let result = applyDesign({ (l: inout InceptionCore.Layout) throws(DesignError) in try l.addBranch(to: target) },
                                    label: { $0.label }) {
            state.tree.reveal(result.address)
            state.selection = result.address
        }
    }

    func deleteBranch() {
        let target = state.selection
        applyDesign({ (l: inout InceptionCore.Layout) throws(DesignError) in try l.deleteBranch(at: target) }, label: { $0 })
    }

    func duplicateBlock() {
        let target = state.selection
        if let result = applyDesign({ (l: inout InceptionCore.Layout) throws(DesignError) in try l.duplicateBlock(at: target) },
                                    label: { $0.label }) {
            state.selection = result.address
        }
    }
}
