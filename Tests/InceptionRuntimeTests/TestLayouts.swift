import InceptionCore

/// Small hand-made layouts with odd sizes that exercise every op kind and block shape.
enum TestLayouts {
    /// Every leaf op: strided, 1×n / n×1, "same", asymmetric and wider-than-half pads, batchnorm
    /// without bias, ceil-mode max pool, LRN, avg pool without counting pads, dropout, linear, softmax.
    static let ops = Layout(
        name: "ops", input: Shape(5, 13, 11),
        layers: [
            Layer(name: "c1", .conv(Conv(out: 7, kernel: Pair(3, 3), stride: Pair(2, 2), pad: .explicit(Pair(1, 1))))),
            Layer(name: "c2", .conv(Conv(out: 9, kernel: Pair(1, 3), pad: .same))),
            Layer(
                name: "c3",
                .conv(Conv(out: 6, kernel: Pair(3, 1), pad: .explicit(Pair(1, 0)), bias: false, batchnorm: true))),
            Layer(
                name: "c4",
                .conv(
                    Conv(
                        out: 17, kernel: Pair(2, 3), stride: Pair(1, 2), pad: .explicit(Pair(0, 2)),
                        activation: .none))),
            Layer(name: "pool", .maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), ceil: true))),
            Layer(name: "norm", .lrn(LRN(size: 5, alpha: 0.5, beta: 0.75, k: 2))),
            Layer(
                name: "avg", .avgpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1), countPad: false))),
            Layer(name: "drop", .dropout(rate: 0.5)),
            Layer(name: "fc1", .linear(Linear(out: 12, activation: .relu))),
            Layer(name: "fc2", .linear(Linear(out: 5, bias: false))),
            Layer(name: "prob", .softmax),
        ])

    static func conv(
        _ out: Int, _ k: Pair = Pair(1, 1), pad: Padding = .explicit(Pair(0, 0)), stride: Int = 1,
        bn: Bool = false
    ) -> Layer {
        Layer(.conv(Conv(out: out, kernel: k, stride: Pair(stride, stride), pad: pad, bias: !bn, batchnorm: bn)))
    }

    /// Blocks: a GoogLeNet-style block with odd branch widths (slices at offsets that are not
    /// multiples of 16), an avg-pool branch without pad counting, a nested figure-7 split, an
    /// identity branch and a dropout-only branch (channel copies); an aux head (skipped); then a
    /// Mixed_6a-style stride-2 reduction block, global pool, linear, softmax.
    static let blocks = Layout(
        name: "blocks", input: Shape(20, 9, 9),
        layers: [
            Layer(name: "stem", .conv(Conv(out: 19, kernel: Pair(1, 1)))),
            Layer(
                name: "mix",
                .inception(branches: [
                    Branch(name: "a", layers: [conv(5)]),
                    Branch(name: "b", layers: [conv(7), conv(11, Pair(3, 3), pad: .same)]),
                    Branch(
                        name: "c",
                        layers: [
                            Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1)))), conv(3),
                        ]),
                    Branch(
                        name: "d",
                        layers: [
                            Layer(
                                .avgpool(Pool(kernel: Pair(3, 3), stride: Pair(1, 1), pad: Pair(1, 1), countPad: false))
                            ),
                            conv(4),
                        ]),
                    Branch(
                        name: "e",
                        layers: [
                            conv(8, bn: true),
                            Layer(
                                .inception(branches: [
                                    Branch(
                                        name: "1x3", layers: [conv(6, Pair(1, 3), pad: .explicit(Pair(0, 1)), bn: true)]
                                    ),
                                    Branch(
                                        name: "3x1", layers: [conv(5, Pair(3, 1), pad: .explicit(Pair(1, 0)), bn: true)]
                                    ),
                                ])),
                        ]),
                    Branch(name: "id", layers: []),
                    Branch(name: "drop", layers: [Layer(.dropout(rate: 0.2))]),
                ])),
            Layer(
                name: "aux",
                .aux(layers: [
                    Layer(.avgpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2)))),
                    conv(4),
                    Layer(.linear(Linear(out: 3))),
                ])),
            Layer(
                name: "reduce",
                .inception(branches: [
                    Branch(name: "3x3", layers: [conv(13, Pair(3, 3), stride: 2)]),
                    Branch(name: "pool", layers: [Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2))))]),
                ])),
            Layer(name: "gap", .globalavgpool),
            Layer(name: "fc", .linear(Linear(out: 10))),
            Layer(name: "prob", .softmax),
        ])
}

extension TestLayouts {
    /// Sum joins (issue 21): an Inception-ResNet-style block (identity + a concat then a linear 1x1,
    /// scaled 0.17, ReLU after the sum); an Xception-style downsampling block (a 1x1 stride-2
    /// batchnorm projection beside convs and a stride-2 max pool, no activation); a scaled sum as
    /// the last layer of a concat branch (it writes a slice at an offset that is not a multiple of
    /// 16); three summed branches with different scales.
    static let residual = Layout(
        name: "residual", input: Shape(20, 9, 9),
        layers: [
            Layer(name: "stem", .conv(Conv(out: 19, kernel: Pair(1, 1)))),
            Layer(
                name: "res_a",
                .block(
                    Block(
                        branches: [
                            Branch(name: "shortcut", layers: []),
                            Branch(
                                name: "mixed", scale: 0.17,
                                layers: [
                                    Layer(
                                        .inception(branches: [
                                            Branch(name: "b0", layers: [conv(5)]),
                                            Branch(name: "b1", layers: [conv(4), conv(7, Pair(3, 3), pad: .same)]),
                                        ])),
                                    Layer(name: "up", .conv(Conv(out: 19, kernel: Pair(1, 1), activation: .none))),
                                ]),
                        ], join: .sum(activation: .relu)))),
            Layer(
                name: "res_b",
                .block(
                    Block(
                        branches: [
                            Branch(
                                name: "skip",
                                layers: [
                                    Layer(
                                        .conv(
                                            Conv(
                                                out: 24, kernel: Pair(1, 1), stride: Pair(2, 2), bias: false,
                                                batchnorm: true, activation: .none)))
                                ]),
                            Branch(
                                name: "main",
                                layers: [
                                    conv(24, Pair(3, 3), pad: .same),
                                    Layer(.conv(Conv(out: 24, kernel: Pair(3, 3), pad: .same, activation: .none))),
                                    Layer(.maxpool(Pool(kernel: Pair(3, 3), stride: Pair(2, 2), pad: Pair(1, 1)))),
                                ]),
                        ], join: .sum(activation: .none)))),
            Layer(
                name: "mix",
                .inception(branches: [
                    Branch(name: "a", layers: [conv(5)]),
                    Branch(
                        name: "b",
                        layers: [
                            Layer(
                                name: "inner",
                                .block(
                                    Block(
                                        branches: [
                                            Branch(layers: []),
                                            Branch(
                                                scale: 0.1,
                                                layers: [
                                                    Layer(
                                                        .conv(
                                                            Conv(
                                                                out: 24, kernel: Pair(3, 3), pad: .same,
                                                                activation: .none)))
                                                ]),
                                            Branch(scale: -0.5, layers: [conv(24)]),
                                        ], join: .sum(activation: .relu))))
                        ]),
                ])),
            Layer(name: "gap", .globalavgpool),
            Layer(name: "fc", .linear(Linear(out: 5))),
        ])
}
