/// An op whose run is prologue tasks (usually none) followed by independent main tasks. Every engine
/// op is one; `ConcurrentOps` and `OpGraph` use this to run the tasks of several ops in one parallel
/// run, so threads do not meet at a barrier after every op.
protocol TaskedOp: EngineOp {
    /// Tasks that must all finish before any main task starts (e.g. bands of a padded input copy).
    var prologueTaskCount: Int { get }
    func runPrologueTask(_ t: Int)
    var taskCount: Int { get }
    /// Runs task `t` (0..<taskCount) with the running thread's scratch.
    func runTask(_ t: Int, scratch: UnsafeMutableRawPointer)
    /// Tensors the tasks read, and the slice they write.
    var reads: [Tensor] { get }
    var writes: (slice: ChannelSlice, channels: Int) { get }
    /// Where task `t`'s output starts in its image, in pixels from the first (image n at n · h · w):
    /// `OpGraph` hands each thread a contiguous run of these positions, so the thread that computes
    /// the top half of one op's output also computes the top half of the next op's (its cache holds
    /// what it reads). 0 for every task keeps the op's own order. Only the order matters: a conv
    /// whose weights outweigh its input numbers its tasks group by group instead (`Conv2DOp`).
    func taskPosition(_ t: Int) -> Int
    /// FLOPs the op really executes per run, for cost estimates: `flops` for most ops; less for a
    /// Winograd conv, which is credited with the direct conv's FLOPs but multiplies far fewer.
    var workFlops: Int { get }
}

extension TaskedOp {
    var prologueTaskCount: Int { 0 }
    func runPrologueTask(_ t: Int) {}
    func taskPosition(_ t: Int) -> Int { 0 }
    var workFlops: Int { flops }

    /// Floats the op reads and writes in one run (for cost estimates).
    var touchedFloats: Int {
        let out = writes.slice.tensor.shape
        return reads.reduce(0) { $0 + $1.storageCount } + out.n * writes.channels * out.h * out.w
    }

    /// Rough cost of one main task in FLOP-equivalents, used only to order a graph's tasks (never
    /// affects results): the op's FLOPs, or for memory-bound ops (pools, copies, LRN) 16 per float
    /// moved — one core does ~116 GFLOP/s and moves a float through L2/L3 in about the time of 16.
    var taskCost: Double {
        let work = workFlops > 0 ? Double(workFlops) : 16 * Double(touchedFloats)
        return work / Double(max(1, taskCount))
    }

    /// Cost of one prologue task (a copy of the input).
    var prologueTaskCost: Double {
        16 * 2 * Double(reads.reduce(0) { $0 + $1.storageCount }) / Double(max(1, prologueTaskCount))
    }
}

/// An op's `run`: its prologue tasks, then its main tasks, each spread over the pool.
func runAsTasks(_ op: some TaskedOp, _ pool: ThreadPool) {
    if op.prologueTaskCount > 0 { pool.parallelFor(op.prologueTaskCount) { t in op.runPrologueTask(t) } }
    pool.parallelFor(op.taskCount) { t, scratch in op.runTask(t, scratch: scratch) }
}
