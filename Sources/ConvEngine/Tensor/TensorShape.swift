/// The logical shape of an activation: batch × channels × height × width (NCHW semantics).
///
/// The engine stores activations channel-blocked (see `Tensor`), but every shape at the API boundary
/// is the plain NCHW one a caller reasons about.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    public var n: Int
    public var c: Int
    public var h: Int
    public var w: Int

    public init(n: Int = 1, c: Int, h: Int, w: Int) {
        self.n = n
        self.c = c
        self.h = h
        self.w = w
    }

    /// Number of logical elements, n·c·h·w.
    public var count: Int { n * c * h * w }

    public var description: String { "\(n)x\(c)x\(h)x\(w)" }

    /// Throws unless every dimension is positive and the element count fits comfortably in memory.
    func validate(_ what: String) throws {
        guard n > 0, c > 0, h > 0, w > 0 else {
            throw EngineError.invalidShape("\(what): shape \(self) has a dimension ≤ 0")
        }
        guard let d = CheckedSize.product(n, c, h, w), d < 1 << 34 else {
            throw EngineError.invalidShape("\(what): shape \(self) is too large")
        }
    }
}

/// Errors from planning an op: one line saying which op and what is wrong.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    case invalidShape(String)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .invalidShape(let m), .invalidParameter(let m): m
        }
    }
}
