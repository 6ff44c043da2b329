import ConvEngine
import Foundation

// The Inception family's new ops (issue 22), each timed beside what it replaces or the machine's
// roof. Memory-bound ops report GB/s (bytes the op must move: input + output + weights, as
// STREAM counts them, no write-allocate) beside the measured STREAM-triad bandwidth, so a depthwise
// conv is judged on the memory roof, not the FMA peak. `--only dw`, `res`, `gelu`, `ln`, `split`,
// `sum`, or `family` for all of them; `--cold` to stream the tensors from DRAM on every run.

/// One depthwise layer of the family: channels, map, kernel, stride ("same" padding).
struct DepthwiseCase {
    var name: String
    var c: Int, hw: Int, kh: Int, kw: Int
    var stride = 1
}

let depthwiseCases: [DepthwiseCase] = [
    // Xception (timm legacy_xception): entry flow 128@147², 256@74², 728@37²; middle flow 728@19²;
    // exit 1536@10². xception41 puts the stride on the depthwise conv: 3x3/2.
    DepthwiseCase(name: "dw.x 3x3 128@147", c: 128, hw: 147, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.x 3x3 256@74", c: 256, hw: 74, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.x 3x3 728@19", c: 728, hw: 19, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.x 3x3 1536@10", c: 1536, hw: 10, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.x41 3x3/2 256@74", c: 256, hw: 74, kh: 3, kw: 3, stride: 2),
    // xception41 (timm, 299² input) entry flow: its depthwise convs at 150², 75², 38², stride 1 and 2.
    DepthwiseCase(name: "dw.x41 3x3 128@150", c: 128, hw: 150, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.x41 3x3 256@75", c: 256, hw: 75, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.x41 3x3 728@38", c: 728, hw: 38, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.x41 3x3/2 128@150", c: 128, hw: 150, kh: 3, kw: 3, stride: 2),
    DepthwiseCase(name: "dw.x41 3x3/2 256@75", c: 256, hw: 75, kh: 3, kw: 3, stride: 2),
    DepthwiseCase(name: "dw.x41 3x3/2 728@38", c: 728, hw: 38, kh: 3, kw: 3, stride: 2),
    // InceptionNeXt-T: g = C/8 channels per band branch: 12@56², 24@28², 48@14², 96@7².
    DepthwiseCase(name: "dw.n 3x3 12@56", c: 12, hw: 56, kh: 3, kw: 3),
    DepthwiseCase(name: "dw.n 1x11 12@56", c: 12, hw: 56, kh: 1, kw: 11),
    DepthwiseCase(name: "dw.n 11x1 12@56", c: 12, hw: 56, kh: 11, kw: 1),
    DepthwiseCase(name: "dw.n 1x11 48@14", c: 48, hw: 14, kh: 1, kw: 11),
    DepthwiseCase(name: "dw.n 11x1 96@7", c: 96, hw: 7, kh: 11, kw: 1),
]

@MainActor
func selected(_ name: String) -> Bool {
    guard let only = opts.only else { return true }
    return only == "family" || name.contains(only)
}

/// Median ms of `ops` on `pool` and the GB/s of `bytes` in that time.
@MainActor
func rate(_ ops: [EngineOp], _ pool: ThreadPool, bytes: Int, runs: Int) -> (ms: Double, gbs: Double) {
    let ms = medianMs(ops, pool: pool, runs: runs)
    return (ms, Double(bytes) / ms / 1e6)
}

/// Median ms of each variant, in rounds that alternate the variants (each round `runs` runs of
/// each), so every variant sees the same load on a shared machine: the median of the round medians.
@MainActor
func alternating(_ variants: [[EngineOp]], _ pool: ThreadPool, rounds: Int = 9) -> [Double] {
    let runs = max(5, opts.runs / rounds)
    var medians = [[Double]](repeating: [], count: variants.count)
    for _ in 0..<rounds {
        for (i, v) in variants.enumerated() { medians[i].append(medianMs(v, pool: pool, runs: runs)) }
    }
    return medians.map { $0.sorted()[$0.count / 2] }
}

/// Median ms of `op` on `pool` with its input warm and its output cold (`--cold-output`): before
/// each run the caches are evicted and the input read back, one load per 64-byte line.
@MainActor
func coldOutputMs(_ op: EngineOp, input: Tensor, pool: ThreadPool, runs: Int) -> Double {
    op.run(pool)
    var times: [Double] = []
    for _ in 0..<runs {
        evictCaches()
        var sum: Float = 0
        for i in stride(from: 0, to: input.imageStride * input.shape.n, by: 16) { sum += input.data[i] }
        evictionSink += sum
        let t0 = now()
        op.run(pool)
        times.append(Double(now() - t0) / 1e6)
    }
    times.sort()
    return times[times.count / 2]
}

/// Median ms of a closure over `runs` runs (the plain reference twins).
func medianMs(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        try body()
        times.append(Double(now() - t0) / 1e6)
    }
    times.sort()
    return times[times.count / 2]
}

/// Runs the family's benchmarks that `--only` selects (all without it).
@MainActor
func runFamilyBenchmarks(rng: inout Rng) throws {
    let familyNames = depthwiseCases.map(\.name) + ["res.", "gelu.", "ln.", "split.", "sum."]
    guard familyNames.contains(where: selected) else { return }
    let bandwidth = pools.map { ($0.threadCount, measureBandwidthGBs(threads: $0.threadCount)) }
    print(
        "STREAM-triad bandwidth GB/s: "
            + bandwidth.map { "\($0.0)T \(String(format: "%.1f", $0.1))" }.joined(separator: ", ")
            + (opts.cold ? "   (--cold: caches evicted before every run)" : "   (warm: tensors may sit in L2/L3)"))
    let roof = Dictionary(uniqueKeysWithValues: bandwidth)

    // Depthwise: the op, GB/s and % of the bandwidth; the same conv through GroupedDirectConvOp (the
    // micro-kernel per group, what a depthwise conv ran on without its own op); the plain twin.
    print("depthwise             threads   ms      GB/s  % of STREAM   vs grouped   vs reference")
    for d in depthwiseCases where selected(d.name) {
        let shape = TensorShape(c: d.c, h: d.hw, w: d.hw)
        let params = ConvParams(
            strideH: d.stride, strideW: d.stride, pad: Padding2D(h: d.kh / 2, w: d.kw / 2), relu: true)
        let (oh, ow) = try params.outputSize(h: d.hw, w: d.hw, kh: d.kh, kw: d.kw)
        let xValues = rng.array(shape.count)
        let input = try Tensor(shape: shape)
        try input.load(nchw: xValues)
        let output = try Tensor(shape: TensorShape(c: d.c, h: oh, w: ow))
        let w = try ConvWeights(
            outChannels: d.c, inChannels: 1, kernelH: d.kh, kernelW: d.kw,
            weight: rng.array(d.c * d.kh * d.kw, scale: 0.3), bias: rng.array(d.c))
        let op = try DepthwiseConvOp(input: input, output: ChannelSlice(output), params: params, weights: w)
        let grouped = try GroupedDirectConvOp(
            input: input, output: ChannelSlice(output), params: params, weights: w, groups: d.c)
        let bytes = 4 * (shape.count + d.c * oh * ow + d.c * (d.kh * d.kw + 1))
        let refMs = try medianMs(runs: 3) {
            _ = try Reference.conv2d(xValues, shape, weights: w, params: params, groups: d.c)
        }
        if opts.coldOutput {
            for pool in pools {
                let ms = coldOutputMs(op, input: input, pool: pool, runs: opts.runs)
                print(
                    d.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                        + String(
                            format: "%dT  %8.4f %7.1f   (input warm, output cold)", pool.threadCount, ms,
                            Double(bytes) / ms / 1e6))
            }
            continue
        }
        for pool in pools {
            let t = alternating([[op], [grouped]], pool)
            let gbs = Double(bytes) / t[0] / 1e6
            print(
                d.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(
                        format: "%dT  %8.4f %7.1f   %5.0f%%     %6.1fx     %7.0fx", pool.threadCount, t[0], gbs,
                        100 * gbs / (roof[pool.threadCount] ?? 1), t[1] / t[0], refMs / t[0]))
        }
    }

    // Fused residual (Inception-ResNet's block ends): the conv writing act(x + s·conv) itself vs
    // the conv then SumOp (a second pass over the output and the shortcut).
    let residualCases: [(String, Int, Int, Int, Float, Bool)] = [
        ("res.block35 128>320@35 x0.17", 128, 320, 35, 0.17, true),
        ("res.block17 384>1088@17 x0.10", 384, 1088, 17, 0.10, true),
        ("res.block8 448>2080@8 x0.20", 448, 2080, 8, 0.20, true),
        ("res.block8 last x1.0 no relu", 448, 2080, 8, 1.0, false),
        // InceptionNeXt's fc2 at stage 1 (its layer scale folded into the weights, no activation).
        ("res.next fc2 384>96@56", 384, 96, 56, 1.0, false),
        ("res.next fc2 3072>768@7", 3072, 768, 7, 1.0, false),
    ]
    for (name, cin, cout, hw, scale, relu) in residualCases where selected(name) {
        let x = try Tensor(shape: TensorShape(c: cin, h: hw, w: hw))
        try x.load(nchw: rng.array(x.shape.count))
        let shortcut = try Tensor(shape: TensorShape(c: cout, h: hw, w: hw))
        try shortcut.load(nchw: rng.array(shortcut.shape.count))
        let out = try Tensor(shape: shortcut.shape)
        let mid = try Tensor(shape: shortcut.shape)
        let w = try ConvWeights(
            outChannels: cout, inChannels: cin, kernelH: 1, kernelW: 1,
            weight: rng.array(cout * cin, scale: 0.05), bias: rng.array(cout))
        let fused = try Conv2DOp(
            input: x, output: ChannelSlice(out), params: ConvParams(relu: relu), weights: w,
            residual: Residual(shortcut: shortcut, scale: scale))
        let conv = try Conv2DOp(input: x, output: ChannelSlice(mid), params: ConvParams(), weights: w)
        let sum = try SumOp(
            inputs: [mid, shortcut], scales: [scale, 1], activation: relu ? .relu : .none, output: ChannelSlice(out))
        let plain = try Conv2DOp(input: x, output: ChannelSlice(out), params: ConvParams(relu: relu), weights: w)
        for pool in pools {
            let t = alternating([[fused], [conv, sum], [plain]], pool)
            let (f, u, p) = (t[0], t[1], t[2])
            print(
                name.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + String(
                        format:
                            " %dT fused %.4f ms, conv + sum %.4f ms (%.2fx), conv alone %.4f ms (fused costs %+.1f%%)",
                        pool.threadCount, f, u, u / f, p, 100 * (f / p - 1)))
        }
    }

    // GELU: standalone (memory-bound: GB/s) and as the epilogue of InceptionNeXt's MLP fc1
    // (1x1 96 -> 384 at 56²) beside the conv with ReLU and the conv then a GELU pass.
    if selected("gelu.") {
        let shape = TensorShape(c: 384, h: 56, w: 56)
        let x = try Tensor(shape: shape)
        try x.load(nchw: rng.array(shape.count, scale: 3))
        let y = try Tensor(shape: shape)
        let gelu = try ChannelAffineOp.activation(.gelu, input: x, output: ChannelSlice(y))
        let relu = try ChannelAffineOp.activation(.relu, input: x, output: ChannelSlice(y))
        let bytes = 8 * shape.count
        // GELU's own cost per 16-float vector: its time over ReLU's (the same pass and memory
        // traffic), spread over the vectors and over the threads (ns of one thread's time).
        let vectors = Double(shape.count / 16)
        func nsPerVector(_ ms: Double, over base: Double, _ threads: Int) -> Double {
            (ms - base) * 1e6 * Double(threads) / vectors
        }
        for pool in pools {
            let t = alternating([[gelu], [relu]], pool)
            let (g, r) = (Double(bytes) / t[0] / 1e6, Double(bytes) / t[1] / 1e6)
            print(
                String(
                    format:
                        "gelu.standalone 384@56  %dT gelu %.3f ms %.1f GB/s (%.0f%% of STREAM), relu %.3f ms %.1f GB/s (gelu %.2fx relu, %+.1f ns a vector)",
                    pool.threadCount, t[0], g, 100 * g / (roof[pool.threadCount] ?? 1), t[1], r, t[0] / t[1],
                    nsPerVector(t[0], over: t[1], pool.threadCount)))
        }
        let input = try Tensor(shape: TensorShape(c: 96, h: 56, w: 56))
        try input.load(nchw: rng.array(input.shape.count))
        let w = try ConvWeights(
            outChannels: 384, inChannels: 96, kernelH: 1, kernelW: 1,
            weight: rng.array(384 * 96, scale: 0.1), bias: rng.array(384))
        let convGelu = try Conv2DOp(
            input: input, output: ChannelSlice(y), params: ConvParams(activation: .gelu), weights: w)
        let convRelu = try Conv2DOp(input: input, output: ChannelSlice(y), params: ConvParams(relu: true), weights: w)
        let convPlain = try Conv2DOp(input: input, output: ChannelSlice(x), params: ConvParams(), weights: w)
        for pool in pools {
            let t = alternating([[convGelu], [convRelu], [convPlain, gelu]], pool)
            let (g, r, two) = (t[0], t[1], t[2])
            print(
                String(
                    format:
                        "gelu.fc1 1x1 96>384@56  %dT conv+gelu epilogue %.3f ms, conv+relu %.3f ms (gelu costs %+.1f%%, %+.1f ns a vector), conv then gelu pass %.3f ms (%.2fx)",
                    pool.threadCount, g, r, 100 * (g / r - 1), nsPerVector(g, over: r, pool.threadCount), two, two / g))
        }
        // The conv with no activation alone, into x and into y, and the ReLU conv into x.
        let convReluX = try Conv2DOp(input: input, output: ChannelSlice(x), params: ConvParams(relu: true), weights: w)
        let convPlainY = try Conv2DOp(input: input, output: ChannelSlice(y), params: ConvParams(), weights: w)
        for pool in pools {
            let t = alternating([[convPlain], [convPlainY], [convReluX], [convRelu]], pool)
            print(
                String(
                    format:
                        "gelu.fc1 parts %dT conv none->x %.3f ms, none->y %.3f ms, relu->x %.3f ms, relu->y %.3f ms",
                    pool.threadCount, t[0], t[1], t[2], t[3]))
        }
        // The standalone GELU again, now on the conv's outputs (x was overwritten above) instead
        // of uniform values in [-3, 3]: does GELU's time depend on the data?
        for pool in pools {
            let t = alternating([[gelu], [relu]], pool)
            print(
                String(
                    format: "gelu.standalone on conv outputs  %dT gelu %.3f ms, relu %.3f ms", pool.threadCount, t[0],
                    t[1]))
        }
    }

    // Layer norm over channels: LayerNorm2d on a 96@56² map (GB/s) and the head's 768-vector.
    if selected("ln.") {
        for (c, hw) in [(96, 56), (768, 7)] {
            let shape = TensorShape(c: c, h: hw, w: hw)
            let x = try Tensor(shape: shape)
            try x.load(nchw: rng.array(shape.count))
            let y = try Tensor(shape: shape)
            let op = try LayerNormOp(input: x, output: ChannelSlice(y), gamma: rng.array(c), beta: rng.array(c))
            for pool in pools {
                let r = rate([op], pool, bytes: 8 * shape.count, runs: opts.runs)
                print(
                    String(
                        format: "ln.%d@%d  %dT %.4f ms, %.1f GB/s (%.0f%% of STREAM)", c, hw, pool.threadCount, r.ms,
                        r.gbs,
                        100 * r.gbs / (roof[pool.threadCount] ?? 1)))
            }
        }
    }

    // Split: InceptionNeXt-T's 96 -> 60/12/12/12 (four copies) and a split on blocks (views: no op).
    if selected("split.") {
        let shape = TensorShape(c: 96, h: 56, w: 56)
        let x = try Tensor(shape: shape)
        try x.load(nchw: rng.array(shape.count))
        let copies = try ChannelSplit(input: x, sizes: [60, 12, 12, 12])
        let views = try ChannelSplit(input: x, sizes: [64, 16, 16])
        for pool in pools {
            let r = rate(copies.ops, pool, bytes: 8 * shape.count, runs: opts.runs)
            print(
                String(
                    format: "split.96@56 60/12/12/12  %dT %d copies %.4f ms, %.1f GB/s; 64/16/16: %d ops (views)",
                    pool.threadCount, copies.ops.count, r.ms, r.gbs, views.ops.count))
        }
    }

    // Standalone sum (a residual join that does not fuse): 2 inputs with a scale, ReLU.
    if selected("sum.") {
        let shape = TensorShape(c: 320, h: 35, w: 35)
        let a = try Tensor(shape: shape), b = try Tensor(shape: shape), y = try Tensor(shape: shape)
        try a.load(nchw: rng.array(shape.count))
        try b.load(nchw: rng.array(shape.count))
        let op = try SumOp(inputs: [a, b], scales: [0.17, 1], activation: .relu, output: ChannelSlice(y))
        for pool in pools {
            let r = rate([op], pool, bytes: 12 * shape.count, runs: opts.runs)
            print(
                String(
                    format: "sum.320@35 2 inputs  %dT %.4f ms, %.1f GB/s (%.0f%% of STREAM)", pool.threadCount, r.ms,
                    r.gbs,
                    100 * r.gbs / (roof[pool.threadCount] ?? 1)))
        }
    }
}
