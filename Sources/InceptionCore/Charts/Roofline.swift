/// One measured layer for the roofline: the work it does, the bytes it moves, the time it took.
public struct RooflineSample: Equatable, Sendable {
    public var path: String
    /// MACs (fvcore's count: conv and linear only); FLOPs = 2·MACs.
    public var macs: Int
    /// Bytes the layer must move (the runtime counts input + weights + output, float32).
    public var bytes: Int
    /// Median milliseconds of the layer run alone.
    public var ms: Double

    public init(path: String, macs: Int, bytes: Int, ms: Double) {
        self.path = path
        self.macs = macs
        self.bytes = bytes
        self.ms = ms
    }
}

/// Which roof caps a layer: left of the ridge point the memory roof (bandwidth × intensity) is the
/// lower one, right of it (and at it, where the two meet) the compute roof (the FMA peak).
public enum RooflineBound: String, Equatable, Sendable {
    case memory, compute
}

/// A sample placed under the roofline.
public struct RooflinePoint: Equatable, Sendable {
    public var sample: RooflineSample
    /// Arithmetic intensity in MACs per byte moved (the measure).
    public var macsPerByte: Double
    /// The same in FLOPs per byte (= 2 · MACs per byte), the x axis of the classic roofline.
    public var flopsPerByte: Double
    /// 2·MACs / time.
    public var achievedGFLOPS: Double
    /// The attainable rate at this intensity: min(peak, bandwidth × FLOPs per byte).
    public var roofGFLOPS: Double
    /// Achieved / roof × 100. Can pass 100 when a layer's data sits in cache (faster than DRAM).
    public var percentOfRoof: Double
    public var bound: RooflineBound
}

/// The roofline model of one machine (Williams, Waterman & Patterson, CACM 2009): a layer of
/// arithmetic intensity I FLOPs per byte can at best run at min(peak, bandwidth × I) GFLOP/s. The
/// ridge point peak / bandwidth is where the two roofs meet: layers below it are memory-bound, at or
/// above it compute-bound. Pure arithmetic on measured numbers; the runtime measures them.
///
/// Units: GFLOP/s = 10⁹ FLOP/s and GB/s = 10⁹ B/s, so GB/s × FLOP/B is GFLOP/s.
public struct Roofline: Equatable, Sendable {
    public let peakGFLOPS: Double
    public let bandwidthGBs: Double

    /// Nil unless both figures are positive and finite (a roofline of a zero roof says nothing).
    public init?(peakGFLOPS: Double, bandwidthGBs: Double) {
        guard peakGFLOPS.isFinite, bandwidthGBs.isFinite, peakGFLOPS > 0, bandwidthGBs > 0 else { return nil }
        self.peakGFLOPS = peakGFLOPS
        self.bandwidthGBs = bandwidthGBs
    }

    /// The ridge point in FLOPs per byte: peak / bandwidth.
    public var ridgeFLOPsPerByte: Double { peakGFLOPS / bandwidthGBs }
    /// The ridge point in MACs per byte (half the FLOPs figure).
    public var ridgeMACsPerByte: Double { ridgeFLOPsPerByte / 2 }

    /// The attainable GFLOP/s at `flopsPerByte`.
    public func roof(flopsPerByte: Double) -> Double {
        flopsPerByte.isFinite ? min(peakGFLOPS, bandwidthGBs * max(0, flopsPerByte)) : peakGFLOPS
    }

    /// Places `sample`. A sample that moves no bytes has infinite intensity (compute-bound, roof =
    /// peak); one with no time has no rate (0 GFLOP/s, 0% of its roof).
    public func point(_ sample: RooflineSample) -> RooflinePoint {
        let flops = 2 * Double(sample.macs)
        let bytes = Double(sample.bytes)
        let flopsPerByte = bytes > 0 ? flops / bytes : .infinity
        let achieved = sample.ms > 0 && sample.ms.isFinite ? flops / (sample.ms * 1e6) : 0
        let roof = roof(flopsPerByte: flopsPerByte)
        // Compared cross-multiplied (FLOPs × bandwidth against peak × bytes) rather than through two
        // quotients, so a sample exactly at the ridge is classified exactly.
        let bound: RooflineBound = flops * bandwidthGBs >= peakGFLOPS * bytes ? .compute : .memory
        return RooflinePoint(
            sample: sample, macsPerByte: flopsPerByte / 2, flopsPerByte: flopsPerByte,
            achievedGFLOPS: achieved, roofGFLOPS: roof,
            percentOfRoof: roof > 0 ? achieved / roof * 100 : 0, bound: bound)
    }

    /// Every sample placed, slowest first (ties by path, so the order is stable).
    public func points(_ samples: [RooflineSample]) -> [RooflinePoint] {
        samples.map(point).sorted { ($0.sample.ms, $1.sample.path) > ($1.sample.ms, $0.sample.path) }
    }
}
