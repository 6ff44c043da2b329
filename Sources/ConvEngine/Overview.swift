// ConvEngine — the fast convolution engine behind Inception Explorer's forward-pass timings.
//
// It knows nothing of layouts: it takes shapes and buffers. A caller plans once, runs many times:
//
//     let pool = ThreadPool(threads: 2)                     // default: all cores
//     let x = try Tensor(shape: TensorShape(n: 1, c: 192, h: 28, w: 28))
//     try x.load(nchw: values)                              // NCHW floats → internal NCHW16c
//     let concat = try Tensor(shape: TensorShape(n: 1, c: 256, h: 28, w: 28))
//     let w = try ConvWeights(outChannels: 64, inChannels: 192, kernelH: 1, kernelW: 1,
//                             weight: wValues, bias: bValues)   // PyTorch order [out][in][kh][kw]
//     let branch1 = try Conv2DOp(input: x, output: ChannelSlice(concat, offset: 0),
//                                params: ConvParams(relu: true), weights: w)
//     ... more ops, each writing its channel slice of `concat` (concatenation is free)
//     for op in ops { op.run(pool) }                        // no allocation inside a run
//     // or: the whole block as one parallel run, each task waiting only for the ops it depends on
//     // (inferred from reads and writes; bitwise the same result as one by one):
//     let block = try OpGraph(ops);  block.run(pool)
//     let y = concat.toNCHW()
//
// Layout: activations live in NCHW16c (`Tensor`), channel blocks of 16 = one SIMD16<Float>. Every op
// reads a whole tensor and writes a `ChannelSlice` of another, at any channel offset. A tensor may be a
// view of whole channel blocks of another (`Tensor.channelView`: a split with no copy).
//
// Files:
//   Tensor/       TensorShape, EngineError, Tensor (aligned NCHW16c buffer, NCHW conversions, channel
//                 views), ChannelSlice
//   Threading/    ThreadPool (persistent workers, per-thread scratch, deterministic task split)
//   Conv/         ConvParams, ConvWeights (+ packing), the micro-kernel, Conv2DOp,
//                 CompactInputConvOp (the stem conv on a compact copy of the image), PooledConvOp (a
//                 stride-1 pool computed inside the 1×1 conv after it), ConvAlgorithm (direct or
//                 Winograd: candidates, op factory, weight bytes, executed MACs), ConvEpilogue
//                 (`Residual`: act(shortcut + scale · conv) fused into the conv; GELU on stored
//                 tiles), DepthwiseConvOp (groups = channels, lane = channel), GroupedDirectConvOp
//                 (a direct conv per group; `makeGroupedConv` picks among the three)
//   Winograd/     WinogradTransform (Bᵀ, G, Aᵀ written out for F(2,3), F(4,3), F(6,3); Toom–Cook for
//                 F(2,5), F(4,5), F(2,7), F(4,7)), WinogradTiles (hand-expanded 3×3 and sparse generic tile
//                 transforms), WinogradWeights (U packed once), WinogradConvOp (tiles → t² GEMMs on the
//                 micro-kernel → output, in thread scratch)
//   Ops/          EngineOp protocol, PoolParams, PoolOp (max/avg), GlobalAvgPoolOp, LRNOp, LinearOp, SoftmaxOp,
//                 ChannelCopyOp (any channel range), ChannelSplit (views on blocks, copies otherwise),
//                 TaskedOp (an op as prologue + main tasks), OpGraph (ops with inferred
//                 dependencies as one parallel run), ConcurrentOps (independent ops), SliceStore
//   Elementwise/  Activation (none / ReLU / GELU), the vector GELU (erf form, a fitted rational erf), SumOp (act of
//                 a scaled sum: residual joins that do not fuse), ChannelAffineOp (standalone
//                 batchnorm, layer scale, ReLU, GELU), LayerNormOp (over channels per pixel)
//   Reference/    `Reference`: plain Double-accumulating loops for every op — the tests' oracle — and
//                 the plain Winograd (`winogradConv`, matrix products, in Float like the fast op)
//   Probe/        measurePeakGFLOPS(threads:), measureBandwidthGBs(threads:) (STREAM triad)
//
// Speed: on the 2-core Zen 4 of runs 1–3 (FMA peak ≈ 117 GFLOP/s per core) the direct conv ran
// 105–117 GFLOP/s per core; on the Zen 5 of run 4 (peak ≈ 250) it runs 220–255, and Winograd layers
// 1.3–6× faster than direct (effective rates up to ~700 GFLOP/s) — see docs/benchmarks.md,
// Benchmarks/engine-microbench (`--only ab` compares ways to run whole blocks).
