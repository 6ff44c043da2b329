/// A channel split (InceptionNeXt's `torch.split` into an identity slice and three depthwise
/// branches; ONNX `Split` on the channel axis): the input's channels cut into consecutive slices.
///
/// A slice that starts on a 16-channel block and ends on one (or at the last channel) is a view of
/// the input (`Tensor.channelView`): no copy, no op. Any other slice gets a tensor of its own and a
/// `ChannelCopyOp` filling it: one copy. Plan once; run `ops` before the branches read the slices.
public struct ChannelSplit {
    /// One tensor per slice, in order: views where possible, else the copies' destinations.
    public let slices: [Tensor]
    /// The copies to run (one per slice that is not a view), each writing its slice's tensor.
    public let ops: [EngineOp]
    /// Per slice, whether it is a view (no copy).
    public let isView: [Bool]

    /// `sizes`: channels per slice, positive, summing to the input's channels.
    public init(input: Tensor, sizes: [Int]) throws {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }), sizes.reduce(0, +) == input.shape.c else {
            throw EngineError.invalidShape("split: sizes \(sizes) do not cut \(input.shape.c) channels")
        }
        var slices: [Tensor] = [], ops: [EngineOp] = [], views: [Bool] = []
        var start = 0
        for size in sizes {
            let range = start..<start + size
            if let v = input.channelView(range) {
                slices.append(v)
                views.append(true)
            } else {
                let s = input.shape
                let t = try Tensor(shape: TensorShape(n: s.n, c: size, h: s.h, w: s.w))
                ops.append(try ChannelCopyOp(input: input, channels: range, output: ChannelSlice(t)))
                slices.append(t)
                views.append(false)
            }
            start += size
        }
        self.slices = slices
        self.ops = ops
        isView = views
    }
}
