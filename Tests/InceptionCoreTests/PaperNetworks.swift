import InceptionCore

/// GoogLeNet built in code straight from the 2014 paper's Table 1, independent of the JSON codec, so
/// the analysis can be checked against published numbers and the shipped file against this tree.
enum PaperNetworks {
    static func conv(_ out: Int, _ k: Int, stride: Int = 1, pad: Int = 0, name: String? = nil) -> Layer {
        Layer(
            name: name,
            .conv(
                Conv(out: out, kernel: Pair(square: k), stride: Pair(square: stride), pad: .explicit(Pair(square: pad)))
            ))
    }

    static func maxpool(_ k: Int, _ s: Int, pad: Int = 0, ceil: Bool = false, name: String? = nil) -> Layer {
        Layer(
            name: name,
            .maxpool(Pool(kernel: Pair(square: k), stride: Pair(square: s), pad: Pair(square: pad), ceil: ceil)))
    }

    /// Table 1 columns: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj.
    static func module(_ name: String, _ w: [Int]) -> Layer {
        Layer(
            name: name,
            .inception(branches: [
                Branch(name: "1x1", layers: [conv(w[0], 1)]),
                Branch(name: "3x3", layers: [conv(w[1], 1), conv(w[2], 3, pad: 1)]),
                Branch(name: "5x5", layers: [conv(w[3], 1), conv(w[4], 5, pad: 2)]),
                Branch(name: "pool_proj", layers: [maxpool(3, 1, pad: 1), conv(w[5], 1)]),
            ]))
    }

    static func auxHead(_ name: String) -> Layer {
        Layer(
            name: name,
            .aux(layers: [
                Layer(.avgpool(Pool(kernel: Pair(square: 5), stride: Pair(square: 3)))),
                conv(128, 1),
                Layer(.linear(Linear(out: 1024, activation: .relu))),
                Layer(.dropout(rate: 0.7)),
                Layer(.linear(Linear(out: 1000))),
                Layer(.softmax),
            ]))
    }

    static let googlenet = Layout(
        name: "GoogLeNet", input: Shape(3, 224, 224),
        layers: [
            conv(64, 7, stride: 2, pad: 3, name: "conv1"),
            maxpool(3, 2, ceil: true, name: "pool1"),
            Layer(name: "norm1", .lrn(LRN())),
            conv(64, 1, name: "conv2_reduce"),
            conv(192, 3, pad: 1, name: "conv2"),
            Layer(name: "norm2", .lrn(LRN())),
            maxpool(3, 2, ceil: true, name: "pool2"),
            module("inception_3a", [64, 96, 128, 16, 32, 32]),
            module("inception_3b", [128, 128, 192, 32, 96, 64]),
            maxpool(3, 2, ceil: true, name: "pool3"),
            module("inception_4a", [192, 96, 208, 16, 48, 64]),
            auxHead("aux1"),
            module("inception_4b", [160, 112, 224, 24, 64, 64]),
            module("inception_4c", [128, 128, 256, 24, 64, 64]),
            module("inception_4d", [112, 144, 288, 32, 64, 64]),
            auxHead("aux2"),
            module("inception_4e", [256, 160, 320, 32, 128, 128]),
            maxpool(3, 2, ceil: true, name: "pool4"),
            module("inception_5a", [256, 160, 320, 32, 128, 128]),
            module("inception_5b", [384, 192, 384, 48, 128, 128]),
            Layer(name: "pool5", .avgpool(Pool(kernel: Pair(square: 7), stride: Pair(square: 1)))),
            Layer(name: "drop", .dropout(rate: 0.4)),
            Layer(name: "fc", .linear(Linear(out: 1000))),
            Layer(name: "prob", .softmax),
        ])
}
