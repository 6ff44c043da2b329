import InceptionWeights

/// What the fuzz and mutation tests draw from the runtime's own `SplitMix64` (the generator of
/// seeded weights), so every test target uses that one generator instead of a copy of it.
extension SplitMix64 {
    /// A number in 0..<n (0 when n < 1).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

    /// A non-negative Int (the top 63 bits).
    public mutating func nextInt() -> Int { Int(truncatingIfNeeded: next() >> 1) }
}
