/// Checked 64-bit arithmetic on sizes and counts: an overflow is a reported error, never a trap.
/// The one implementation for the core and the runtime (the engine, which knows nothing of the core,
/// has its own twin in `ConvEngine/Tensor/CheckedSize.swift`).
public enum Checked {
    /// a·b, nil on overflow.
    @inline(__always)
    public static func mul(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : r
    }

    /// a + b, nil on overflow.
    @inline(__always)
    public static func add(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? nil : r
    }

    /// The product of `xs` (1 for none), nil on overflow.
    public static func product<S: Sequence<Int>>(_ xs: S) -> Int? {
        var r = 1
        for x in xs {
            guard let p = mul(r, x) else { return nil }
            r = p
        }
        return r
    }

    public static func product(_ xs: Int...) -> Int? { product(xs) }

    /// The sum of `xs` (0 for none), nil on overflow.
    public static func sum<S: Sequence<Int>>(_ xs: S) -> Int? {
        var r = 0
        for x in xs {
            guard let s = add(r, x) else { return nil }
            r = s
        }
        return r
    }

    public static func sum(_ xs: Int...) -> Int? { sum(xs) }

    /// a·b, Int.max on overflow of non-negative sizes (for estimates that are then refused).
    public static func saturatingMul(_ a: Int, _ b: Int) -> Int { mul(a, b) ?? (((a < 0) != (b < 0)) ? .min : .max) }

    public static func saturatingAdd(_ a: Int, _ b: Int) -> Int { add(a, b) ?? (a < 0 ? .min : .max) }

    /// `x` as an Int when it is finite and in range (rounded toward zero), else nil. `Int(x)` traps
    /// on NaN, ±∞ and beyond ±9.2e18; every conversion of a computed Double goes through here.
    public static func int(_ x: Double) -> Int? {
        guard x.isFinite, x > -9.223372036854775e18, x < 9.223372036854775e18 else { return nil }
        return Int(x)
    }

    /// `x` as an Int, clamped to `range` (NaN gives the lower bound).
    public static func clampedInt(_ x: Double, _ range: ClosedRange<Int>) -> Int {
        guard !x.isNaN else { return range.lowerBound }
        if x <= Double(range.lowerBound) { return range.lowerBound }
        if x >= Double(range.upperBound) { return range.upperBound }
        return Int(x)
    }
}

/// The throwing forms the analysis uses.
struct Overflow: Error {}

@inline(__always)
func mul(_ a: Int, _ b: Int) throws(Overflow) -> Int {
    guard let r = Checked.mul(a, b) else { throw Overflow() }
    return r
}

@inline(__always)
func add(_ a: Int, _ b: Int) throws(Overflow) -> Int {
    guard let r = Checked.add(a, b) else { throw Overflow() }
    return r
}

func product(_ xs: Int...) throws(Overflow) -> Int {
    guard let r = Checked.product(xs) else { throw Overflow() }
    return r
}
