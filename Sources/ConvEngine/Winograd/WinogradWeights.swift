/// A conv's weights transformed once at plan time for `WinogradConvOp`: U = G_h g G_wᵀ (in Double,
/// rounded once to Float), h.t · w.t values per (output, input) channel pair instead of kh · kw —
/// for 3×3, (m + 2)² / 9 times the direct conv's weights (1.8× for F(2,3), 4× for F(4,3), 7.1× for
/// F(6,3)); for a 1×7 by F(2,7), 8 / 7, by F(4,7), 10 / 7.
///
/// Layout: per output-channel group of the op (≤ 4 blocks), `[ξ][inChannel][block][oc 16]` — for
/// each element-wise product ξ, the matrix U_ξ with the group's blocks interleaved, so the whole
/// group is one contiguous stream of ξ · inChannels · blocks · 16 floats in the order a task reads
/// it (every ξ's GEMM in turn). Inside a network pass these weights come from memory, and one
/// sequential stream is what the hardware prefetcher follows: laid out as the direct conv's
/// `[ξ][block][inChannel][16]`, a group was 4 · ξ streams of a page each, and a cold F(4,3) conv on
/// 56×56 took 1.9× its warm time. The element-wise stage is then t² GEMMs on the direct conv's
/// micro-kernel (`ConvKernelArgs.wBlock` 16, `wStep` blocks · 16). Lanes past the real output
/// channels are zero.
struct WinogradWeights {
    let outBlocks: Int
    let inChannels: Int
    /// Element-wise products per tile: h.t · w.t.
    let xiCount: Int
    /// The op's output-channel groups (first block, block count).
    let groups: [(first: Int, count: Int)]
    /// Where each group's stream starts (floats).
    let groupOffsets: [Int]
    let weights: UnsafeMutablePointer<Float>
    /// `[outBlock][16]`, zero where there is no bias.
    let bias: UnsafeMutablePointer<Float>

    init(_ w: ConvWeights, h: WinogradTransform, w fw: WinogradTransform, groups: [(first: Int, count: Int)]) {
        let cb = channelBlock
        outBlocks = (w.outChannels + cb - 1) / cb
        inChannels = w.inChannels
        xiCount = h.t * fw.t
        self.groups = groups
        var offsets: [Int] = []
        var total = 0
        for g in groups {
            offsets.append(total)
            total += xiCount * w.inChannels * g.count * cb
        }
        precondition(groups.reduce(0) { $0 + $1.count } == outBlocks, "groups must cover every output block")
        groupOffsets = offsets
        weights = allocateFloats(max(1, total))
        bias = allocateFloats(outBlocks * cb)
        let taps = w.kernelH * w.kernelW
        var groupOf = [Int](repeating: 0, count: outBlocks)
        for (gi, g) in groups.enumerated() { for b in g.first..<(g.first + g.count) { groupOf[b] = gi } }
        for o in 0..<w.outChannels {
            let block = o / cb, gi = groupOf[block], g = groups[gi]
            for i in 0..<w.inChannels {
                let gk = (0..<taps).map { Double(w.weight[(o * w.inChannels + i) * taps + $0]) }
                let u = WinogradTransform.transformKernel(gk, h: h, w: fw)
                for xi in 0..<xiCount {
                    weights[offsets[gi] + ((xi * w.inChannels + i) * g.count + block - g.first) * cb + o % cb] = Float(
                        u[xi])
                }
            }
            bias[o] = w.bias?[o] ?? 0
        }
    }

    /// Group `gi`'s U_ξ: `inChannels` steps of the group's blocks · 16 floats.
    func weights(group gi: Int, xi: Int) -> UnsafePointer<Float> {
        UnsafePointer(weights + groupOffsets[gi] + xi * inChannels * groups[gi].count * channelBlock)
    }

    /// Bytes of the transformed weights and bias for a conv of these sizes (the plan's memory estimate).
    static func bytes(outChannels: Int, inChannels: Int, xiCount: Int) -> Int {
        let ob = (outChannels + channelBlock - 1) / channelBlock
        return (xiCount * ob * inChannels + ob) * channelBlock * MemoryLayout<Float>.stride
    }

    func deallocate() {
        weights.deallocate()
        bias.deallocate()
    }
}
