import ConvEngine

/// One layer of a benchmark inception branch.
enum BlockLayer {
    case conv(out: Int, kh: Int, kw: Int)
    case maxpool3
    case avgpool3
}

/// A single-level inception block (branches of chains) as in GoogLeNet / Inception-v3, for timing.
struct BlockSpec {
    var name: String
    var input: TensorShape
    var branches: [[BlockLayer]]
}

let blockSpecs: [BlockSpec] = [
    BlockSpec(
        name: "inception_3a", input: TensorShape(c: 192, h: 28, w: 28),
        branches: [
            [.conv(out: 64, kh: 1, kw: 1)],
            [.conv(out: 96, kh: 1, kw: 1), .conv(out: 128, kh: 3, kw: 3)],
            [.conv(out: 16, kh: 1, kw: 1), .conv(out: 32, kh: 5, kw: 5)],
            [.maxpool3, .conv(out: 32, kh: 1, kw: 1)],
        ]),
    BlockSpec(
        name: "inception_5b", input: TensorShape(c: 832, h: 7, w: 7),
        branches: [
            [.conv(out: 384, kh: 1, kw: 1)],
            [.conv(out: 192, kh: 1, kw: 1), .conv(out: 384, kh: 3, kw: 3)],
            [.conv(out: 48, kh: 1, kw: 1), .conv(out: 128, kh: 5, kw: 5)],
            [.maxpool3, .conv(out: 128, kh: 1, kw: 1)],
        ]),
    BlockSpec(
        name: "Mixed_5b", input: TensorShape(c: 192, h: 35, w: 35),
        branches: [
            [.conv(out: 64, kh: 1, kw: 1)],
            [.conv(out: 48, kh: 1, kw: 1), .conv(out: 64, kh: 5, kw: 5)],
            [.conv(out: 64, kh: 1, kw: 1), .conv(out: 96, kh: 3, kw: 3), .conv(out: 96, kh: 3, kw: 3)],
            [.avgpool3, .conv(out: 32, kh: 1, kw: 1)],
        ]),
    BlockSpec(
        name: "Mixed_6b", input: TensorShape(c: 768, h: 17, w: 17),
        branches: [
            [.conv(out: 192, kh: 1, kw: 1)],
            [.conv(out: 128, kh: 1, kw: 1), .conv(out: 128, kh: 1, kw: 7), .conv(out: 192, kh: 7, kw: 1)],
            [
                .conv(out: 128, kh: 1, kw: 1), .conv(out: 128, kh: 7, kw: 1), .conv(out: 128, kh: 1, kw: 7),
                .conv(out: 128, kh: 7, kw: 1), .conv(out: 192, kh: 1, kw: 7),
            ],
            [.avgpool3, .conv(out: 192, kh: 1, kw: 1)],
        ]),
]

/// The block's ops in branch order (each branch's last op writes its slice of one concat tensor,
/// every intermediate has its own tensor), same-padded, ReLU.
func makeBlock(_ spec: BlockSpec, rng: inout Rng) throws -> [EngineOp] {
    let input = try Tensor(shape: spec.input)
    try input.load(nchw: rng.array(spec.input.count))
    func outChannels(_ l: BlockLayer, _ c: Int) -> Int {
        if case .conv(let o, _, _) = l { return o }
        return c
    }
    let total = spec.branches.reduce(0) { sum, b in sum + b.reduce(spec.input.c) { outChannels($1, $0) } }
    let concat = try Tensor(shape: TensorShape(c: total, h: spec.input.h, w: spec.input.w))
    var ops: [EngineOp] = []
    var offset = 0
    for branch in spec.branches {
        var x = input
        for (i, layer) in branch.enumerated() {
            let c = outChannels(layer, x.shape.c)
            let last = i == branch.count - 1
            let outTensor = last ? concat : try Tensor(shape: TensorShape(c: c, h: x.shape.h, w: x.shape.w))
            let slice = ChannelSlice(outTensor, offset: last ? offset : 0)
            switch layer {
            case .conv(let o, let kh, let kw):
                ops.append(
                    try makeConv(
                        ConvCase(name: "", input: x.shape, out: o, kh: kh, kw: kw, ph: kh / 2, pw: kw / 2),
                        input: x, output: slice, rng: &rng))
            case .maxpool3, .avgpool3:
                let kind: PoolKind = if case .maxpool3 = layer { .max } else { .average }
                ops.append(
                    try PoolOp(
                        kind, input: x, output: slice,
                        params: PoolParams(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1)))
            }
            x = outTensor
            if last { offset += c }
        }
    }
    return ops
}
