import ConvEngine
import InceptionCore

/// The engine's algorithm and the core's name for it, one for the other: the plan chooses among
/// `ConvAlgorithm`s, timings and reports carry `ConvMethod`s.
extension ConvMethod {
    public init(_ algorithm: ConvAlgorithm) {
        switch algorithm {
        case .direct: self = .direct
        case .winograd(let m, let r): self = .winograd(tile: m, taps: r)
        }
    }
}

extension ConvAlgorithm {
    public init(_ method: ConvMethod) {
        switch method {
        case .direct: self = .direct
        case .winograd(let m, let r): self = .winograd(tile: m, taps: r)
        }
    }
}
