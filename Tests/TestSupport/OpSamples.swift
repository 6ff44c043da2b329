import InceptionCore

/// One small valid layout per op kind and per join, for the conformance tests that every place
/// (codec, schema, labels, runtime, ONNX, torch) handles every kind. The switches are exhaustive on
/// purpose: a new `Op.Kind` or `Join.Kind` does not compile here until it has a sample, and then
/// every conformance test runs it.
public enum OpSamples {
    static func conv(_ out: Int, _ k: Int = 1, pad: Int = 0, bn: Bool = false, relu: Bool = true) -> Layer {
        Layer(
            .conv(
                Conv(
                    out: out, kernel: Pair(k, k), pad: .explicit(Pair(pad, pad)), bias: !bn, batchnorm: bn,
                    activation: relu ? .relu : .none)))
    }

    /// A layout (input 6×7×7) in which `kind` appears, with a named layer `sample` of that kind.
    public static func layout(for kind: Op.Kind) -> Layout {
        let op: Op
        var before: [Layer] = [], after: [Layer] = []
        switch kind {
        case .conv:
            op = .conv(
                Conv(
                    out: 5, kernel: Pair(3, 1), stride: Pair(2, 1), pad: .explicit(Pair(1, 0)), bias: false,
                    batchnorm: true))
            // Depthwise (groups = in) then grouped with a channel multiplier, as Xception and ResNeXt use them.
            after = [
                Layer(
                    name: "depthwise",
                    .conv(
                        Conv(
                            out: 5, kernel: Pair(3, 3), pad: .explicit(Pair(1, 1)), bias: false,
                            batchnorm: true, activation: .none, groups: 5))),
                Layer(name: "grouped", .conv(Conv(out: 10, kernel: Pair(1, 1), groups: 5))),
            ]
        case .maxpool: op = .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1), ceil: true))
        case .avgpool: op = .avgpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1), countPad: false))
        case .globalavgpool: op = .globalavgpool
        case .lrn: op = .lrn(LRN(size: 3, alpha: 0.001, beta: 0.75, k: 2))
        case .dropout: op = .dropout(rate: 0.3); before = [conv(4)]; after = [conv(3)]
        case .softmax: op = .softmax; before = [conv(4)]
        case .relu:
            // After a pool, as in Xception's blocks (after a conv the importer folds it into the conv).
            op = .relu
            before = [
                conv(4, relu: false), Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1)))),
            ]
            after = [conv(3, 3, pad: 1)]
        case .batchnorm:
            // After a pool (after a conv the importer folds it into the conv), with a non-default eps.
            op = .batchnorm(epsilon: 0.001)
            before = [conv(4), Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1))))]
            // And on a linear layer's vector, as facenet's last_bn (BatchNorm1d) after its last_linear.
            after = [
                conv(3, 3, pad: 1), Layer(.globalavgpool), Layer(.linear(Linear(out: 5, bias: false))),
                Layer(name: "vector", .batchnorm(epsilon: 0.001)),
            ]
        case .gelu:
            // After a pool (the ONNX import reads Conv → Gelu as two layers either way).
            op = .gelu
            before = [
                conv(4, relu: false), Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1)))),
            ]
            after = [conv(3, 3, pad: 1)]
        case .layernorm:
            // Over the channels of each pixel (timm's LayerNorm2d), and again on the vector after a
            // linear as InceptionNeXt's head has it: fc1 → GELU → LayerNorm → fc2.
            op = .layernorm(epsilon: 1e-6)
            before = [conv(4, relu: false)]
            after = [
                conv(3, 3, pad: 1), Layer(.globalavgpool), Layer(.linear(Linear(out: 8))), Layer(.gelu),
                Layer(name: "head_norm", .layernorm(epsilon: 1e-5)), Layer(.linear(Linear(out: 3))),
            ]
        case .layerscale:
            // After a conv, and again where InceptionNeXt has it: last in a residual branch, right
            // before the sum (a per-channel Mul there is not the branch's constant scale).
            op = .layerscale
            before = [conv(4, relu: false)]
            after = [
                Layer(
                    name: "block",
                    .block(
                        Block(
                            branches: [
                                Branch(name: "shortcut", layers: []),
                                Branch(name: "mlp", layers: [conv(4, relu: false), Layer(.layerscale)]),
                            ], join: .sum(activation: .none)))), conv(3),
            ]
        case .l2norm:
            // Over each pixel's channels of a map (non-default eps), and over a linear layer's vector
            // with F.normalize's eps, as facenet-pytorch's embedding ends.
            op = .l2norm(epsilon: 1e-6)
            before = [conv(4, relu: false)]
            after = [
                conv(3, 3, pad: 1), Layer(.globalavgpool), Layer(.linear(Linear(out: 5))),
                Layer(name: "embedding", .l2norm(epsilon: 1e-12)),
            ]
        case .linear: op = .linear(Linear(out: 5, activation: .relu)); before = [Layer(.globalavgpool)]
        case .inception: return layout(for: Join.Kind.concat)
        case .aux:
            op = .aux(layers: [
                Layer(.avgpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2)))), conv(4), Layer(.linear(Linear(out: 3))),
            ])
            before = [conv(4)]; after = [conv(3)]
        }
        return Layout(
            name: "sample-\(kind.rawValue)", input: Shape(6, 7, 7),
            layers: before + [Layer(name: "sample", op)] + after)
    }

    /// A layout (input 6×7×7) whose layer `sample` is a block with `join`.
    public static func layout(for join: Join.Kind) -> Layout {
        let block: Block
        switch join {
        case .concat:
            block = Block(branches: [
                Branch(name: "a", layers: [conv(3)]),
                Branch(name: "b", layers: [conv(2), conv(5, 3, pad: 1)]),
                Branch(
                    name: "c",
                    layers: [Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1)))), conv(2)]),
            ])
        case .sum:
            block = Block(
                branches: [
                    Branch(name: "shortcut", layers: []),
                    Branch(name: "residual", scale: 0.17, layers: [conv(4), conv(6, 3, pad: 1, relu: false)]),
                    Branch(name: "projection", scale: 0.5, layers: [conv(6, bn: true, relu: false)]),
                ], join: .sum(activation: .relu))
        case .split:
            // 40 channels cut 16/12/12: a view (channels 0..<16, on a block) read by a depthwise
            // 3x3, an identity slice copied straight to the output, and a copied slice (28..<40)
            // read by a depthwise 1x3, as InceptionNeXt's branches (its identity comes first).
            return Layout(
                name: "sample-split", input: Shape(6, 7, 7),
                layers: [
                    conv(40),
                    Layer(
                        name: "sample",
                        .block(
                            Block(
                                branches: [
                                    Branch(
                                        name: "hw",
                                        layers: [
                                            Layer(
                                                .conv(
                                                    Conv(
                                                        out: 16, kernel: Pair(3, 3), pad: .explicit(Pair(1, 1)),
                                                        activation: .none, groups: 16)))
                                        ]),
                                    Branch(name: "id", layers: []),
                                    Branch(
                                        name: "w",
                                        layers: [
                                            Layer(
                                                .conv(
                                                    Conv(
                                                        out: 12, kernel: Pair(1, 3), pad: .explicit(Pair(0, 1)),
                                                        activation: .none, groups: 12)))
                                        ]),
                                ], join: .split(sizes: [16, 12, 12])))),
                    conv(3),
                ])
        }
        return Layout(
            name: "sample-\(join.rawValue)", input: Shape(6, 7, 7),
            layers: [conv(6), Layer(name: "sample", .block(block)), conv(3)])
    }

    /// Every sample: one per op kind, one per join.
    public static var all: [Layout] {
        Op.Kind.allCases.map { layout(for: $0) } + Join.Kind.allCases.map { layout(for: $0) }
    }
}
