/// Independent ops run as one: their prologues, then all their tasks in a single parallel run, so the
/// threads never wait at an op boundary. Made for an inception block, whose branches all read the
/// block input and write their own slices: run the first op of every branch as one group, then the
/// second ops, and so on — GoogLeNet inception_3a becomes 2 parallel runs instead of 7.
///
/// The ops must not depend on each other: planning throws when one op reads a tensor another writes,
/// or two ops write overlapping channels of one tensor. Tasks are taken in the order the ops are given
/// (put the biggest first for the best balance). Results are identical to running the ops one by one.
public final class ConcurrentOps: EngineOp, @unchecked Sendable {
    public let ops: [EngineOp]
    public var flops: Int { ops.reduce(0) { $0 + $1.flops } }
    private let tasked: [any TaskedOp]
    /// `[ops.count + 1]`: first global task index of each op.
    private let firstTask: [Int]

    public init(_ ops: [EngineOp]) throws {
        var tasked: [any TaskedOp] = []
        for (i, op) in ops.enumerated() {
            guard let t = op as? any TaskedOp else {
                throw EngineError.invalidParameter("concurrent ops: op \(i) (\(type(of: op))) is not an engine op")
            }
            tasked.append(t)
        }
        for (i, a) in tasked.enumerated() {
            for (j, b) in tasked.enumerated() where i != j {
                if b.reads.contains(where: { writes(a.writes.slice, a.writes.channels, into: $0) }) {
                    throw EngineError.invalidParameter("concurrent ops: op \(j) reads the tensor op \(i) writes")
                }
                let (sa, sb) = (a.writes, b.writes)
                if i < j && overlaps(sa.slice, sa.channels, sb.slice, sb.channels) {
                    throw EngineError.invalidParameter("concurrent ops: ops \(i) and \(j) write overlapping channels")
                }
            }
        }
        self.ops = ops
        self.tasked = tasked
        var first = [0]
        for t in tasked { first.append(first[first.count - 1] + t.taskCount) }
        firstTask = first
    }

    public func run(_ pool: ThreadPool) {
        for op in tasked where op.prologueTaskCount > 0 {
            pool.parallelFor(op.prologueTaskCount) { t in op.runPrologueTask(t) }
        }
        pool.parallelFor(firstTask[firstTask.count - 1]) { t, scratch in
            var i = 0
            while firstTask[i + 1] <= t { i += 1 }
            tasked[i].runTask(t - firstTask[i], scratch: scratch)
        }
    }
}
