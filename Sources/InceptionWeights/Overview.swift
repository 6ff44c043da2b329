// InceptionWeights — a layout's conv and linear weights without the engine: what each layer needs,
// where the values come from, and the `.npy` files they are read from and written to. Foundation
// and InceptionCore only, so the ONNX codec, the explorer and the test helpers use weights without
// compiling ConvEngine.
//
//     let specs = WeightSpec.all(in: layout)                    // every conv and linear layer
//     let w = try WeightSource.generated(seed: 0).weights(for: specs[0])
//     try NpyFile.write("conv1.weight.npy", shape: w.weightShape, values: w.weight)
//
// Files:
//   Npy/      NpyHeader (format 1.0/2.0 '<f4' C-order headers), NpyFile (read, write, header-only check)
//   Weights/  SplitMix64 + Box–Muller (SeededNormal), WeightSpec (file names, expected shapes),
//             LayerWeights, BatchNormFold (the one batchnorm fold), WeightSource (seeded He-normal,
//             a directory of .npy files checked before planning, or a model's own), ModelWeights
//             (an imported model's weights in memory)
