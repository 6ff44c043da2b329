import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast, well-mixed 64-bit generator. Deterministic
/// across machines and runs, which is all the generated weights and inputs need.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for one named stream (a layer's node path, "input"): the seed mixed with the
    /// name's FNV-1a hash, so a layer's weights do not depend on which other layers are planned —
    /// timing a block alone uses the same weights as that block inside the whole network.
    public init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var mixer = SplitMix64(seed: seed ^ h)
        self.init(seed: mixer.next())
    }

    /// A uniform double in (0, 1]: 53 random bits, never 0 (Box–Muller takes its logarithm).
    package mutating func unitInterval() -> Double { Double((next() >> 11) + 1) * 0x1p-53 }

    /// `count` draws from N(0, std²), Box–Muller in pairs.
    public mutating func normals(_ count: Int, std: Double) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(count)
        while out.count < count {
            let r = (-2 * log(unitInterval())).squareRoot() * std
            let theta = 2 * Double.pi * unitInterval()
            out.append(Float(r * cos(theta)))
            if out.count < count { out.append(Float(r * sin(theta))) }
        }
        return out
    }
}
