import ConvEngine
import InceptionCore
import InceptionRuntime
import InceptionWeights

/// A plain forward pass of a layout node on NCHW arrays, built from ConvEngine's `Reference` ops
/// (Double-accumulating loops): the oracle the runtime's plans are checked against. Batchnorm is
/// applied as its own step (not folded), concatenation is explicit, aux heads are skipped.
struct ReferenceForward {
    let layout: Layout
    let weights: WeightSource
    let batch: Int

    typealias Value = (values: [Float], shape: TensorShape)

    /// Runs the node at `path` ("" = whole network) on `input`.
    func run(path: String, input: [Float]) throws -> Value {
        let analysis = Analysis(layout, batch: batch)
        if path.isEmpty {
            let s = layout.input
            return try run(
                layers: layout.layers.enumerated().map { ($0.element, $0.element.name ?? String($0.offset)) },
                x: (input, TensorShape(n: batch, c: s.channels, h: s.height, w: s.width)))
        }
        guard let address = layout.address(ofPath: path), let node = layout.node(at: address),
            let s = analysis.stats(at: address)?.input
        else { throw PlanError("reference: no node \(path)") }
        let x: Value = (input, TensorShape(n: batch, c: s.channels, h: s.height, w: s.width))
        switch node {
        case .branch(let b):
            return try run(
                layers: b.layers.enumerated().map { ($0.element, path + "/" + ($0.element.name ?? String($0.offset))) },
                x: x)
        case .layer(let l):
            if let inner = l.op.auxLayers {
                return try run(
                    layers: inner.enumerated().map {
                        ($0.element, path + "/" + ($0.element.name ?? String($0.offset)))
                    }, x: x)
            }
            return try run(layer: l, path: path, x: x)
        }
    }

    func run(layers: [(Layer, String)], x: Value) throws -> Value {
        var x = x
        for (l, p) in layers { x = try run(layer: l, path: p, x: x) }
        return x
    }

    func run(layer: Layer, path: String, x: Value) throws -> Value {
        let s = x.shape
        switch layer.op {
        case .conv(let c):
            let w = try weights.weights(for: WeightSpec(path: path, kind: .conv(c, inChannels: s.c)))
            let cw = try ConvWeights(
                outChannels: c.out, inChannels: s.c / c.groups, kernelH: c.kernel.h, kernelW: c.kernel.w,
                weight: w.weight, bias: w.bias)
            let pad = c.pad.resolved(kernel: c.kernel)
            let params = ConvParams(
                strideH: c.stride.h, strideW: c.stride.w, pad: Padding2D(h: pad.h, w: pad.w), relu: false)
            var y =
                c.groups == 1
                ? try Reference.conv2d(x.values, s, weights: cw, params: params)
                : try Reference.groupedConv2d(x.values, s, groups: c.groups, weights: cw, params: params)
            if w.needsBatchNormFold {
                let ones = [Float](repeating: 1, count: c.out), zeros = [Float](repeating: 0, count: c.out)
                y.values = Reference.batchNorm(y.values, y.shape, gamma: ones, beta: zeros, mean: zeros, variance: ones)
            }
            if c.activation == .relu { y.values = Reference.relu(y.values) }
            return y
        case .linear(let l):
            let w = try weights.weights(for: WeightSpec(path: path, kind: .linear(l, input: Shape(s.c, s.h, s.w))))
            let y = Reference.linear(
                x.values, s, outFeatures: l.out, weight: w.weight, bias: w.bias,
                relu: l.activation == .relu)
            return (y, TensorShape(n: s.n, c: l.out, h: 1, w: 1))
        case .maxpool(let p):
            return try Reference.pool(.max, x.values, s, params: poolParams(p))
        case .avgpool(let p):
            return try Reference.pool(.average, x.values, s, params: poolParams(p))
        case .globalavgpool:
            return (Reference.globalAvgPool(x.values, s), TensorShape(n: s.n, c: s.c, h: 1, w: 1))
        case .lrn(let l):
            return (
                Reference.lrn(
                    x.values, s,
                    params: LRNParams(
                        size: l.size, alpha: Float(l.alpha), beta: Float(l.beta),
                        k: Float(l.k))), s
            )
        case .dropout, .aux:
            return x
        case .softmax:
            return (Reference.softmax(x.values, s), s)
        case .relu:
            return (Reference.relu(x.values), s)
        case .l2norm(let eps):
            return (Reference.l2Normalize(x.values, s, epsilon: eps), s)
        case .batchnorm(let eps):
            // The folded per-channel scale and shift, applied plainly: y = scale[c]·x + shift[c].
            let w = try weights.weights(for: WeightSpec(path: path, kind: .batchnorm(channels: s.c, epsilon: eps)))
            var y = x.values
            let plane = s.h * s.w
            for i in y.indices {
                let c = (i / plane) % s.c
                y[i] = w.weight[c] * y[i] + (w.bias?[c] ?? 0)
            }
            return (y, s)
        case .gelu:
            return (Reference.activation(x.values, .gelu), s)
        case .layernorm(let eps):
            let w = try weights.weights(for: WeightSpec(path: path, kind: .layernorm(channels: s.c, epsilon: eps)))
            return (
                Reference.layerNorm(
                    x.values, s, gamma: w.weight, beta: w.bias ?? .init(repeating: 0, count: s.c),
                    epsilon: eps), s
            )
        case .layerscale:
            let w = try weights.weights(for: WeightSpec(path: path, kind: .layerscale(channels: s.c)))
            return (Reference.channelAffine(x.values, s, scale: w.weight, shift: nil, activation: .none), s)
        case .block(let block):
            var parts: [Value] = []
            var start = 0
            for (b, branch) in block.branches.enumerated() {
                let bp = path + "/" + (branch.name ?? String(b))
                // A split's branch reads its slice of the channels, copied out plainly.
                var bx = x
                if case .split(let sizes) = block.join {
                    bx = (
                        Reference.channels(x.values, s, start..<start + sizes[b]),
                        TensorShape(n: s.n, c: sizes[b], h: s.h, w: s.w)
                    )
                    start += sizes[b]
                }
                parts.append(
                    try run(
                        layers: branch.layers.enumerated().map {
                            ($0.element, bp + "/" + ($0.element.name ?? String($0.offset)))
                        },
                        x: bx))
            }
            let first = parts[0].shape
            switch block.join {
            case .concat, .split:
                return (
                    Reference.concat(parts),
                    TensorShape(n: s.n, c: parts.map(\.shape.c).reduce(0, +), h: first.h, w: first.w)
                )
            case .sum(let activation):
                // Plain: Σ scale_b · y_b, in Double, then the activation.
                var sum = [Double](repeating: 0, count: parts[0].values.count)
                for (b, part) in parts.enumerated() {
                    let scale = block.branches[b].scale
                    for i in sum.indices { sum[i] += scale * Double(part.values[i]) }
                }
                let y = sum.map { Float(activation == .relu ? max(0, $0) : $0) }
                return (y, first)
            }
        }
    }

    func poolParams(_ p: Pool) -> PoolParams {
        PoolParams(
            kernelH: p.kernel.h, kernelW: p.kernel.w, strideH: p.stride.h, strideW: p.stride.w,
            padH: p.pad.h, padW: p.pad.w, ceilMode: p.ceil, countPad: p.countPad)
    }
}

/// Plans `layout` (or its node `path`), runs the plan on a seeded N(0, 1) input on `threads`
/// threads, and runs the reference forward pass (every layer its own plain step) on the same input:
/// the one way the runtime's tests compare a plan with its oracle.
func runBesideReference(
    _ layout: Layout, path: String = "", batch: Int = 2, threads: Int = 2, weights: WeightSource,
    algorithm: AlgorithmPolicy = .direct, onWeights: ((WeightSpec, LayerWeights) throws -> Void)? = nil
) throws -> (plan: ExecutionPlan, ours: [Float], ref: ReferenceForward.Value, error: Double) {
    let plan = try ExecutionPlan(
        layout: layout,
        options: PlanOptions(path: path, batch: batch, threads: threads, weights: weights, algorithm: algorithm),
        onWeights: onWeights)
    let input = seededInput(plan.input.shape.count)
    try plan.setInput(input)
    let pool = ThreadPool(threads: threads)
    defer { pool.shutdown() }
    plan.run(pool)
    let ref = try ReferenceForward(layout: layout, weights: weights, batch: batch).run(path: path, input: input)
    let ours = plan.outputValues()
    return (plan, ours, ref, maxRelativeError(ours, ref.values))
}

/// max |a − b| / max |b|: the error relative to the reference output's scale (elementwise relative
/// error is meaningless at the exact zeros ReLU produces).
func maxRelativeError(_ a: [Float], _ b: [Float]) -> Double {
    guard a.count == b.count, !b.isEmpty else { return .infinity }
    var diff = 0.0, scale = 0.0
    for (x, y) in zip(a, b) {
        diff = max(diff, abs(Double(x) - Double(y)))
        scale = max(scale, abs(Double(y)))
    }
    return scale > 0 ? diff / scale : diff
}

/// N(0, 1) values from a seeded stream.
func seededInput(_ count: Int, seed: UInt64 = 7) -> [Float] {
    var rng = SplitMix64(seed: seed, stream: "test-input")
    return rng.normals(count, std: 1)
}
