// InceptionRuntime — runs any node of an inception-layout/1 layout on ConvEngine, and times it.
//
//     let plan = try ExecutionPlan(layout: layout, options: PlanOptions(path: "inception_3a", batch: 1))
//     try plan.setInput(values)                 // NCHW [1, 192, 28, 28]
//     let ms = plan.runOnce(threads: 2)         // or plan.run(pool) on a ThreadPool you keep
//     let y = plan.outputValues()               // NCHW [1, 256, 28, 28]
//
//     let timer = EngineForwardTimer()          // the ForwardTimer the explorer and `bench` use
//     let r = try timer.time(layout, path: "inception_3a", options: TimingOptions(threads: 2),
//                            progress: { _ in }, isCancelled: { false })
//
// Files:
//   (weights — WeightSpec, WeightSource, ModelWeights, `.npy` I/O, the batchnorm fold — come from
//   InceptionWeights; the timing types it fills — ForwardTimer, TimingResult — from InceptionCore)
//   Plan/     ProgramBuilder (node path → symbolic Program of steps and buffer lifetimes), Program
//             (shape-exact buffer sharing), MemoryEstimate (bytes before allocating; the budget),
//             ExecutionPlan (tensors, packed weights, engine ops; run), PlanError, AlgorithmChoice
//             (AlgorithmChooser: per-conv direct or Winograd, accuracy-checked, timed on the real shape
//             under `auto`), ConvMethod+Engine (the engine's ConvAlgorithm ⇄ the core's ConvMethod)
//   Timing/   IterationLoop (warm-up, min count and time, cancel),
//             EngineForwardTimer (block + each branch), PeakCache (FMA peak per CPU and thread count),
//             AlgorithmCache (the `auto` choices per CPU, thread count and conv shape)
//   BuildConfiguration: `isDebugBuild` (timings from a debug build are flagged)
//
// A plan allocates everything at plan time; a run only computes. Inception branches write straight
// into their channel slices of the block's output (no concat copy), batchnorm is folded into the conv
// weights, dropout is the identity, aux heads are skipped unless `includeAux`.
