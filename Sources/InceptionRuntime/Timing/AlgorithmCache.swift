import ConvEngine
import Foundation

/// The per-layer algorithm choices of `auto` plans, cached beside the peak cache in
/// `$XDG_CACHE_HOME/inception-explorer/algorithms.json` (default `~/.cache/...`), keyed by CPU
/// model, thread count and the conv's full shape, so a plan times its candidates once per machine
/// and shape (the explorer's `r` then plans in milliseconds). A missing or unreadable cache is
/// simply re-measured; one that cannot be written is not an error. The accuracy check is never
/// cached: a cached Winograd choice is still checked against the direct conv at every plan.
public enum AlgorithmCache {
    /// `{"version": 7, "choices": {"AMD EPYC (family 25, model 17) / 2 threads / conv 3x3 ...": "winograd F(4,3)"}}`.
    struct File: Codable {
        var version: Int? = AlgorithmCache.version
        var choices: [String: String] = [:]
    }

    /// Bumped when the kernels or the way candidates are timed change, so older choices are
    /// re-measured: 2 = timed with cold caches (`AlgorithmChooser.evictCaches`); 3 = 1-D and 5×5
    /// transforms read the plane in place (1×n / n×1 Winograd 10–25% faster); 4 = timed with the
    /// input back in the caches, as inside a pass; 5 = F(4,7) is a candidate for 1×7 / 7×1 (a
    /// cached choice is not re-timed, so without the bump no cached shape would ever try it); 6 =
    /// Winograd GEMMs prefetch the next U_ξ (`WeightPrefetch`: cold Winograd convs up to 20% faster);
    /// 7 = keys name the CPU's family and model (`PeakCache.cpuModel`), so the entries keyed by the
    /// bare name, which another CPU generation may have written, are dropped.
    static let version = 7

    public static var fileURL: URL {
        PeakCache.fileURL.deletingLastPathComponent().appendingPathComponent("algorithms.json")
    }

    /// "AMD EPYC (family 25, model 17) / 2 threads / conv 3x3 s1x1 pad 1,1,1,1 relu 1x96x28x28 > 128";
    /// a debug build's choices (timed on a slower engine) are kept apart under a " / debug build"
    /// suffix, so they never decide for a release build. Everything that changes what the candidates
    /// do is in the key: groups (" g4" when more than one), the activation (" relu", " gelu"; none
    /// says nothing) and a fused residual sum (" +sum": the shortcut read in the epilogue, and the
    /// activation after it). A plain conv's key reads as it did before these were added, so the
    /// choices already cached stay valid.
    static func key(
        threads: Int, shape: TensorShape, outChannels: Int, kernelH: Int, kernelW: Int,
        params: ConvParams, groups: Int = 1, residual: Bool = false
    ) -> String {
        let p = params.pad
        let activation = params.activation == .none ? "" : " \(params.activation)"
        return "\(PeakCache.key(threads: threads)) / conv \(kernelH)x\(kernelW) s\(params.strideH)x\(params.strideW) "
            + "pad \(p.top),\(p.bottom),\(p.left),\(p.right)\(groups > 1 ? " g\(groups)" : "")\(residual ? " +sum" : "")"
            + "\(activation) \(shape) > \(outChannels)"
            + (isDebugBuild ? " / debug build" : "")
    }

    static func cached(_ key: String) -> ConvAlgorithm? {
        read()?.choices[key].flatMap(ConvAlgorithm.init)
    }

    static func store(_ algorithm: ConvAlgorithm, key: String) {
        var file = read() ?? File()
        file.choices[key] = algorithm.description
        write(file)
    }

    /// Writes `file` whole (atomically; a cache that cannot be written is not an error).
    static func write(_ file: File) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(file) else { return }
        try? FileManager.default.createDirectory(
            at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: fileURL, options: .atomic)
    }

    /// The cache file, nil when missing, unreadable or of another version.
    static func read() -> File? {
        let file = (try? Data(contentsOf: fileURL)).flatMap { try? JSONDecoder().decode(File.self, from: $0) }
        return file?.version == version ? file : nil
    }
}
