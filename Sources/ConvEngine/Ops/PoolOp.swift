/// Max or average pooling.
public enum PoolKind: Sendable {
    case max
    case average
}

/// A planned max or average pool on NCHW16c tensors, 16 channels per vector, into a channel slice.
/// One task per (image, channel block, output row).
public final class PoolOp: EngineOp, TaskedOp, @unchecked Sendable {
    public let kind: PoolKind
    public let params: PoolParams
    public let input: Tensor
    public let output: ChannelSlice
    public let outH: Int
    /// Output rows per task: about 512 output pixels, so a task is worth more than claiming it. At
    /// 128 pixels, 2 threads ran GoogLeNet's pools hardly faster than one (0.49 ms of a 6 ms pass):
    /// each claim moves the pool's counter line between the cores, and a task was a few hundred
    /// nanoseconds of work. `bench --profile`, 2 threads, 6 alternating rounds: GoogLeNet's max
    /// pools 0.490 → 0.399 ms, Inception-v3's average pools 0.647 → 0.522 ms; 2,048 pixels (whole
    /// planes, too few tasks to balance) was slower again, 0.458 ms.
    private let rowsPerTask: Int
    private let rowChunks: Int
    public let outW: Int
    public var flops: Int { 0 }
    private let store: SliceStore

    public init(_ kind: PoolKind, input: Tensor, output: ChannelSlice, params: PoolParams) throws {
        let s = input.shape
        let (oh, ow) = try params.outputSize(h: s.h, w: s.w)
        try output.validate("pool", n: s.n, channels: s.c, h: oh, w: ow)
        try checkNotAliased(input, output, "pool")
        guard s.w * MemoryLayout<SIMD16<Float>>.stride <= ThreadPool.scratchBytes else {
            throw EngineError.invalidShape("pool: input width \(s.w) exceeds the engine's row scratch")
        }
        self.kind = kind
        self.params = params
        self.input = input
        self.output = output
        outH = oh
        rowsPerTask = max(1, min(oh, 512 / max(ow, 1)))
        rowChunks = (oh + rowsPerTask - 1) / rowsPerTask
        outW = ow
        store = SliceStore(output, channels: s.c)
    }

    public func run(_ pool: ThreadPool) { runAsTasks(self, pool) }

    var taskCount: Int { input.shape.n * input.blocks * rowChunks }
    func taskPosition(_ t: Int) -> Int {
        (t / (input.blocks * rowChunks) * outH + t % rowChunks * rowsPerTask) * outW
    }
    var reads: [Tensor] { [input] }
    var writes: (slice: ChannelSlice, channels: Int) { (output, input.shape.c) }

    /// A few output rows of one channel block; the thread's scratch holds the reduced row: [w]
    /// vectors, each the max/sum of its column over the window's rows.
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer) {
        let perImage = input.blocks * rowChunks
        let columns = scratch.assumingMemoryBound(to: SIMD16<Float>.self)
        let chunk = t % rowChunks
        for oy in chunk * rowsPerTask..<min(outH, (chunk + 1) * rowsPerTask) {
            row(n: t / perImage, block: (t % perImage) / rowChunks, oy: oy, columns: columns)
        }
    }

    /// Separable: reduce each input column over the window's rows once, then each output over its
    /// window's columns — kh + kw vector ops per output instead of kh · kw. Windows are never empty
    /// (pad ≤ kernel / 2 and the ceil-mode rule), so each reduction starts from its first cell.
    private func row(n: Int, block: Int, oy: Int, columns: UnsafeMutablePointer<SIMD16<Float>>) {
        switch kind {
        case .max: reduceRow(MaxReducer.self, n: n, block: block, oy: oy, columns: columns)
        case .average: reduceRow(SumReducer.self, n: n, block: block, oy: oy, columns: columns)
        }
    }

    @inline(__always)
    private func reduceRow<R: PoolReducer>(
        _: R.Type, n: Int, block: Int, oy: Int,
        columns: UnsafeMutablePointer<SIMD16<Float>>
    ) {
        let s = input.shape
        let p = params
        if slidesThree {
            slideRow(R.self, n: n, block: block, oy: oy)
            return
        }
        let plane = UnsafePointer(input.data) + n * input.imageStride + block * input.blockStride
        let wy = PoolParams.window(oy, n: s.h, kernel: p.kernelH, stride: p.strideH, pad: p.padH)
        let rowStride = s.w &* channelBlock
        if wy.hi &- wy.lo == 3 {
            // Three rows (every 3×3 pool away from the border): no loop set-up per column.
            var cell = plane + wy.lo &* rowStride
            for x in 0..<s.w {
                columns[x] = R.combine(
                    R.combine(loadVector(cell), loadVector(cell + rowStride)),
                    loadVector(cell + 2 &* rowStride))
                cell += channelBlock
            }
        } else {
            for x in 0..<s.w {
                var cell = plane + (wy.lo &* s.w &+ x) &* channelBlock
                var v = loadVector(cell)
                var y = wy.lo &+ 1
                while y < wy.hi {
                    cell += rowStride
                    v = R.combine(v, loadVector(cell))
                    y &+= 1
                }
                columns[x] = v
            }
        }
        // Full 3-wide windows (GoogLeNet's and Inception-v3's 3×3/2 pools) combine their three
        // columns directly, in the same order as the loop: the loop set-up cost more than the work.
        let pixel0 = oy &* outW
        let direct = store.vectorPointer(n: n, block: block, pixel: pixel0)
        for ox in 0..<outW {
            let wx = PoolParams.window(ox, n: s.w, kernel: p.kernelW, stride: p.strideW, pad: p.padW)
            var v: SIMD16<Float>
            if wx.hi &- wx.lo == 3 {
                v = R.combine(R.combine(columns[wx.lo], columns[wx.lo &+ 1]), columns[wx.lo &+ 2])
            } else {
                v = columns[wx.lo]
                var x = wx.lo &+ 1
                while x < wx.hi {
                    v = R.combine(v, columns[x])
                    x &+= 1
                }
            }
            if R.self == SumReducer.self {
                let count = p.countPad ? wy.padded &* wx.padded : (wy.hi &- wy.lo) &* (wx.hi &- wx.lo)
                v /= SIMD16(repeating: Float(count))
            }
            if let direct {
                UnsafeMutableRawPointer(direct + ox &* channelBlock).storeBytes(of: v, as: SIMD16<Float>.self)
            } else {
                store.store(v, n: n, block: block, pixel: pixel0 &+ ox)
            }
        }
    }
}

extension PoolOp {
    /// The inception branch pool (3 wide, stride 1, pad 1; any height) on rows of at least 3: the
    /// window slides along the row with its three column reductions in registers, and whole output
    /// blocks are stored as vectors through one pointer. The general row code spent ~40 instructions
    /// per output on window bounds and loop set-up, and LLVM split its max into four 128-bit blends;
    /// here it is one vmaxps (3a's 192×28×28 max pool, 1 thread: 0.073 → 0.025 ms). Same combine
    /// order as the general code: the same bits (checked on aligned and misaligned slices). No
    /// nested functions in this path: with them LLVM lost the vmaxps again (0.058 ms).
    var slidesThree: Bool { params.kernelW == 3 && params.strideW == 1 && params.padW == 1 && input.shape.w >= 3 }

    @inline(__always)
    func slideRow<R: PoolReducer>(_: R.Type, n: Int, block: Int, oy: Int) {
        let s = input.shape
        let p = params
        let w = s.w
        let planeOffset: Int = n &* input.imageStride &+ block &* input.blockStride
        let wy = PoolParams.window(oy, n: s.h, kernel: p.kernelH, stride: p.strideH, pad: p.padH)
        let top = UnsafePointer(input.data) + (planeOffset &+ wy.lo &* w &* channelBlock)
        let rows = wy.hi &- wy.lo
        // Divisors: edge windows hold 2 columns (3 counting the pad), interior ones 3.
        let isAverage = R.self == SumReducer.self
        let edge = SIMD16<Float>(repeating: Float(p.countPad ? wy.padded &* 3 : rows &* 2))
        let inner = SIMD16<Float>(repeating: Float(p.countPad ? wy.padded &* 3 : rows &* 3))
        let pixel0 = oy &* outW
        var a = PoolOp.column(R.self, top, x: 0, rows: rows, width: w)
        var b = PoolOp.column(R.self, top, x: 1, rows: rows, width: w)
        var v = R.combine(a, b)
        if isAverage { v /= edge }
        store.store(v, n: n, block: block, pixel: pixel0)
        if let direct = store.vectorPointer(n: n, block: block, pixel: pixel0) {
            var out = direct + channelBlock
            var ox = 1
            while ox < w &- 1 {
                let c = PoolOp.column(R.self, top, x: ox &+ 1, rows: rows, width: w)
                var v = R.combine(R.combine(a, b), c)
                if isAverage { v /= inner }
                UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD16<Float>.self)
                a = b
                b = c
                out += channelBlock
                ox &+= 1
            }
        } else {
            var ox = 1
            while ox < w &- 1 {
                let c = PoolOp.column(R.self, top, x: ox &+ 1, rows: rows, width: w)
                var v = R.combine(R.combine(a, b), c)
                if isAverage { v /= inner }
                store.store(v, n: n, block: block, pixel: pixel0 &+ ox)
                a = b
                b = c
                ox &+= 1
            }
        }
        v = R.combine(a, b)
        if isAverage { v /= edge }
        store.store(v, n: n, block: block, pixel: pixel0 &+ w &- 1)
    }

    /// Column `x` of the window's `rows` rows from `top`, reduced top to bottom.
    @inline(__always)
    static func column<R: PoolReducer>(
        _: R.Type, _ top: UnsafePointer<Float>, x: Int, rows: Int, width: Int
    )
        -> SIMD16<Float>
    {
        var cell = top + x &* channelBlock
        var v = loadVector(cell)
        var y = 1
        while y < rows {
            cell += width &* channelBlock
            v = R.combine(v, loadVector(cell))
            y &+= 1
        }
        return v
    }
}

/// How a pool combines two cells, 16 channels at a time.
protocol PoolReducer {
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
}

enum MaxReducer: PoolReducer {
    /// Not pointwiseMax: that is lane-by-lane generic code here, 30x slower.
    @inline(__always)
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a.replacing(with: b, where: b .> a) }
}

enum SumReducer: PoolReducer {
    @inline(__always)
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a + b }
}
