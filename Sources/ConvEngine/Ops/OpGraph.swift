import Foundation
import Synchronization

/// A list of ops run as if one after another, but as **one** parallel run in which each task waits
/// only for the ops it really depends on — so threads never meet at a barrier between ops, and while
/// one thread finishes an op's last task the other is already busy with an independent branch.
///
/// Why: on small inception blocks (7×7 to 28×28 maps, 7–15 ops) running op by op left the second
/// thread idle at the end of every op (tail imbalance: up to a task per op), and 1×1 convs with few
/// output channels on a 7×7 map have only 1–3 tasks, so half the pool sat out a whole op.
///
/// Dependencies are inferred from what each op reads and writes, in the given order: op j waits for
/// an earlier op i when j reads the tensor i writes, j writes a tensor i reads (a reused buffer), or
/// both write overlapping channels of one tensor. So any op list that is correct one by one is
/// correct here, and since every output element is still computed inside one task in a fixed order,
/// results are bitwise identical to running the ops one by one, on any number of threads.
///
/// Stages (an op's prologue tasks, then its main tasks) are walked in one fixed order, chosen at plan
/// time by simulating two threads over rough task costs: next comes a stage whose inputs are done by
/// the time a thread is free, among those the one with the longest chain of work still ahead
/// (critical path), so independent work fills the gaps where a dependent op would wait. Within a
/// stage, tasks are sorted by output position and one thread takes them from the front, the other
/// from the back: each thread computes one spatial half of every op, so what an op reads was mostly
/// written by the same core and is still in its L2 (measured on inception_3a at 2 threads: 1.199 →
/// 1.157 ms over one shared task counter). A task whose inputs are not yet done spins (then yields)
/// until they are; a thread leaves a stage only when all its tasks are claimed, so this always
/// ends. No allocation inside a run.
public final class OpGraph: EngineOp, @unchecked Sendable {
    public let ops: [EngineOp]
    public let flops: Int
    /// Per op, the earlier ops it waits for (indices into `ops`; none are implied by others).
    public let dependencies: [[Int]]
    /// Ops in the order their tasks are claimed (each op's prologue tasks come just before its main
    /// ones, possibly with other stages between).
    public let claimOrder: [Int]

    private let tasked: [any TaskedOp]
    /// Per stage, in claim order: its op, whether it is the op's prologue, and its task count.
    private let stageOp: [Int]
    private let stageIsPrologue: [Bool]
    private let stageTasks: [Int]
    /// Per stage, first global task; `[stages + 1]`.
    private let firstTask: [Int]
    /// Per stage, the stages it waits for: `depStages[depStart[s]..<depStart[s + 1]]`.
    private let depStart: [Int]
    private let depStages: [Int]
    /// Per global task slot, the op task it runs: each stage's tasks sorted by output position.
    private let taskOfSlot: [Int32]
    /// Per stage (`counterStride` apart): unclaimed tasks `front ..< back` as back << 32 | front.
    private let claims: UnsafeMutablePointer<Atomic<Int>>
    /// Finished tasks per stage, one per 64-byte line (`counterStride` apart) so that two threads
    /// finishing tasks of different stages do not bounce one cache line.
    private let done: UnsafeMutablePointer<Atomic<Int>>
    private static let counterStride = 8

    public init(_ ops: [EngineOp]) throws {
        var tasked: [any TaskedOp] = []
        for (i, op) in ops.enumerated() {
            guard let t = op as? any TaskedOp else {
                throw EngineError.invalidParameter("op graph: op \(i) (\(type(of: op))) is not a single engine op")
            }
            guard t.taskCount > 0 else {
                throw EngineError.invalidParameter("op graph: op \(i) (\(type(of: op))) has no tasks")
            }
            tasked.append(t)
        }
        let deps = OpGraph.inferDependencies(tasked)

        // Stages in op order: [prologue,] main. A main stage waits for its prologue (which waits for
        // the op's dependencies), or directly for the main stages of the op's dependencies.
        var stages: [(op: Int, prologue: Bool, tasks: Int, cost: Double, deps: [Int])] = []
        var mainStage = [Int](repeating: 0, count: tasked.count)
        for (i, op) in tasked.enumerated() {
            let after = deps[i].map { mainStage[$0] }
            if op.prologueTaskCount > 0 {
                stages.append((i, true, op.prologueTaskCount, op.prologueTaskCost, after))
                stages.append((i, false, op.taskCount, op.taskCost, [stages.count - 1]))
            } else {
                stages.append((i, false, op.taskCount, op.taskCost, after))
            }
            mainStage[i] = stages.count - 1
        }
        let order = OpGraph.scheduleStages(
            tasks: stages.map(\.tasks), cost: stages.map(\.cost), deps: stages.map(\.deps))
        var position = [Int](repeating: 0, count: stages.count)
        for (p, s) in order.enumerated() { position[s] = p }

        var first = [0], depStart = [0], depStages: [Int] = [], taskOfSlot: [Int32] = []
        for (p, s) in order.enumerated() {
            first.append(first[p] + stages[s].tasks)
            depStages += stages[s].deps.map { position[$0] }
            depStart.append(depStages.count)
            let op = tasked[stages[s].op]
            let byPosition =
                stages[s].prologue
                ? Array(0..<stages[s].tasks)
                : (0..<stages[s].tasks).map { ($0, op.taskPosition($0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(
                    \.0)
            taskOfSlot += byPosition.map { Int32($0) }
        }
        guard first[order.count] < Int(Int32.max) else {
            throw EngineError.invalidParameter("op graph: \(first[order.count]) tasks are too many for one run")
        }
        self.ops = ops
        self.tasked = tasked
        flops = ops.reduce(0) { $0 + $1.flops }
        dependencies = deps
        var claimed: [Int] = []
        for s in order where !claimed.contains(stages[s].op) { claimed.append(stages[s].op) }
        claimOrder = claimed
        stageOp = order.map { stages[$0].op }
        stageIsPrologue = order.map { stages[$0].prologue }
        stageTasks = order.map { stages[$0].tasks }
        firstTask = first
        self.depStart = depStart
        self.depStages = depStages
        self.taskOfSlot = taskOfSlot
        done = OpGraph.allocateCounters(order.count)
        claims = OpGraph.allocateCounters(order.count)
    }

    /// `count` zeroed atomic counters, each on its own 64-byte line.
    private static func allocateCounters(_ count: Int) -> UnsafeMutablePointer<Atomic<Int>> {
        let n = max(1, count) * counterStride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Atomic<Int>>.stride, alignment: 64)
        let p = raw.bindMemory(to: Atomic<Int>.self, capacity: n)
        for i in 0..<n { (p + i).initialize(to: Atomic(0)) }
        return p
    }

    deinit {
        done.deinitialize(count: max(1, stageOp.count) * OpGraph.counterStride)
        done.deallocate()
        claims.deinitialize(count: max(1, stageOp.count) * OpGraph.counterStride)
        claims.deallocate()
    }

    public func run(_ pool: ThreadPool) {
        // One thread: the ops in the given order, with no claiming or waiting at all (measured: the
        // claim order is no faster on one thread).
        if pool.threadCount == 1 {
            for op in ops { op.run(pool) }
            return
        }
        for s in stageOp.indices { done[s * OpGraph.counterStride].store(0, ordering: .relaxed) }
        for s in stageOp.indices { claims[s * OpGraph.counterStride].store(stageTasks[s] << 32, ordering: .relaxed) }
        // One pool task per thread: each walks the stages in claim order, taking tasks from the front
        // (even slots) or the back (odd slots) of each until none is left. A worker that never shows
        // up leaves its end to the others. The pool publishes the job with a releasing store, so the
        // workers see the reset counters.
        pool.parallelFor(pool.threadCount) { slot, scratch in
            let fromFront = slot % 2 == 0
            var s = 0
            while s < stageOp.count {
                guard let i = claim(stage: s, fromFront: fromFront) else {
                    s += 1
                    continue
                }
                for d in depStart[s]..<depStart[s + 1] { waitFor(stage: depStages[d]) }
                let op = tasked[stageOp[s]]
                let task = Int(taskOfSlot[firstTask[s] + i])
                if stageIsPrologue[s] {
                    op.runPrologueTask(task)
                } else {
                    op.runTask(task, scratch: scratch)
                }
                done[s * OpGraph.counterStride].wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    /// Claims the next unclaimed task of `stage` from its front or its back; nil when none is left.
    @inline(__always)
    private func claim(stage: Int, fromFront: Bool) -> Int? {
        let i = stage * OpGraph.counterStride
        var w = claims[i].load(ordering: .relaxed)
        while true {
            let front = w & 0xffff_ffff, back = w >> 32
            if front >= back { return nil }
            let (exchanged, now) = claims[i].compareExchange(
                expected: w, desired: fromFront ? w + 1 : w - (1 << 32),
                ordering: .relaxed)
            if exchanged { return fromFront ? front : back - 1 }
            w = now
        }
    }

    /// Returns once every task of `stage` has finished (acquiring their writes).
    @inline(__always)
    private func waitFor(stage: Int) {
        let need = stageTasks[stage]
        if done[stage * OpGraph.counterStride].load(ordering: .acquiring) >= need { return }
        var spins = 0
        while done[stage * OpGraph.counterStride].load(ordering: .acquiring) < need {
            spins += 1
            if spins > 2000 { sched_yield() }
        }
    }

    /// Per op, the earlier ops it conflicts with (read-after-write, write-after-read, overlapping
    /// writes), minus those already implied through another dependency.
    static func inferDependencies(_ ops: [any TaskedOp]) -> [[Int]] {
        // By buffer and channels, so views (`Tensor.channelView`) count with the tensor they share.
        func conflict(_ a: any TaskedOp, _ b: any TaskedOp) -> Bool {
            let (wa, wb) = (a.writes, b.writes)
            if b.reads.contains(where: { writes(wa.slice, wa.channels, into: $0) }) { return true }
            if a.reads.contains(where: { writes(wb.slice, wb.channels, into: $0) }) { return true }
            return overlaps(wa.slice, wa.channels, wb.slice, wb.channels)
        }
        var ancestors: [Set<Int>] = []
        var deps: [[Int]] = []
        for j in ops.indices {
            let direct = (0..<j).filter { conflict(ops[$0], ops[j]) }
            let implied = direct.reduce(into: Set<Int>()) { $0.formUnion(ancestors[$1]) }
            deps.append(direct.filter { !implied.contains($0) })
            ancestors.append(implied.union(direct))
        }
        return deps
    }

    /// The order stages' tasks are claimed in: a list schedule simulated on two threads with the
    /// tasks' estimated costs. Next comes a stage whose dependencies are (simulated) done by the
    /// time a thread is free — among those the one with the most work on its longest path to the
    /// end; if every candidate would wait, the one that waits least. Only speed depends on it.
    static func scheduleStages(tasks: [Int], cost: [Double], deps: [[Int]]) -> [Int] {
        let n = tasks.count
        let work = (0..<n).map { Double(tasks[$0]) * cost[$0] }
        var height = work
        for s in (0..<n).reversed() {
            for d in deps[s] { height[d] = max(height[d], work[d] + height[s]) }
        }
        var free = [0.0, 0.0]
        var finish = [Double](repeating: 0, count: n)
        var emitted = [Bool](repeating: false, count: n)
        var order: [Int] = []
        while order.count < n {
            var best = -1, bestStall = Double.infinity
            for s in 0..<n where !emitted[s] && deps[s].allSatisfy({ emitted[$0] }) {
                // A dependency counts as done one of its tasks after its simulated finish: real
                // threads drift by about a task, and a stage started right behind its input would
                // wait for that input's last task.
                let ready = deps[s].map { finish[$0] + cost[$0] }.max() ?? 0
                let stall = max(0, ready - min(free[0], free[1]))
                if stall < bestStall || (stall == bestStall && height[s] > height[best]) {
                    best = s
                    bestStall = stall
                }
            }
            let ready = deps[best].map { finish[$0] }.max() ?? 0
            for _ in 0..<tasks[best] {
                let th = free[0] <= free[1] ? 0 : 1
                free[th] = max(free[th], ready) + cost[best]
                finish[best] = max(finish[best], free[th])
            }
            emitted[best] = true
            order.append(best)
        }
        return order
    }
}
