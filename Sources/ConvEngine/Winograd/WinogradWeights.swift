/// A conv's weights transformed once at plan time for `WinogradConvOp`: U = G_h g G_wᵀ (in Double,
/// rounded once to Float), h.t · w.t values per (output, input) channel pair instead of kh · kw —
/// for 3×3, (m + 2)² / 9 times the direct conv's weights (1.8× for F(2,3), 4× for F(4,3), 7.1× for
/// F(6,3)); for a 1×7 by F(2,7), 8 / 7.
///
/// Layout `[ξ][outBlock][inChannel][oc 16]`: for each of the element-wise products ξ, the
/// matrix U_ξ in the direct conv's packed layout (`PackedConvWeights` with a 1×1 kernel), so the
/// element-wise stage is t² GEMMs on the same register-blocked micro-kernel. Lanes past the real
/// output channels are zero.
struct WinogradWeights {
    let outBlocks: Int
    let inChannels: Int
    /// Element-wise products per tile: h.t · w.t.
    let xiCount: Int
    /// Floats per output block of one ξ: inChannels · 16.
    let outBlockStride: Int
    /// Floats per ξ: outBlocks · outBlockStride.
    let xiStride: Int
    let weights: UnsafeMutablePointer<Float>
    /// `[outBlock][16]`, zero where there is no bias.
    let bias: UnsafeMutablePointer<Float>

    init(_ w: ConvWeights, h: WinogradTransform, w fw: WinogradTransform) {
        let cb = channelBlock
        outBlocks = (w.outChannels + cb - 1) / cb
        inChannels = w.inChannels
        outBlockStride = w.inChannels * cb
        xiStride = outBlocks * outBlockStride
        xiCount = h.t * fw.t
        weights = allocateFloats(xiCount * xiStride)
        bias = allocateFloats(outBlocks * cb)
        let taps = w.kernelH * w.kernelW
        for o in 0..<w.outChannels {
            for i in 0..<w.inChannels {
                let g = (0..<taps).map { Double(w.weight[(o * w.inChannels + i) * taps + $0]) }
                let u = WinogradTransform.transformKernel(g, h: h, w: fw)
                for xi in 0..<xiCount {
                    weights[xi * xiStride + (o / cb) * outBlockStride + i * cb + o % cb] = Float(u[xi])
                }
            }
            bias[o] = w.bias?[o] ?? 0
        }
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
