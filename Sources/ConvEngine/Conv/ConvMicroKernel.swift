import CPrefetch

/// Everything one call of the conv micro-kernel needs: a run of output pixels in one output row,
/// for a group of up to 4 output-channel blocks (64 channels).
///
/// All strides are in floats. Input pointers address the (zero-padded) NCHW16c input.
struct ConvKernelArgs {
    /// Input at the first output pixel's window origin (tap 0,0), channel block 0.
    var x: UnsafePointer<Float>
    /// Between the window origins of neighbouring output pixels: strideW · 16.
    var xPixel: Int
    /// Length of the reduction: real input channels · kh · kw.
    var reduction: Int
    /// `[reduction]`: offset of each reduction step's input value from the window origin
    /// (block · planeSize + kh · rowSize + kw · 16 + channel), precomputed at plan time.
    var xOffsets: UnsafePointer<Int32>
    /// Packed weights of the group's first output block (`PackedConvWeights` layout).
    var w: UnsafePointer<Float>
    /// Between the weight vectors of neighbouring output blocks, and between reduction steps:
    /// `PackedConvWeights` has reduction · 16 and 16 (a stream per block); the Winograd weights are
    /// interleaved by group, 16 and blocks · 16 (one stream per group, see `WinogradWeights`).
    var wBlock: Int
    var wStep: Int = channelBlock
    /// Bias of the group's first output block, 16 floats per block.
    var bias: UnsafePointer<Float>
    var relu: Bool
    /// Destination of the row's first pixel in the group's first destination block (aligned case).
    var y: UnsafeMutablePointer<Float>
    /// Between destination channel blocks: outH · outW · 16.
    var yBlock: Int
    /// True when the group's blocks map onto whole destination blocks (16-aligned slice offset, all
    /// lanes real): results go straight to `y` as vectors. Otherwise each tile goes to a scratch tile
    /// and is scattered lane by lane, using the fields below.
    var alignedStore: Bool
    /// Destination image base, first destination channel of the group, first output pixel of the row,
    /// and how many of the group's output channels are real.
    var yImage: UnsafeMutablePointer<Float>
    var yChannel0: Int
    var yPixel0: Int
    var validChannels: Int
    /// Software prefetch beside the reduction (`WeightPrefetch`): every `aheadEvery`-th step
    /// requests the next cache line from `ahead` on, so a call spreads its share of the next
    /// weights over its whole reduction. 0: no prefetch.
    var ahead: UnsafeRawPointer? = nil
    var aheadEvery: Int = 0
    /// Partial sums to continue from (`ConvReductionChunks`): the tile's accumulators start as the
    /// values stored here (the call's first pixel, block stride `partialBlock`, pixel stride 16)
    /// instead of zero. nil: start from zero.
    var partial: UnsafePointer<Float>? = nil
    var partialBlock: Int = 0
}

extension ConvKernelArgs {
    /// A direct conv's call: the packed weights of output-channel `group` from reduction step
    /// `kStart` on, the results (bias, ReLU) into channels of `output` from pixel `pixel0` of image
    /// `n` — as whole vectors where the group's blocks are whole destination blocks.
    init(
        x: UnsafePointer<Float>, xPixel: Int, reduction: Int, xOffsets: UnsafePointer<Int32>,
        packed: PackedConvWeights, group: (first: Int, count: Int), kStart: Int = 0, relu: Bool,
        output: ChannelSlice, outChannels: Int, n: Int, pixel0: Int
    ) {
        let dst = output.tensor
        let yImage = dst.data + n * dst.imageStride
        let ch0 = output.offset + group.first * channelBlock
        let valid = outChannels - group.first * channelBlock
        self.init(
            x: x, xPixel: xPixel, reduction: reduction, xOffsets: xOffsets,
            w: packed.weights + group.first * packed.outBlockStride + kStart * channelBlock,
            wBlock: packed.outBlockStride, bias: packed.bias + group.first * channelBlock, relu: relu,
            y: yImage + (ch0 / channelBlock) * dst.blockStride + pixel0 * channelBlock, yBlock: dst.blockStride,
            alignedStore: ch0 % channelBlock == 0 && valid >= group.count * channelBlock,
            yImage: yImage, yChannel0: ch0, yPixel0: pixel0, validChannels: valid)
    }
}

/// The register-blocked conv micro-kernel: FB output blocks × P output pixels of accumulators.
///
/// For each input channel of each tap it loads FB weight vectors (16 output channels each) and
/// broadcasts P input values, then does FB·P independent FMAs. FB·P ≤ 24 accumulators + FB weights +
/// one broadcast fit AVX-512's 32 vector registers, and ≥ 8 independent chains hide FMA latency. The
/// whole reduction (all input blocks and taps) happens in registers, in a fixed order, so a pixel's
/// result never depends on how the work was split. Bias and ReLU are applied on the way out.
///
/// The reduction is one flat loop over (input block, kh, kw, channel) steps with an offset table, not
/// four nested loops: with nested loops LLVM's register allocator shuffled and spilled the
/// accumulators at loop boundaries, depending on unrelated code elsewhere in the module (same kernel
/// measured 30–114 GFLOP/s). Also measured: index arithmetic is wrapping (`&*`) so no overflow checks
/// sit in the loop; the accumulators pass through `step` by value; nothing here selects lanes or
/// calls out while they are live — each of those made LLVM keep them in memory (2.5x slower).
enum ConvMicroKernel<let FB: Int, let P: Int> {
    typealias Row = InlineArray<FB, SIMD16<Float>>

    /// Computes the tile at `pixelOffset` pixels into the row and stores it at `y` (tile's first
    /// pixel, block stride `yBlock`, pixel stride 16).
    @inline(never)
    static func run(_ a: ConvKernelArgs, pixelOffset: Int, y: UnsafeMutablePointer<Float>, yBlock: Int) {
        if a.partial != nil { return runContinuing(a, pixelOffset: pixelOffset, y: y, yBlock: yBlock) }
        if a.aheadEvery > 0, a.ahead != nil { return runPrefetching(a, pixelOffset: pixelOffset, y: y, yBlock: yBlock) }
        reduce(a, pixelOffset: pixelOffset, y: y, yBlock: yBlock, beside: NoPrefetch(a), from: zeros())
    }

    /// `run` from the partial sums at `a.partial` (a later chunk of a split reduction); a function
    /// of its own for the same reason as `runPrefetching`.
    @inline(never)
    static func runContinuing(_ a: ConvKernelArgs, pixelOffset: Int, y: UnsafeMutablePointer<Float>, yBlock: Int) {
        let from = loadPartial(a.partial.unsafelyUnwrapped, block: a.partialBlock)
        if a.aheadEvery > 0, a.ahead != nil {
            reduce(a, pixelOffset: pixelOffset, y: y, yBlock: yBlock, beside: LinePrefetch(a), from: from)
        } else {
            reduce(a, pixelOffset: pixelOffset, y: y, yBlock: yBlock, beside: NoPrefetch(a), from: from)
        }
    }

    /// `run` with a software prefetch every few reduction steps (`ConvKernelArgs.ahead`). A function of
    /// its own: as a second loop inside `run`, LLVM spilled the accumulators of the 1 × 16 kernel
    /// (a 192 → 16 1×1 ran 2.5× slower even without prefetching).
    @inline(never)
    static func runPrefetching(_ a: ConvKernelArgs, pixelOffset: Int, y: UnsafeMutablePointer<Float>, yBlock: Int) {
        reduce(a, pixelOffset: pixelOffset, y: y, yBlock: yBlock, beside: LinePrefetch(a), from: zeros())
    }

    @inline(__always)
    static func zeros() -> InlineArray<P, Row> { InlineArray<P, Row>(repeating: Row(repeating: .zero)) }

    /// The tile's accumulators as stored by an earlier chunk (`store` with zero bias, no ReLU).
    @inline(__always)
    static func loadPartial(_ t: UnsafePointer<Float>, block: Int) -> InlineArray<P, Row> {
        var acc = zeros()
        for p in 0..<P {
            for f in 0..<FB {
                acc[p][f] = UnsafeRawPointer(t + (f &* block &+ p &* channelBlock)).load(as: SIMD16<Float>.self)
            }
        }
        return acc
    }

    /// The whole reduction in registers, then the store; `beside` runs at every step.
    @inline(__always)
    static func reduce<B: ReductionSideWork>(
        _ a: ConvKernelArgs, pixelOffset: Int, y: UnsafeMutablePointer<Float>,
        yBlock: Int, beside b: B, from start: InlineArray<P, Row>
    ) {
        var side = b
        var acc = start
        let x0 = a.x + pixelOffset &* a.xPixel
        var wp = a.w
        for k in 0..<a.reduction {
            side.step()
            var wv = Row(repeating: .zero)
            for f in 0..<FB { wv[f] = UnsafeRawPointer(wp + f &* a.wBlock).load(as: SIMD16<Float>.self) }
            acc = step(acc, wv, x0 + Int(a.xOffsets[k]), a.xPixel)
            wp += a.wStep
        }
        store(acc, a, y: y, yBlock: yBlock)
    }

    /// Bias and ReLU on the accumulators as they are stored (a second pass over the stored tile
    /// cost 3.8% of a GoogLeNet pass); a blend, not pointwiseMax, which can stay lane by lane.
    @inline(__always)
    static func store(_ acc: InlineArray<P, Row>, _ a: ConvKernelArgs, y: UnsafeMutablePointer<Float>, yBlock: Int) {
        let relu = a.relu
        for f in 0..<FB {
            let bias = UnsafeRawPointer(a.bias + f &* channelBlock).load(as: SIMD16<Float>.self)
            for p in 0..<P {
                let v = acc[p][f] + bias
                UnsafeMutableRawPointer(y + (f &* yBlock &+ p &* channelBlock))
                    .storeBytes(
                        of: relu ? v.replacing(with: 0, where: v .< SIMD16<Float>()) : v, as: SIMD16<Float>.self)
            }
        }
    }

    /// One input channel of one tap: FB·P FMAs.
    @inline(__always)
    static func step(
        _ acc0: InlineArray<P, Row>, _ wv: Row, _ x: UnsafePointer<Float>, _ xPixel: Int
    )
        -> InlineArray<P, Row>
    {
        var acc = acc0
        for p in 0..<P {
            let b = SIMD16<Float>(repeating: x[p &* xPixel])
            for f in 0..<FB { acc[p][f] = acc[p][f].addingProduct(b, wv[f]) }
        }
        return acc
    }
}

/// What the micro-kernel's reduction loop does beside its FMAs, once per step.
protocol ReductionSideWork {
    mutating func step()
}

/// Nothing: the plain kernel.
struct NoPrefetch: ReductionSideWork {
    init(_ a: ConvKernelArgs) {}
    @inline(__always) func step() {}
}

/// One software prefetch every `aheadEvery` steps, the call's share of the next weights in turn
/// (`WeightPrefetch.share`); not one per step: a prefetch per step cost 10–18% of a warm F(2,3) conv.
struct LinePrefetch: ReductionSideWork {
    private var next: UnsafeRawPointer
    private let every: Int
    private var countdown = 1

    init(_ a: ConvKernelArgs) {
        next = a.ahead.unsafelyUnwrapped
        every = a.aheadEvery
    }

    @inline(__always)
    mutating func step() {
        countdown &-= 1
        if countdown == 0 {
            ie_prefetch(next)
            next += WeightPrefetch.lineBytes
            countdown = every
        }
    }
}
