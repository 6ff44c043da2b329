/// The figure on a box's second line (one key cycles it in the explorer; `--figure` in export):
/// params, MACs, output shape, share of the block's MACs, measured time. The heat colour follows
/// the same figure.
public enum FigureMetric: String, Equatable, Sendable, CaseIterable {
    case params, macs, shape, share, time

    /// The next in the cycle; `time` only when a timing is there to show.
    public func next(hasTime: Bool) -> FigureMetric {
        let all = Self.allCases.filter { $0 != .time || hasTime }
        let i = all.firstIndex(of: self) ?? -1
        return all[(i + 1) % all.count]
    }

    /// What the legend calls it.
    public var title: String {
        switch self {
        case .params: "params"
        case .macs: "MACs"
        case .shape: "output shape"
        case .share: "share of the block's MACs"
        case .time: "measured time (r)"
        }
    }

    /// The figure as text, humanized to fit a box: "12.3K", "1.58G", "64x28x28", "7.6%", "0.21 ms";
    /// "-" where there is none (no timing, no share in a network column).
    public func text(_ s: FigureStats) -> String {
        switch self {
        case .params: return NumberFormat.humanized(s.params)
        case .macs: return NumberFormat.humanized(s.macs)
        case .shape: return s.output?.description ?? "?"
        case .share: return s.share.map(NumberFormat.percent) ?? "-"
        case .time: return s.timeMs.map(NumberFormat.milliseconds) ?? "-"
        }
    }

    /// The value the heat colour scales (nil: no heat for this figure, or none on this box).
    public func value(_ s: FigureStats) -> Double? {
        switch self {
        case .params: Double(s.params)
        case .macs: Double(s.macs)
        case .shape: nil
        case .share: s.share
        case .time: s.timeMs
        }
    }

    /// The heat of `value` against the largest in the figure: 0 (cool) ... 3 (hot), by quarters;
    /// nil without a value or a positive maximum.
    public static func heat(_ value: Double?, max: Double) -> Int? {
        guard let value, max > 0, value.isFinite else { return nil }
        return Swift.min(3, Swift.max(0, Int(value / max * 4)))
    }

    /// The delta a changed box shows beside its figure: params for `params`, MACs otherwise.
    public func delta(_ mark: FigureMark) -> String? {
        guard case .changed(let p, let m) = mark else { return nil }
        let d = self == .params ? p : m
        guard d != 0 else { return nil }
        return (d > 0 ? "+" : "-") + NumberFormat.humanized(abs(d))
    }
}

extension FigureText {
    /// The paper's texts: a layer's op ("1x1 conv 64", or the short form "1x1 64") over its
    /// figure; a branch's name; a block's name; the join ("Filter concatenation" and the output
    /// shape); the input ("Previous layer" and its shape). A changed box adds its delta, an added
    /// one "+", a removed one "-" before the label.
    /// - Parameter lines: 2 puts the figure on a line of its own; 1 keeps one line per box, the
    ///   figure after the label (for panes too short for two).
    public static func standard(
        metric: FigureMetric, short: Bool, ascii: Bool, lines: Int = 2,
        measure: @escaping @Sendable (String) -> Int
    ) -> FigureText {
        @Sendable func figure(_ s: FigureStats?, _ mark: FigureMark) -> String {
            guard let s else { return "" }
            if mark == .removed { return "removed" }
            let t = metric.text(s)
            return metric.delta(mark).map { "\(t) (\($0))" } ?? t
        }
        @Sendable func marked(_ label: String, _ mark: FigureMark) -> String {
            switch mark {
            case .same: label
            case .changed: "~ " + label
            case .added: "+ " + label
            case .removed: (ascii ? "- " : "− ") + label
            }
        }
        @Sendable func two(_ a: String, _ b: String) -> [String] {
            lines >= 2 ? [a, b] : (b.isEmpty ? [a] : [a + "  " + b])
        }
        return FigureText(
            box: { b in two(marked(short ? b.shortLabel : b.label, b.mark), figure(b.stats, b.mark)) },
            branch: { b in two(marked(b.name, b.mark), figure(b.stats, b.mark)) },
            block: { b in two(marked(b.name, b.mark), figure(b.stats, b.mark)) },
            join: { b, nested in
                let label = b.join.label(short: nested || short, ascii: ascii)
                return ["\(label) \(b.stats.output?.description ?? "?")"]
            },
            input: { title, shape in
                [title + " " + (shape?.description ?? "?")]
            },
            inputTitle: short ? "input" : "Previous layer",
            measure: measure)
    }
}
