/// Channel-block width of the internal layout: one SIMD16<Float> register holds 16 channels.
public let channelBlock = 16

/// An activation buffer in the engine's internal NCHW16c layout.
///
/// Memory order is `[n][c / 16][h][w][c % 16]`, channels rounded up to a multiple of 16. A pixel's 16
/// channels of one block form one 64-byte vector, so the conv kernels broadcast one input value and
/// multiply it into 16 output channels with a single FMA, and pools/LRN work 16 channels at a time.
/// The buffer is 64-byte aligned and zero-filled at creation; lanes past `c` stay zero forever (no
/// op writes them), which the conv kernels rely on (they multiply padded lanes by zero weights).
///
/// A tensor can also be a *view* of whole channel blocks of another (`channelView`): the channels of
/// a split that fall on 16-channel blocks, with no copy. A view shares its parent's buffer (and keeps
/// the parent alive); its images lie `imageStride` floats apart, the parent's image stride.
public final class Tensor: @unchecked Sendable {
    public let shape: TensorShape
    /// Channel blocks: ceil(c / 16).
    public let blocks: Int
    /// Floats of the tensor's own blocks: n · blocks · h · w · 16.
    public let storageCount: Int
    /// The blocked buffer (shape comment above). Owned by this tensor unless it is a view.
    public let data: UnsafeMutablePointer<Float>
    /// Floats between consecutive images: blocks · h · w · 16, or the parent's for a view.
    public let imageStride: Int
    /// The tensor whose buffer a view shares; nil for a tensor that owns its buffer.
    public let parent: Tensor?
    /// A view's first channel in `parent` (0 for a tensor that owns its buffer).
    public let parentChannelOffset: Int

    /// Allocates a zeroed tensor. Throws on a non-positive or absurdly large shape.
    public init(shape: TensorShape) throws {
        try shape.validate("tensor")
        self.shape = shape
        blocks = (shape.c + channelBlock - 1) / channelBlock
        storageCount = shape.n * blocks * shape.h * shape.w * channelBlock
        imageStride = blocks * shape.h * shape.w * channelBlock
        data = allocateFloats(storageCount)
        parent = nil
        parentChannelOffset = 0
    }

    /// A view of channels `channels` of `base` (see `channelView`).
    private init(viewing base: Tensor, channels: Range<Int>) {
        let root = base.parent ?? base
        shape = TensorShape(n: base.shape.n, c: channels.count, h: base.shape.h, w: base.shape.w)
        blocks = (channels.count + channelBlock - 1) / channelBlock
        storageCount = shape.n * blocks * shape.h * shape.w * channelBlock
        imageStride = base.imageStride
        data = base.data + (channels.lowerBound / channelBlock) * base.blockStride
        parent = root
        parentChannelOffset = base.parentChannelOffset + channels.lowerBound
    }

    /// The tensor that owns this one's buffer (itself unless a view).
    var root: Tensor { parent ?? self }

    deinit { if parent == nil { data.deallocate() } }

    /// Channels `channels` of this tensor as a tensor of their own, sharing this buffer (no copy):
    /// writes through either show in both. Nil unless the range starts on a 16-channel block and
    /// ends on one or at the last channel — the view's last block must hold no other channels, since
    /// ops compute all 16 lanes of a block (LRN even sums across them) and every tensor's lanes past
    /// its channels must be zero. Other ranges need a copy (`ChannelCopyOp(input:channels:output:)`).
    public func channelView(_ channels: Range<Int>) -> Tensor? {
        guard channels.lowerBound >= 0, channels.upperBound <= shape.c, !channels.isEmpty,
            channels.lowerBound % channelBlock == 0,
            channels.upperBound % channelBlock == 0 || channels.upperBound == shape.c
        else { return nil }
        if channels == 0..<shape.c { return self }
        return Tensor(viewing: self, channels: channels)
    }

    /// Floats between consecutive channel blocks of one image: h · w · 16.
    public var blockStride: Int { shape.h * shape.w * channelBlock }

    /// Index in `data` of logical element (n, c, y, x).
    @inline(__always)
    public func offset(n: Int, c: Int, y: Int, x: Int) -> Int {
        n * imageStride + ((c / channelBlock * shape.h + y) * shape.w + x) * channelBlock + c % channelBlock
    }

    /// Copies a plain NCHW array (count = shape.count) into the blocked buffer.
    public func load(nchw: [Float]) throws {
        guard nchw.count == shape.count else {
            throw EngineError.invalidShape("tensor load: \(nchw.count) values for shape \(shape) (\(shape.count))")
        }
        nchw.withUnsafeBufferPointer { src in
            guard let base = src.baseAddress else { return }
            load(nchw: base)
        }
    }

    /// Copies `shape.count` floats in NCHW order from `src` into the blocked buffer.
    public func load(nchw src: UnsafePointer<Float>) {
        let (n, c, h, w) = (shape.n, shape.c, shape.h, shape.w)
        let hw = h * w
        for i in 0..<n {
            for ch in 0..<c {
                let from = src + (i * c + ch) * hw
                let to = data + offset(n: i, c: ch, y: 0, x: 0)
                for p in 0..<hw { to[p * channelBlock] = from[p] }
            }
        }
    }

    /// The tensor's values as a plain NCHW array.
    public func toNCHW() -> [Float] {
        [Float](unsafeUninitializedCapacity: shape.count) { buf, done in
            if let base = buf.baseAddress { store(nchw: base) }
            done = shape.count
        }
    }

    /// Writes `shape.count` floats in NCHW order to `dst`.
    public func store(nchw dst: UnsafeMutablePointer<Float>) {
        let (n, c, h, w) = (shape.n, shape.c, shape.h, shape.w)
        let hw = h * w
        for i in 0..<n {
            for ch in 0..<c {
                let from = data + offset(n: i, c: ch, y: 0, x: 0)
                let to = dst + (i * c + ch) * hw
                for p in 0..<hw { to[p] = from[p * channelBlock] }
            }
        }
    }

    /// Sets every element (including padding lanes) to zero.
    public func zero() {
        for i in 0..<shape.n { (data + i * imageStride).update(repeating: 0, count: blocks * blockStride) }
    }
}

/// Where an op writes its output: channels `offset ..< offset + count` of `tensor`.
///
/// Concatenation along channels is free: each inception branch's last op writes straight into its
/// slice of the block's output tensor. Offsets that are multiples of 16 take the fast vector store;
/// any other offset works too, lane by lane.
public struct ChannelSlice: @unchecked Sendable {
    public let tensor: Tensor
    public let offset: Int

    public init(_ tensor: Tensor, offset: Int = 0) {
        self.tensor = tensor
        self.offset = offset
    }

    /// Throws unless `count` channels from `offset` fit and the spatial/batch shape matches.
    func validate(_ what: String, n: Int, channels: Int, h: Int, w: Int) throws {
        let s = tensor.shape
        guard s.n == n, s.h == h, s.w == w else {
            throw EngineError.invalidShape("\(what): output tensor is \(s), expected batch \(n) and \(h)x\(w)")
        }
        guard offset >= 0, channels > 0, offset + channels <= s.c else {
            throw EngineError.invalidShape(
                "\(what): channels \(offset)..<\(offset + channels) do not fit the output tensor's \(s.c)")
        }
    }
}

/// A zeroed, 64-byte aligned float buffer of `count` elements (at least one).
func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    let p = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    p.initialize(repeating: 0, count: max(count, 1))
    return p
}
