/// Elementwise weighted sum of N tensors of one shape, then an activation:
/// `out = act(Σᵢ scaleᵢ · inputᵢ)`, into a channel slice. The residual join for when it cannot be
/// fused into the conv that ends a branch (`Residual`): a join of two computed branches, a
/// shortcut after a pool, Xception's projection shortcut, … Inputs are read 16 channels at a time;
/// the sum runs in input order (bitwise the same on any thread count). The output may be one of the
/// inputs (in place) when it is exactly that input's channels.
public final class SumOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let inputs: [Tensor]
    public let scales: [Float]
    public let activation: Activation
    public let output: ChannelSlice
    public var flops: Int { 0 }
    private let split: ElementwiseTasks
    private let store: SliceStore

    /// `scales`: one per input (default all 1).
    public init(inputs: [Tensor], scales: [Float]? = nil, activation: Activation = .none, output: ChannelSlice) throws {
        guard let first = inputs.first else { throw EngineError.invalidParameter("sum: no inputs") }
        let s = first.shape
        for (i, t) in inputs.enumerated() where t.shape != s {
            throw EngineError.invalidShape("sum: input \(i) is \(t.shape), input 0 is \(s)")
        }
        let sc = scales ?? [Float](repeating: 1, count: inputs.count)
        guard sc.count == inputs.count, sc.allSatisfy(\.isFinite) else {
            throw EngineError.invalidParameter("sum: \(sc.count) finite scales needed for \(inputs.count) inputs")
        }
        try output.validate("sum", n: s.n, channels: s.c, h: s.h, w: s.w)
        for t in inputs { try checkElementwiseAlias(t, output, "sum") }
        self.inputs = inputs
        self.scales = sc
        self.activation = activation
        self.output = output
        split = ElementwiseTasks(s)
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { split.count }
    func taskPosition(_ t: Int) -> Int { split.position(t) }
    var reads: [Tensor] { inputs }
    var writes: (slice: ChannelSlice, channels: Int) { (output, inputs[0].shape.c) }

    /// One chunk of one block: scale₀ · x₀ into thread scratch, each further input added there (a
    /// stream per input), then the activation on the way to the output.
    func runTask(_ t: Int, scratch raw: UnsafeMutableRawPointer) {
        let (n, block, pixels) = split.task(t)
        let acc = raw.assumingMemoryBound(to: SIMD16<Float>.self)
        func plane(_ x: Tensor) -> UnsafePointer<Float> {
            UnsafePointer(x.data) + n * x.imageStride + block * x.blockStride + pixels.lowerBound * channelBlock
        }
        let count = pixels.count
        let s0 = SIMD16<Float>(repeating: scales[0])
        var x = plane(inputs[0])
        for p in 0..<count { acc[p] = s0 * loadVector(x + p &* channelBlock) }
        for i in 1..<inputs.count {
            x = plane(inputs[i])
            if scales[i] == 1 {
                for p in 0..<count { acc[p] += loadVector(x + p &* channelBlock) }
            } else {
                let si = SIMD16<Float>(repeating: scales[i])
                for p in 0..<count { acc[p] = acc[p].addingProduct(si, loadVector(x + p &* channelBlock)) }
            }
        }
        let act = activation
        if let y = store.vectorPointer(n: n, block: block, pixel: pixels.lowerBound) {
            for p in 0..<count {
                UnsafeMutableRawPointer(y + p &* channelBlock).storeBytes(of: act.apply(acc[p]), as: SIMD16<Float>.self)
            }
        } else {
            for p in 0..<count { store.store(act.apply(acc[p]), n: n, block: block, pixel: pixels.lowerBound + p) }
        }
    }
}
