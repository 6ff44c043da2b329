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
// reads a whole tensor and writes a `ChannelSlice` of another, at any channel offset.
//
// Files:
//   Tensor/       TensorShape, EngineError, Tensor (aligned NCHW16c buffer, NCHW conversions), ChannelSlice
//   Threading/    ThreadPool (persistent workers, per-thread scratch, deterministic task split)
//   Conv/         ConvParams, ConvWeights (+ batchnorm folding, packing), the micro-kernel, Conv2DOp
//   Ops/          EngineOp protocol, PoolParams, PoolOp (max/avg), GlobalAvgPoolOp, LRNOp, LinearOp, SoftmaxOp,
//                 ChannelCopyOp, TaskedOp (an op as prologue + main tasks), OpGraph (ops with inferred
//                 dependencies as one parallel run), ConcurrentOps (independent ops), SliceStore
//   Reference/    `Reference`: plain Double-accumulating loops for every op — the tests' oracle
//   Probe/        measurePeakGFLOPS(threads:)
//
// Speed (2-core Zen 4, AVX-512, Swift 6.3.1 release): 105–117 GFLOP/s per core on conv shapes of
// GoogLeNet and Inception-v3 (FMA peak ≈ 117); GoogLeNet inception_3a ≈ 2.25 ms on one thread and
// ≈ 1.13 ms on two (1.98x; run as one OpGraph), 0.97 and 0.93 of onnxruntime 1.32's time — see
// docs/benchmarks.md, Benchmarks/engine-microbench (`--only ab` compares ways to run whole blocks).
