import ConvEngine
import Foundation
import InceptionCore

/// What a plan will allocate, in bytes, computed from shapes before anything is allocated.
public struct MemoryEstimate: Equatable, Sendable, CustomStringConvertible {
    /// Packed conv/linear weights and biases (output channels rounded up to 16) and their offset tables;
    /// a Winograd conv's transformed weights are (m + 2)² / 9 times the direct ones; a depthwise or
    /// grouped conv's packed weights; a standalone batchnorm's, layer scale's or layer norm's
    /// per-channel vectors.
    public var weightBytes = 0
    /// Activation tensors after buffer sharing (NCHW16c: channels rounded up to 16).
    public var activationBytes = 0
    /// Conv inputs copied with zero columns left and right (one per conv padded across its width).
    public var paddingBytes = 0
    /// The thread pool's per-thread scratch.
    public var scratchBytes = 0
    /// The largest layer's weights as read or generated (and once more when folded), held only while
    /// that layer is planned.
    public var transientBytes = 0
    /// The largest single activation tensor.
    public var largestActivationBytes = 0
    /// Activation bytes if every buffer had its own tensor (what sharing saved).
    public var unsharedActivationBytes = 0

    public var totalBytes: Int {
        [weightBytes, activationBytes, paddingBytes, scratchBytes, transientBytes].reduce(0, Checked.saturatingAdd)
    }

    public var description: String {
        "\(MemoryEstimate.mib(totalBytes)) (weights \(MemoryEstimate.mib(weightBytes)), activations "
            + "\(MemoryEstimate.mib(activationBytes)) shared from \(MemoryEstimate.mib(unsharedActivationBytes)), padded copies \(MemoryEstimate.mib(paddingBytes)), "
            + "scratch \(MemoryEstimate.mib(scratchBytes + transientBytes)))"
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    /// Half of physical memory: the default budget.
    public static var defaultBudget: Int { physicalMemory / 2 }

    /// Physical memory in bytes: no plan above it is ever allocated, whatever the budget.
    public static var physicalMemory: Int { PhysicalMemory.bytes }

    /// Bytes of an NCHW16c tensor of `shape` (saturating at Int.max).
    static func tensorBytes(_ s: TensorShape) -> Int {
        product([s.n, sum(s.c, channelBlock - 1) / channelBlock, channelBlock, s.h, s.w, 4])
    }

    /// Saturating product: an absurd shape estimates to Int.max and is refused, never traps.
    static func product(_ xs: [Int]) -> Int {
        Checked.product(xs.map { max(0, $0) }) ?? Int.max
    }

    static func sum(_ a: Int, _ b: Int) -> Int { Checked.saturatingAdd(a, b) }
}

extension Program {
    /// The estimate before algorithms are chosen: each conv at the largest weights any algorithm the
    /// policy allows could give it (an upper bound, so a plan that passes the budget check fits).
    ///
    /// Choosing (any policy but direct) also holds, while one conv is chosen, every candidate's
    /// weights at once (they are timed in alternating rounds) and the chooser's cache-eviction
    /// buffer, and under auto the rivals of every close call until the passes that decide them (at
    /// most every conv's candidates but its largest): counted in `transientBytes`.
    func estimate(threads: Int, algorithm policy: AlgorithmPolicy = .direct) -> MemoryEstimate {
        func candidateBytes(_ conv: Conv, _ input: TensorShape) -> [Int] {
            let params = ConvParams(strideH: conv.stride.h, strideW: conv.stride.w)
            let allowed =
                policy == .direct
                ? [.direct]
                : ConvAlgorithm.candidates(
                    kernelH: conv.kernel.h, kernelW: conv.kernel.w, params: params, inChannels: input.c)
            return allowed.map {
                $0.weightBytes(
                    outChannels: conv.out, inChannels: input.c, kernelH: conv.kernel.h,
                    kernelW: conv.kernel.w)
            }
        }
        var m = estimate(
            threads: threads, convWeightBytes: { _, conv, input in candidateBytes(conv, input).max() ?? 0 })
        guard policy != .direct else { return m }
        var choosing = 0, runnersUp = 0
        for step in steps {
            guard case .conv(let conv, _) = step.kind else { continue }
            let bytes = candidateBytes(conv, buffers[step.input].shape).sorted(by: >)
            guard bytes.count > 1 else { continue }
            // The largest candidate is already in `weightBytes`; the others live only while choosing.
            choosing = max(choosing, bytes.dropFirst().reduce(0, MemoryEstimate.sum))
            // Under auto, a close call keeps its rivals until the plan has timed them in passes.
            if policy == .auto {
                runnersUp = MemoryEstimate.sum(runnersUp, bytes.dropFirst().reduce(0, MemoryEstimate.sum))
            }
        }
        if choosing > 0 {
            m.transientBytes = max(
                m.transientBytes, [choosing, AlgorithmChooser.evictionBytes, runnersUp].reduce(0, MemoryEstimate.sum))
        }
        return m
    }

    /// The estimate with each conv step's chosen algorithm (by step index; direct where missing).
    func estimate(threads: Int, algorithms: [Int: ConvAlgorithm]) -> MemoryEstimate {
        estimate(
            threads: threads,
            convWeightBytes: { i, conv, input in
                (algorithms[i] ?? .direct).weightBytes(
                    outChannels: conv.out, inChannels: input.c, kernelH: conv.kernel.h,
                    kernelW: conv.kernel.w)
            })
    }

    /// The estimate for this program at `threads` threads; `convWeightBytes(step, conv, input shape)`
    /// gives a conv's packed weight bytes.
    func estimate(threads: Int, convWeightBytes: (Int, Conv, TensorShape) -> Int) -> MemoryEstimate {
        var m = MemoryEstimate()
        let (_, slots) = assignSlots()
        for s in slots {
            let b = MemoryEstimate.tensorBytes(s)
            m.activationBytes = MemoryEstimate.sum(m.activationBytes, b)
            m.largestActivationBytes = max(m.largestActivationBytes, b)
        }
        for buf in buffers where buf.view == nil {
            m.unsharedActivationBytes = MemoryEstimate.sum(
                m.unsharedActivationBytes, MemoryEstimate.tensorBytes(buf.shape))
        }
        m.scratchBytes = MemoryEstimate.product([max(1, threads), ThreadPool.scratchBytes])
        for (i, step) in steps.enumerated() {
            let input = buffers[step.input].shape
            let reduction: Int, outputs: Int
            switch step.kind {
            case .conv(let c, _):
                reduction = MemoryEstimate.product([input.c, c.kernel.h, c.kernel.w])
                outputs = c.out
                let pad = c.pad.resolved(kernel: c.kernel)
                if pad.w > 0 {
                    let blocks = (input.c + channelBlock - 1) / channelBlock
                    m.paddingBytes = MemoryEstimate.sum(
                        m.paddingBytes,
                        MemoryEstimate.product([
                            input.n, blocks, input.h, MemoryEstimate.sum(input.w, MemoryEstimate.product([2, pad.w])),
                            channelBlock, 4,
                        ]))
                }
            case .linear(let l, _):
                reduction = MemoryEstimate.product([input.c, input.h, input.w])
                outputs = l.out
            case .groupedConv(let c, _):
                // Depthwise or one direct conv per group (`makeGroupedConv`): never Winograd.
                m.weightBytes = MemoryEstimate.sum(
                    m.weightBytes,
                    groupedConvWeightBytes(
                        inChannels: input.c, outChannels: c.out, groups: c.groups, kernelH: c.kernel.h,
                        kernelW: c.kernel.w))
                m.transientBytes = max(
                    m.transientBytes,
                    MemoryEstimate.product([c.out, input.c / max(1, c.groups), c.kernel.h, c.kernel.w, 4, 2]))
                continue
            case .batchnorm, .layerscale, .layernorm:
                // Per-channel values, `[block][16]` each: scale and shift (γ and β for a layer norm).
                let blocks = MemoryEstimate.sum(input.c, channelBlock - 1) / channelBlock
                let vectors: Int
                if case .layerscale = step.kind { vectors = 1 } else { vectors = 2 }
                m.weightBytes = MemoryEstimate.sum(
                    m.weightBytes, MemoryEstimate.product([vectors, blocks, channelBlock, 4]))
                continue
            default:
                continue
            }
            let outPadded = MemoryEstimate.product([
                MemoryEstimate.sum(outputs, channelBlock - 1) / channelBlock, channelBlock,
            ])
            let packed = MemoryEstimate.product([outPadded, reduction, 4])
            let bytes: Int
            if case .conv(let c, _) = step.kind {
                bytes = convWeightBytes(i, c, input)
            } else {
                bytes = MemoryEstimate.sum(
                    packed,
                    MemoryEstimate.sum(MemoryEstimate.product([outPadded, 4]), MemoryEstimate.product([reduction, 4])))
            }
            m.weightBytes = MemoryEstimate.sum(m.weightBytes, bytes)
            m.transientBytes = max(m.transientBytes, MemoryEstimate.product([outputs, reduction, 4, 2]))
        }
        return m
    }
}
