// Release-mode timings of ConvEngine ops: GFLOP/s per conv shape and for GoogLeNet inception_3a.
// Stride-1 3x3, 5x5, 1xn, nx1 cases also time WinogradConvOp at each tile it has ("F(m)"; effective GFLOP/s:
// direct FLOPs / time).
// Usage: swift run -c release engine-microbench [--threads 1,2] [--runs 200] [--only NAME] [--csv] [--no-peak]
// --csv prints "name,threads,ms,gflops" lines (Benchmarks/ort-compare reads them).
// --cold streams 64 MiB through the caches before every timed run (weights and tensors then come
// from memory, as inside a network pass; the eviction itself is not timed).
// --cold-weights builds copies of each conv with their own weights (64 MiB of them in all) and runs a
// different copy each time: only the weights come from memory, the tensors and the thread scratch stay
// warm, as for a conv inside a network pass (where the weights of ~60 layers evict each other).
// --cold-output (depthwise cases): caches evicted, then the input read back before every timed run: the
// input warm, the output's write-allocate from memory, as inside a pass whose output buffer was last
// touched a pass ago (xception41's large depthwise layers, issue 22).
// Whole blocks (Blocks.swift: inception_3a, inception_5b, Mixed_5b, Mixed_6b):
//   --only ab[:BLOCK]   alternating rounds of: ops one by one, one OpGraph, the graph's claim order
//   --only ops:BLOCK    each op timed alone beside the whole block (cold-cache cost of a pass)
//   --only "pool overhead"  empty parallelFor runs: the pool's own cost per op
// The family's ops (Family.swift): --only family, or dw / res / gelu / ln / split / sum: depthwise convs
// in GB/s beside the STREAM-triad bandwidth, fused residual joins, GELU, layer norm, split, sum.
import ConvEngine
import Foundation

struct Options {
    var threads = [1, 2]
    var runs = 200
    var only: String?
    var csv = false
    var peak = true
    var cold = false
    var coldWeights = false
    var coldOutput = false
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--threads": o.threads = (args.popFirst() ?? "1").split(separator: ",").compactMap { Int($0) }
        case "--runs": o.runs = Int(args.popFirst() ?? "") ?? o.runs
        case "--only": o.only = args.popFirst()
        case "--csv": o.csv = true
        case "--no-peak": o.peak = false
        case "--cold": o.cold = true
        case "--cold-weights": o.coldWeights = true
        case "--cold-output": o.coldOutput = true
        default: print("unknown argument \(a)"); exit(2)
        }
    }
    return o
}

/// Deterministic pseudo-random values in [-1, 1).
struct Rng {
    var state: UInt64
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
    }
    mutating func array(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in next() * scale } }
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// 64 MiB written and read before each timed run under --cold: more than this machine's L3.
let evictionFloats = 16 << 20
nonisolated(unsafe) let eviction = UnsafeMutablePointer<Float>.allocate(capacity: evictionFloats)
eviction.initialize(repeating: 1, count: evictionFloats)
nonisolated(unsafe) var evictionSink: Float = 0
func evictCaches() {
    var s: Float = 0
    for i in stride(from: 0, to: evictionFloats, by: 16) {
        eviction[i] += 1
        s += eviction[i]
    }
    evictionSink += s
}

/// Median wall time in ms of `runs` runs of all `ops` in order (after a warm-up); with `copies`,
/// run r runs copy r % count instead (same work, other weights: see --cold-weights).
func medianMs(_ ops: [EngineOp], pool: ThreadPool, runs: Int, copies: [[EngineOp]] = []) -> Double {
    let variants = copies.isEmpty ? [ops] : copies
    for v in variants { for op in v { op.run(pool) } }
    var times: [Double] = []
    times.reserveCapacity(runs)
    for r in 0..<runs {
        if opts.cold { evictCaches() }
        let v = variants[r % variants.count]
        let t0 = now()
        for op in v { op.run(pool) }
        times.append(Double(now() - t0) / 1e6)
    }
    times.sort()
    return times[times.count / 2]
}

struct ConvCase {
    var name: String
    var input: TensorShape
    var out: Int
    var kh: Int, kw: Int
    var sh = 1, sw = 1
    var ph = 0, pw = 0
}

func makeConv(_ c: ConvCase, input: Tensor, output: ChannelSlice, rng: inout Rng) throws -> Conv2DOp {
    let wc = c.out * c.input.c * c.kh * c.kw
    let weights = try ConvWeights(
        outChannels: c.out, inChannels: c.input.c, kernelH: c.kh, kernelW: c.kw,
        weight: rng.array(wc, scale: 0.05), bias: rng.array(c.out))
    let params = ConvParams(strideH: c.sh, strideW: c.sw, pad: Padding2D(h: c.ph, w: c.pw), relu: true)
    return try Conv2DOp(input: input, output: output, params: params, weights: weights)
}

let cases: [ConvCase] = [
    ConvCase(name: "x.1x1 192>48", input: TensorShape(c: 192, h: 28, w: 28), out: 48, kh: 1, kw: 1),
    ConvCase(name: "x.1x1 192>128", input: TensorShape(c: 192, h: 28, w: 28), out: 128, kh: 1, kw: 1),
    ConvCase(name: "x.1x1 192>144", input: TensorShape(c: 192, h: 28, w: 28), out: 144, kh: 1, kw: 1),
    ConvCase(name: "x.1x1 192>80", input: TensorShape(c: 192, h: 28, w: 28), out: 80, kh: 1, kw: 1),
    ConvCase(name: "x.1x1 160>64", input: TensorShape(c: 160, h: 28, w: 28), out: 64, kh: 1, kw: 1),
    ConvCase(name: "3a.1x1 192>64", input: TensorShape(c: 192, h: 28, w: 28), out: 64, kh: 1, kw: 1),
    ConvCase(name: "3a.1x1 192>96", input: TensorShape(c: 192, h: 28, w: 28), out: 96, kh: 1, kw: 1),
    ConvCase(name: "3a.3x3 96>128", input: TensorShape(c: 96, h: 28, w: 28), out: 128, kh: 3, kw: 3, ph: 1, pw: 1),
    ConvCase(name: "3a.1x1 192>16", input: TensorShape(c: 192, h: 28, w: 28), out: 16, kh: 1, kw: 1),
    ConvCase(name: "3a.5x5 16>32", input: TensorShape(c: 16, h: 28, w: 28), out: 32, kh: 5, kw: 5, ph: 2, pw: 2),
    ConvCase(name: "3a.1x1 192>32", input: TensorShape(c: 192, h: 28, w: 28), out: 32, kh: 1, kw: 1),
    ConvCase(name: "6b.1x1 768>128", input: TensorShape(c: 768, h: 17, w: 17), out: 128, kh: 1, kw: 1),
    ConvCase(name: "6b.1x7 128>128", input: TensorShape(c: 128, h: 17, w: 17), out: 128, kh: 1, kw: 7, pw: 3),
    ConvCase(name: "6b.7x1 128>192", input: TensorShape(c: 128, h: 17, w: 17), out: 192, kh: 7, kw: 1, ph: 3),
    ConvCase(name: "7b.1x1 1280>384", input: TensorShape(c: 1280, h: 8, w: 8), out: 384, kh: 1, kw: 1),
    ConvCase(name: "7b.1x3 384>384", input: TensorShape(c: 384, h: 8, w: 8), out: 384, kh: 1, kw: 3, pw: 1),
    ConvCase(name: "7b.3x1 384>384", input: TensorShape(c: 384, h: 8, w: 8), out: 384, kh: 3, kw: 1, ph: 1),
    ConvCase(name: "7c.1x1 2048>448", input: TensorShape(c: 2048, h: 8, w: 8), out: 448, kh: 1, kw: 1),
    ConvCase(name: "7b.3x3 448>384", input: TensorShape(c: 448, h: 8, w: 8), out: 384, kh: 3, kw: 3, ph: 1, pw: 1),
    ConvCase(name: "3b.3x3 128>192", input: TensorShape(c: 128, h: 28, w: 28), out: 192, kh: 3, kw: 3, ph: 1, pw: 1),
    ConvCase(name: "4e.3x3 160>320", input: TensorShape(c: 160, h: 14, w: 14), out: 320, kh: 3, kw: 3, ph: 1, pw: 1),
    ConvCase(name: "5b.3x3 192>384", input: TensorShape(c: 192, h: 7, w: 7), out: 384, kh: 3, kw: 3, ph: 1, pw: 1),
    ConvCase(name: "v3.5b.3x3 64>96", input: TensorShape(c: 64, h: 35, w: 35), out: 96, kh: 3, kw: 3, ph: 1, pw: 1),
    ConvCase(name: "v3.2b.3x3 32>64", input: TensorShape(c: 32, h: 147, w: 147), out: 64, kh: 3, kw: 3, ph: 1, pw: 1),
    ConvCase(name: "v3.5b.5x5 48>64", input: TensorShape(c: 48, h: 35, w: 35), out: 64, kh: 5, kw: 5, ph: 2, pw: 2),
    ConvCase(name: "4e.5x5 32>128", input: TensorShape(c: 32, h: 14, w: 14), out: 128, kh: 5, kw: 5, ph: 2, pw: 2),
    // The family's pointwise convs: Xception's middle and exit flows, InceptionNeXt's MLP (fc1/fc2 at
    // stages 1 and 4), Inception-ResNet-v2's block17 up-projection.
    ConvCase(name: "pw.xc 1x1 728>728", input: TensorShape(c: 728, h: 19, w: 19), out: 728, kh: 1, kw: 1),
    ConvCase(name: "pw.xc 1x1 1536>2048", input: TensorShape(c: 1536, h: 10, w: 10), out: 2048, kh: 1, kw: 1),
    ConvCase(name: "pw.xc 1x1 128>256", input: TensorShape(c: 128, h: 74, w: 74), out: 256, kh: 1, kw: 1),
    ConvCase(name: "pw.xc 1x1 256>728", input: TensorShape(c: 256, h: 37, w: 37), out: 728, kh: 1, kw: 1),
    ConvCase(name: "pw.xc 1x1 64>128", input: TensorShape(c: 64, h: 147, w: 147), out: 128, kh: 1, kw: 1),
    ConvCase(name: "pw.nx fc1 96>384", input: TensorShape(c: 96, h: 56, w: 56), out: 384, kh: 1, kw: 1),
    ConvCase(name: "pw.nx fc2 384>96", input: TensorShape(c: 384, h: 56, w: 56), out: 96, kh: 1, kw: 1),
    ConvCase(name: "pw.nx fc1 384>1536", input: TensorShape(c: 384, h: 14, w: 14), out: 1536, kh: 1, kw: 1),
    ConvCase(name: "pw.nx fc2 1536>384", input: TensorShape(c: 1536, h: 14, w: 14), out: 384, kh: 1, kw: 1),
    ConvCase(name: "pw.nx fc1 768>3072", input: TensorShape(c: 768, h: 7, w: 7), out: 3072, kh: 1, kw: 1),
    ConvCase(name: "pw.nx fc2 3072>768", input: TensorShape(c: 3072, h: 7, w: 7), out: 768, kh: 1, kw: 1),
    ConvCase(name: "pw.ir 1x1 384>1088", input: TensorShape(c: 384, h: 17, w: 17), out: 1088, kh: 1, kw: 1),
    // inception_resnet_v2 at 8×8 (issue 22): conv2d_7b, Block8's branch0 and its final 1×1 (448 = 192 + 256).
    ConvCase(name: "pw.ir 1x1 2080>1536", input: TensorShape(c: 2080, h: 8, w: 8), out: 1536, kh: 1, kw: 1),
    ConvCase(name: "pw.ir 1x1 2080>192", input: TensorShape(c: 2080, h: 8, w: 8), out: 192, kh: 1, kw: 1),
    ConvCase(name: "pw.ir 1x1 448>2080", input: TensorShape(c: 448, h: 8, w: 8), out: 2080, kh: 1, kw: 1),
    ConvCase(
        name: "g.conv1 7x7/2 3>64", input: TensorShape(c: 3, h: 224, w: 224), out: 64, kh: 7, kw: 7,
        sh: 2, sw: 2, ph: 3, pw: 3),
    ConvCase(name: "g.conv2 3x3 64>192", input: TensorShape(c: 64, h: 56, w: 56), out: 192, kh: 3, kw: 3, ph: 1, pw: 1),
]

let opts = parseOptions()
var rng = Rng(state: 42)
let pools = opts.threads.map { ThreadPool(threads: $0) }
if opts.peak {
    print(
        "peak FMA GFLOP/s: "
            + pools.map { "\($0.threadCount)T \(String(format: "%.1f", measurePeakGFLOPS(threads: $0.threadCount)))" }
            .joined(separator: ", "))
}
if !opts.csv {
    print(
        "case".padding(toLength: 22, withPad: " ", startingAt: 0)
            + pools.map { "  \($0.threadCount)T ms    GFLOP/s" }.joined())
}

/// Times `ops` on every pool and prints one table row (or CSV lines).
func report(_ name: String, _ ops: [EngineOp], note: String = "", copies: [[EngineOp]] = []) {
    let flops = ops.reduce(0) { $0 + $1.flops }
    var line = name.padding(toLength: 22, withPad: " ", startingAt: 0)
    for pool in pools {
        let ms = medianMs(ops, pool: pool, runs: opts.runs, copies: copies)
        let gflops = Double(flops) / ms / 1e6
        if opts.csv {
            print("\(name),\(pool.threadCount),\(String(format: "%.4f", ms)),\(String(format: "%.2f", gflops))")
        } else {
            line += String(format: "  %8.3f %8.1f", ms, gflops)
        }
    }
    if !opts.csv { print(line + note) }
}
for c in cases where opts.only.map({ c.name.contains($0) }) ?? true {
    do {
        let input = try Tensor(shape: c.input)
        try input.load(nchw: rng.array(c.input.count))
        let (oh, ow) = try ConvParams(strideH: c.sh, strideW: c.sw, pad: Padding2D(h: c.ph, w: c.pw))
            .outputSize(h: c.input.h, w: c.input.w, kh: c.kh, kw: c.kw)
        let out = try Tensor(shape: TensorShape(c: c.out, h: oh, w: ow))
        let op = try makeConv(c, input: input, output: ChannelSlice(out), rng: &rng)
        let weightBytes = c.out * c.input.c * c.kh * c.kw * 4
        // --cold-weights: enough copies that their direct weights pass 64 MiB (at most 64 copies).
        let copyCount = opts.coldWeights ? min(64, max(4, (64 << 20) / weightBytes)) : 0
        report(
            c.name, [op],
            copies: try (0..<copyCount).map { _ in
                [try makeConv(c, input: input, output: ChannelSlice(out), rng: &rng)]
            })
        // 3x3 stride 1: the Winograd tiles too (GFLOP/s counts the direct conv's FLOPs: effective).
        for m in [2, 4, 6]
        where WinogradConvOp.supports(
            kernelH: c.kh, kernelW: c.kw, params: ConvParams(strideH: c.sh, strideW: c.sw),
            inChannels: c.input.c, tile: m)
        {
            do {
                func make() throws -> WinogradConvOp {
                    let weights = try ConvWeights(
                        outChannels: c.out, inChannels: c.input.c, kernelH: c.kh, kernelW: c.kw,
                        weight: rng.array(c.out * c.input.c * c.kh * c.kw, scale: 0.05), bias: rng.array(c.out))
                    return try WinogradConvOp(
                        input: input, output: ChannelSlice(out),
                        params: ConvParams(pad: Padding2D(h: c.ph, w: c.pw), relu: true),
                        weights: weights, tile: m)
                }
                let w = try make()
                report(c.name + " F(\(m))", [w], copies: try (0..<copyCount).map { _ in [try make()] })
            }
        }
    } catch {
        print("\(c.name): \(error)")
    }
}

/// GoogLeNet inception_3a (input 192×28×28, batch 1): branches write straight into their slice of the
/// 256-channel concat output. FLOPs = 2 · MACs of the six convs.
func inception3a(rng: inout Rng) throws -> [EngineOp] {
    let shape = TensorShape(c: 192, h: 28, w: 28)
    let input = try Tensor(shape: shape)
    try input.load(nchw: rng.array(shape.count))
    let out = try Tensor(shape: TensorShape(c: 256, h: 28, w: 28))
    let r3 = try Tensor(shape: TensorShape(c: 96, h: 28, w: 28))
    let r5 = try Tensor(shape: TensorShape(c: 16, h: 28, w: 28))
    let pooled = try Tensor(shape: shape)
    func conv(_ i: Tensor, _ o: ChannelSlice, _ c: ConvCase) throws -> EngineOp {
        try makeConv(c, input: i, output: o, rng: &rng)
    }
    let c1 = ConvCase(name: "", input: shape, out: 64, kh: 1, kw: 1)
    let c3r = ConvCase(name: "", input: shape, out: 96, kh: 1, kw: 1)
    let c3 = ConvCase(name: "", input: r3.shape, out: 128, kh: 3, kw: 3, ph: 1, pw: 1)
    let c5r = ConvCase(name: "", input: shape, out: 16, kh: 1, kw: 1)
    let c5 = ConvCase(name: "", input: r5.shape, out: 32, kh: 5, kw: 5, ph: 2, pw: 2)
    let cp = ConvCase(name: "", input: shape, out: 32, kh: 1, kw: 1)
    return [
        try conv(input, ChannelSlice(out, offset: 0), c1),
        try conv(input, ChannelSlice(r3), c3r),
        try conv(r3, ChannelSlice(out, offset: 64), c3),
        try conv(input, ChannelSlice(r5), c5r),
        try conv(r5, ChannelSlice(out, offset: 192), c5),
        try PoolOp(
            .max, input: input, output: ChannelSlice(pooled),
            params: PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1)),
        try conv(pooled, ChannelSlice(out, offset: 224), cp),
    ]
}

/// Non-conv ops of GoogLeNet, timed alone (GFLOP/s column is 0: they have no MACs).
func otherOps(rng: inout Rng) throws -> [(String, EngineOp)] {
    let x28 = try Tensor(shape: TensorShape(c: 192, h: 28, w: 28))
    try x28.load(nchw: rng.array(x28.shape.count))
    let x56 = try Tensor(shape: TensorShape(c: 192, h: 56, w: 56))
    try x56.load(nchw: rng.array(x56.shape.count))
    let x35 = try Tensor(shape: TensorShape(c: 192, h: 35, w: 35))
    try x35.load(nchw: rng.array(x35.shape.count))
    let pool31 = PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1)
    let pool32 = PoolParams(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, ceilMode: true)
    return [
        (
            "3a.maxpool 3x3/1",
            try PoolOp(.max, input: x28, output: ChannelSlice(try Tensor(shape: x28.shape)), params: pool31)
        ),
        (
            "g.maxpool 3x3/2 56",
            try PoolOp(
                .max, input: x56, output: ChannelSlice(try Tensor(shape: TensorShape(c: 192, h: 28, w: 28))),
                params: pool32)
        ),
        (
            "5b.avgpool 3x3/1 35",
            try PoolOp(.average, input: x35, output: ChannelSlice(try Tensor(shape: x35.shape)), params: pool31)
        ),
        (
            "g.lrn 192x56x56",
            try LRNOp(input: x56, output: ChannelSlice(try Tensor(shape: x56.shape)), params: LRNParams())
        ),
    ]
}

for (name, op) in try otherOps(rng: &rng) where opts.only.map({ name.contains($0) }) ?? true {
    report(name, [op])
}

// The Inception family's ops (Family.swift): depthwise on the memory roof, fused residuals, GELU,
// layer norm, split, sum.
try runFamilyBenchmarks(rng: &rng)

/// Pool branches (stride-1 3×3 pool → 1×1 conv): the two ops one after the other, then fused
/// (`PooledConvOp`). GFLOP/s counts the conv.
let poolBranches: [(String, PoolKind, TensorShape, Int)] = [
    ("pb.3b max 256>64", .max, TensorShape(c: 256, h: 28, w: 28), 64),
    ("pb.4e max 528>128", .max, TensorShape(c: 528, h: 14, w: 14), 128),
    ("pb.5b max 832>128", .max, TensorShape(c: 832, h: 7, w: 7), 128),
    ("pb.v3 6b avg 768>192", .average, TensorShape(c: 768, h: 17, w: 17), 192),
]
for (name, kind, shape, out) in poolBranches where opts.only.map({ name.contains($0) }) ?? true {
    do {
        let input = try Tensor(shape: shape)
        try input.load(nchw: rng.array(shape.count))
        let pooled = try Tensor(shape: shape)
        let y = try Tensor(shape: TensorShape(c: out, h: shape.h, w: shape.w))
        let pp = PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1)
        let c = ConvCase(name: "", input: shape, out: out, kh: 1, kw: 1)
        let pool = try PoolOp(kind, input: input, output: ChannelSlice(pooled), params: pp)
        let conv = try makeConv(c, input: pooled, output: ChannelSlice(y), rng: &rng)
        report(name + " 2 ops", [pool, conv])
        let weights = try ConvWeights(
            outChannels: out, inChannels: shape.c, kernelH: 1, kernelW: 1,
            weight: rng.array(out * shape.c, scale: 0.05), bias: rng.array(out))
        let fused = try PooledConvOp(
            kind, poolParams: pp, input: input, output: ChannelSlice(y),
            params: ConvParams(relu: true), weights: weights)
        report(name + " fused", [fused])
    } catch {
        print("\(name): \(error)")
    }
}

if opts.only.map({ "inception_3a grouped".contains($0) }) ?? true {
    do {
        let ops = try inception3a(rng: &rng)
        let flops = ops.reduce(0) { $0 + $1.flops }
        report("inception_3a", ops, note: String(format: "   (%.1f MFLOP, 7 ops one by one)", Double(flops) / 1e6))
        // Branches side by side: the first op of every branch as one parallel run, then the second ops.
        let grouped: [EngineOp] = [
            try ConcurrentOps([ops[1], ops[0], ops[5], ops[3]]),
            try ConcurrentOps([ops[2], ops[4], ops[6]]),
        ]
        report("inception_3a grouped", grouped, note: "   (2 ConcurrentOps groups)")
        let graph = try OpGraph(ops)
        report("inception_3a graph", [graph], note: "   (one OpGraph, claim order \(graph.claimOrder))")
    } catch {
        print("inception_3a: \(error)")
    }
}

/// The pool's own cost: one parallel run of `count` empty tasks (the barrier every op pays), in µs.
if opts.only.map({ "pool overhead".contains($0) }) ?? true {
    for pool in pools {
        for count in [2, 16, 64] {
            for _ in 0..<1000 { pool.parallelFor(count) { _ in } }
            var times: [Double] = []
            for _ in 0..<20_000 {
                let t0 = now()
                pool.parallelFor(count) { _ in }
                times.append(Double(now() - t0) / 1e3)
            }
            times.sort()
            print(
                String(
                    format: "pool overhead %dT %3d empty tasks: median %.2f µs, p90 %.2f µs", pool.threadCount, count,
                    times[times.count / 2], times[times.count * 9 / 10]))
        }
    }
}

/// Interleaved A/B of ways to run whole blocks (`--only ab` or `--only ab:Mixed_5b`): rounds alternate
/// the variants, so each sees the same machine load; per variant the median and best round median.
if let only = opts.only, only.hasPrefix("ab") {
    for spec in blockSpecs where only == "ab" || only == "ab:" + spec.name {
        let ops = try makeBlock(spec, rng: &rng)
        print("\(spec.name): claim order \(try OpGraph(ops).claimOrder), dependencies \(try OpGraph(ops).dependencies)")
        let variants: [(String, [EngineOp])] = [
            ("one by one", ops),
            ("graph", [try OpGraph(ops)]),
            ("claim order", try OpGraph(ops).claimOrder.map { ops[$0] }),
        ]
        for pool in pools {
            var rounds = [[Double]](repeating: [], count: variants.count)
            for _ in 0..<15 {
                for (i, v) in variants.enumerated() { rounds[i].append(medianMs(v.1, pool: pool, runs: 40)) }
            }
            for (i, v) in variants.enumerated() {
                let r = rounds[i].sorted()
                print(
                    "\(spec.name) \(pool.threadCount)T " + v.0.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(format: " median %.3f ms, best %.3f ms", r[r.count / 2], r[0]))
            }
        }
    }
}

/// Where a block's one-thread time goes (`--only ops:Mixed_6b`): each op timed alone (its weights
/// stay in L2 across runs) beside the whole block (every op's weights come from L3 once per pass).
if let only = opts.only, only.hasPrefix("ops:") {
    for spec in blockSpecs where only == "ops:" + spec.name {
        let ops = try makeBlock(spec, rng: &rng)
        for pool in pools {
            var sum = 0.0
            for (i, op) in ops.enumerated() {
                let ms = medianMs([op], pool: pool, runs: 300)
                sum += ms
                print(
                    String(
                        format: "%@ %dT op %2d %@: %.3f ms, %.1f GFLOP/s", spec.name, pool.threadCount, i,
                        String(describing: type(of: op)), ms, Double(op.flops) / ms / 1e6))
            }
            let block = medianMs(ops, pool: pool, runs: 300)
            print(String(format: "%@ %dT sum of ops %.3f ms, block %.3f ms", spec.name, pool.threadCount, sum, block))
        }
    }
}
