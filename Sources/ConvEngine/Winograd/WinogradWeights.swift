/// A 3×3 conv's weights transformed once at plan time for `WinogradConvOp`: U = G g Gᵀ (in Double,
/// rounded once to Float), t² = (m + 2)² values per (output, input) channel pair instead of 9 —
/// (m + 2)² / 9 times the direct conv's weights (1.8× for F(2,3), 4× for F(4,3), 7.1× for F(6,3)).
///
/// Layout `[ξ][outBlock][inChannel][oc 16]`: for each of the t² element-wise products ξ, the
/// matrix U_ξ in the direct conv's packed layout (`PackedConvWeights` with a 1×1 kernel), so the
/// element-wise stage is t² GEMMs on the same register-blocked micro-kernel. Lanes past the real
/// output channels are zero.
struct WinogradWeights {
    let transform: WinogradTransform
    let outBlocks: Int
    let inChannels: Int
    /// Floats per output block of one ξ: inChannels · 16.
    let outBlockStride: Int
    /// Floats per ξ: outBlocks · outBlockStride.
    let xiStride: Int
    let weights: UnsafeMutablePointer<Float>
    /// `[outBlock][16]`, zero where there is no bias.
    let bias: UnsafeMutablePointer<Float>

    init(_ w: ConvWeights, transform f: WinogradTransform) {
        let cb = channelBlock
        transform = f
        outBlocks = (w.outChannels + cb - 1) / cb
        inChannels = w.inChannels
        outBlockStride = w.inChannels * cb
        xiStride = outBlocks * outBlockStride
        let tt = f.t * f.t
        weights = allocateFloats(tt * xiStride)
        bias = allocateFloats(outBlocks * cb)
        for o in 0..<w.outChannels {
            for i in 0..<w.inChannels {
                let g = (0..<9).map { Double(w.weight[(o * w.inChannels + i) * 9 + $0]) }
                let u = f.transformKernel(g)
                for xi in 0..<tt {
                    weights[xi * xiStride + (o / cb) * outBlockStride + i * cb + o % cb] = Float(u[xi])
                }
            }
            bias[o] = w.bias?[o] ?? 0
        }
    }

    /// Bytes of the transformed weights and bias for a conv of these sizes (the plan's memory estimate).
    static func bytes(outChannels: Int, inChannels: Int, tile m: Int) -> Int {
        let ob = (outChannels + channelBlock - 1) / channelBlock
        return ((m + 2) * (m + 2) * ob * inChannels + ob) * channelBlock * MemoryLayout<Float>.stride
    }

    func deallocate() {
        weights.deallocate()
        bias.deallocate()
    }
}
