/// The algorithm a conv layer ran, as timings and reports name it: the engine's `ConvAlgorithm`
/// seen from the core (the runtime converts one into the other), so the explorer and the CLI's
/// reports compare cases, not strings such as `"direct"`.
public enum ConvMethod: Hashable, Sendable, CustomStringConvertible {
    case direct
    /// Winograd F(m, r): `tile` (m) outputs per `taps`-tap (r) kernel along each axis with more
    /// than one tap.
    case winograd(tile: Int, taps: Int)

    /// "direct", "winograd F(4,3)": the name reports, JSON and the algorithm cache use.
    public var description: String {
        switch self {
        case .direct: "direct"
        case .winograd(let m, let r): "winograd F(\(m),\(r))"
        }
    }

    /// "direct", "F(4,3)": the name beside an op's kind ("conv F(4,3)" in `bench --profile`).
    public var shortName: String {
        switch self {
        case .direct: "direct"
        case .winograd(let m, let r): "F(\(m),\(r))"
        }
    }

    public var isWinograd: Bool { if case .winograd = self { true } else { false } }
}
