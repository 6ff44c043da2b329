import ConvEngine
import Dispatch
import InceptionCore
import InceptionWeights

/// Which convolution algorithms a plan may use (`--algo`).
public enum AlgorithmPolicy: String, CaseIterable, Sendable {
    /// The direct conv everywhere.
    case direct
    /// Winograd wherever a tile size keeps the accuracy bound (the fastest such tile), else direct.
    case winograd
    /// Per layer, the fastest candidate that keeps the bound, timed on the real shape (cached).
    case auto
}

/// Picks each conv's algorithm at plan time, as FFTW's planner or cuDNN's benchmark mode do: every
/// candidate is planned on the real tensors, checked against the direct conv on a seeded input
/// (max |Δ| / max |y| ≤ `errorBound`, else it is not a candidate), and under `auto` the survivors
/// are timed in alternating rounds on the plan's thread count; the fastest wins and is cached
/// (`AlgorithmCache`). Runs only at plan time; it overwrites the tensors it uses (nothing has run yet).
final class AlgorithmChooser {
    /// Per-layer bound on a Winograd conv's error against the direct conv. The plan's bound is 1e-4
    /// against float64 at the network output; a path through GoogLeNet or Inception-v3 crosses about
    /// ten 3×3 convs, whose errors add, so each gets a tenth of it.
    static let errorBound = 1e-5

    /// Timed alone, candidates within this fraction of the fastest make a close call: alone, every
    /// run starts with everything out of the caches, which is not how the layer meets them inside
    /// a pass (measured at 2 threads: inception_4d's 3×3, direct 0.41 vs F(2,3) 0.42 ms alone, 0.42
    /// vs 0.34 ms inside GoogLeNet's pass). The plan times them all in whole passes
    /// (`ExecutionPlan.settle`) and keeps the fastest there. Half, not less: a first plan takes
    /// longer (Inception-v3 from an empty cache 5.9 → 6.5 s, once per machine), and GoogLeNet
    /// without LRN then ran 0.93× as long at one thread (6 alternating rounds against 15%, each
    /// binary with its own cache; about even at two).
    static let refineMargin = 0.5

    /// A conv whose fastest candidates alone were a close call: the rivals (every candidate within
    /// `refineMargin` of the pick), planned on the same tensors, wait for the plan to time them all
    /// inside passes (`settle(_:)` records the outcome).
    struct CloseCall {
        let key: String
        let rivals: [(algorithm: ConvAlgorithm, op: any EngineOp)]
    }

    let policy: AlgorithmPolicy
    let threads: Int
    let bound: Double
    private var pool: ThreadPool?
    /// The cache file, read once per plan (not once per conv) and written back after each choice
    /// that had to be timed.
    private lazy var cache: AlgorithmCache.File = AlgorithmCache.read() ?? AlgorithmCache.File()

    let margin: Double
    /// Decide every shape again, as if nothing were cached, and replace its cached choice
    /// (`--replan`: choices made while the machine was busy stay otherwise).
    let replan: Bool
    /// Shapes this plan decided (or is deciding): with `replan`, their later convs take that choice.
    private var decidedHere: Set<String> = []

    init(
        policy: AlgorithmPolicy, threads: Int, errorBound: Double = AlgorithmChooser.errorBound,
        refineMargin: Double = AlgorithmChooser.refineMargin, replan: Bool = false
    ) {
        self.policy = policy
        self.threads = threads
        bound = errorBound
        margin = refineMargin
        self.replan = replan
    }

    deinit {
        pool?.shutdown()
        evictionBuffer?.deallocate()
    }

    var timingPool: ThreadPool {
        if let pool { return pool }
        let p = ThreadPool(threads: threads)
        pool = p
        return p
    }

    /// Plans the conv with the chosen algorithm; under `auto`, a close call (timed, not cached) also
    /// returns the rivals for the plan to time inside passes.
    /// `residual`: every candidate computes the fused sum join as it stores (the shortcut and the
    /// activation after it are part of the shape the cache keys).
    func makeConv(
        input: Tensor, output: ChannelSlice, params: ConvParams, weights: ConvWeights,
        residual: Residual? = nil
    ) throws
        -> (op: any EngineOp, choice: AlgorithmChoice, closeCall: CloseCall?)
    {
        let all = ConvAlgorithm.candidates(
            kernelH: weights.kernelH, kernelW: weights.kernelW, params: params,
            inChannels: weights.inChannels)
        let direct = try Conv2DOp(input: input, output: output, params: params, weights: weights, residual: residual)
        guard policy != .direct, all.count > 1 else {
            return (direct, AlgorithmChoice(algorithm: .direct, candidates: [], cached: false), nil)
        }
        let key = AlgorithmCache.key(
            threads: threads, shape: input.shape, outChannels: weights.outChannels,
            kernelH: weights.kernelH, kernelW: weights.kernelW, params: params,
            residual: residual != nil)
        // A shape whose close call this plan has not decided yet: plan the same variants, so the
        // passes decide every conv of the shape together (one choice per shape, as the cache keeps).
        let pendingVariants = pending[key]
        let trustsCache = !replan || decidedHere.contains(key)
        let cachedChoice =
            policy == .auto && pendingVariants == nil && trustsCache
            ? cache.choices[key].flatMap(ConvAlgorithm.init) : nil

        // Accuracy: every Winograd candidate against the direct conv on one seeded input in [0, 1)
        // (non-negative like post-ReLU activations, the harder case for Winograd's cancellations).
        var rng = SplitMix64(seed: 7, stream: "algorithm check")
        try input.load(nchw: (0..<input.shape.count).map { _ in Float(rng.unitInterval()) })
        direct.run(timingPool)
        let expected = Self.sliceValues(output, channels: weights.outChannels)
        let scale = max(1e-30, Double(expected.reduce(0) { max($0, abs($1)) }))
        var ops: [(ConvAlgorithm, any EngineOp)] = [(.direct, direct)]
        var candidates = [AlgorithmChoice.Candidate(algorithm: .direct, error: 0, ms: nil, keepsBound: true)]
        for algorithm in all.dropFirst()
        where (cachedChoice == nil || cachedChoice == algorithm)
            && (pendingVariants?.contains(algorithm) ?? true)
        {
            let op = try algorithm.makeOp(
                input: input, output: output, params: params, weights: weights, residual: residual)
            op.run(timingPool)
            let got = Self.sliceValues(output, channels: weights.outChannels)
            var diff: Float = 0
            for (a, b) in zip(got, expected) { diff = max(diff, abs(a - b)) }
            let error = Double(diff) / scale
            let keeps = error <= bound
            candidates.append(.init(algorithm: ConvMethod(algorithm), error: error, ms: nil, keepsBound: keeps))
            if keeps { ops.append((algorithm, op)) }
        }
        if let cachedChoice, let hit = ops.first(where: { $0.0 == cachedChoice }) {
            return (
                hit.1, AlgorithmChoice(algorithm: ConvMethod(cachedChoice), candidates: candidates, cached: true), nil
            )
        }
        if let pendingVariants {
            let planned = pendingVariants.compactMap { a in ops.first { $0.0 == a } }
            if let pick = planned.first, planned.count > 1 {
                return (
                    pick.1, AlgorithmChoice(algorithm: ConvMethod(pick.0), candidates: candidates, cached: false),
                    CloseCall(key: key, rivals: planned.dropFirst().map { ($0.0, $0.1) })
                )
            }
        }
        // Under `winograd`, direct competes only when no tile keeps the bound.
        let timed = policy == .winograd && ops.count > 1 ? Array(ops.dropFirst()) : ops
        guard timed.count > 1 else {
            return (
                timed[0].1, AlgorithmChoice(algorithm: ConvMethod(timed[0].0), candidates: candidates, cached: false),
                nil
            )
        }
        let ms = time(timed.map(\.1), input: input)
        let best = ms.indices.min { ms[$0] < ms[$1] }!
        for (i, entry) in timed.enumerated() {
            if let c = candidates.firstIndex(where: { $0.algorithm == ConvMethod(entry.0) }) {
                candidates[c].ms = ms[i]
            }
        }
        if policy == .auto {
            cache.choices[key] = timed[best].0.description
            decidedHere.insert(key)
            AlgorithmCache.write(cache)
        }
        let choice = AlgorithmChoice(algorithm: ConvMethod(timed[best].0), candidates: candidates, cached: false)
        let rivals = ms.indices.filter { $0 != best && ms[$0] <= ms[best] * (1 + margin) }
        if policy == .auto, !rivals.isEmpty {
            pending[key] = [timed[best].0] + rivals.map { timed[$0].0 }
            return (timed[best].1, choice, CloseCall(key: key, rivals: rivals.map { (timed[$0].0, timed[$0].1) }))
        }
        return (timed[best].1, choice, nil)
    }

    /// Records the algorithms the close calls' shapes settled on inside passes (replacing the
    /// choices alone), in one write of the cache.
    func settle(_ decided: [String: ConvAlgorithm]) {
        for (key, algorithm) in decided {
            pending[key] = nil
            cache.choices[key] = algorithm.description
        }
        AlgorithmCache.write(cache)
    }

    /// Close calls of this plan by shape key, not yet decided: the pick alone, then its rivals.
    private var pending: [String: [ConvAlgorithm]] = [:]

    /// Median milliseconds of each op over alternating rounds (each round runs every op once, so
    /// all see the same machine load), after one warm-up run each; at least 5 rounds, more while
    /// under about 20 ms in total, at most 25. Each timed run starts as inside a network pass: the
    /// weights out of the caches (`evictCaches`: the other layers' weights pass through L3 in
    /// between) but the input in them (the op before wrote it). Timed warm, Winograd's larger
    /// weights looked free (GoogLeNet without LRN at 1 thread: layers alone 13.9 ms direct → 8.6
    /// ms, the whole pass 15.7 → 14.7 ms); timed with the input evicted too, Winograd looked worse
    /// than in the pass (inception_4e's 3×3 at 2 threads: F(2,3) 0.47 vs direct 0.50 ms cold, 0.33
    /// vs 0.42 ms inside the pass, and 4d's went to direct).
    func time(_ ops: [any EngineOp], input: Tensor) -> [Double] {
        let pool = timingPool
        for op in ops { op.run(pool) }
        var samples = [[Double]](repeating: [], count: ops.count)
        let start = DispatchTime.now().uptimeNanoseconds
        var round = 0
        while round < 5 || (round < 25 && DispatchTime.now().uptimeNanoseconds - start < 20_000_000) {
            for (i, op) in ops.enumerated() {
                evictCaches()
                touch(input)
                let t0 = DispatchTime.now().uptimeNanoseconds
                op.run(pool)
                samples[i].append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            round += 1
        }
        return samples.map { SampleStats($0).median }
    }

    /// Reads every vector of `t`, bringing it back into the caches.
    func touch(_ t: Tensor) {
        let v = UnsafeRawPointer(t.data).assumingMemoryBound(to: SIMD16<Float>.self)
        var acc = SIMD16<Float>()
        for i in 0..<(t.storageCount / 16) { acc += v[i] }
        evictionSum += acc
    }

    /// 48 MiB streamed through before each timed run: more than this machine's 32 MiB L3.
    private var evictionBuffer: UnsafeMutablePointer<SIMD16<Float>>?
    static let evictionBytes = 48 * 1024 * 1024
    private static let evictionVectors = evictionBytes / 64
    /// Sink for the eviction reads, so they are not optimised away.
    private var evictionSum = SIMD16<Float>()

    /// Reads the eviction buffer, pushing the ops' weights out of L2 and L3.
    func evictCaches() {
        let buffer =
            evictionBuffer
            ?? {
                let b = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: Self.evictionVectors)
                b.initialize(repeating: SIMD16<Float>(repeating: 1), count: Self.evictionVectors)
                evictionBuffer = b
                return b
            }()
        var acc = SIMD16<Float>()
        for i in stride(from: 0, to: Self.evictionVectors, by: 1) { acc += buffer[i] }
        evictionSum += acc
    }

    /// The output slice's channels as NCHW values.
    static func sliceValues(_ slice: ChannelSlice, channels: Int) -> [Float] {
        let t = slice.tensor, s = t.shape
        var out: [Float] = []
        out.reserveCapacity(s.n * channels * s.h * s.w)
        for n in 0..<s.n {
            for c in slice.offset..<(slice.offset + channels) {
                for y in 0..<s.h {
                    for x in 0..<s.w { out.append(t.data[t.offset(n: n, c: c, y: y, x: x)]) }
                }
            }
        }
        return out
    }
}
