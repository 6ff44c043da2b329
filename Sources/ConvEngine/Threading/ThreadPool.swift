import Foundation
import Synchronization

/// A small persistent pool of worker threads that runs the tasks of one op at a time.
///
/// Ops split their work into a fixed number of tasks that depends only on the op's shapes, never on
/// the thread count, and every output element is computed inside exactly one task in a fixed order.
/// So results are bitwise identical for any thread count; threads only change who runs which task.
///
/// Workers are created once; a run hands them a non-escaping closure (no allocation, no thread
/// creation). Tasks are claimed from one atomic word holding (job generation, next task index), and the
/// caller waits only for tasks to *finish*, not for every worker to check in — on a busy shared
/// machine a worker that is not scheduled simply claims nothing, and the caller runs the tasks itself.
/// Idle workers spin briefly for the next op (ops come back to back in a forward pass), then sleep on
/// a condition variable so an idle pool costs nothing.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that run tasks, including the calling thread.
    public let threadCount: Int
    /// Bytes of per-thread scratch handed to each task (64-byte aligned), so ops need no allocation
    /// during a run; ops check at plan time that their per-task scratch fits. 2 MiB: a Winograd
    /// task holds its tiles' transformed input and products (`WinogradConvOp`); the direct conv
    /// keeps to its first 512 KB (`ConvRowDriver.edgeScratchBytes`).
    public static let scratchBytes = 2 * 1024 * 1024
    /// `[threadCount][scratchBytes]`.
    private let arenas: UnsafeMutableRawPointer

    /// generation << 32 | index of the next unclaimed task.
    private let state = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    /// generation << 32 | task count of the current job, published before `state`. A worker checks
    /// the generation before it trusts the count: a worker that found job g's tasks all claimed
    /// could otherwise read the *next* job's (larger) count before the next generation reached
    /// `state`, and win a claim for a task job g never had — running a task of the next job that
    /// would also run again, and counting it finished while it still ran (caught by
    /// `ThreadPoolTests`; `bench --profile` trapped on it about once in 20 runs).
    private let published = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    /// Workers blocked on `wake`; guarded by `mutex`.
    private var sleepers = 0
    /// The current job; written before the generation is published, read only by a thread that has
    /// claimed one of its tasks (so the job is still running and the caller is not writing it).
    private var job: ((Int, UnsafeMutableRawPointer) -> Void)?
    private var generation = 0

    /// All cores of this machine.
    public static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// A pool of `threads` threads (clamped to 1...256); the caller's thread is one of them.
    public init(threads: Int = ThreadPool.defaultThreadCount) {
        threadCount = min(max(threads, 1), 256)
        mutex = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        arenas = .allocate(byteCount: threadCount * ThreadPool.scratchBytes, alignment: 64)
        for worker in 1..<threadCount {
            let t = Thread { [self] in workerLoop(thread: worker) }
            t.stackSize = 1 << 20
            t.start()
        }
    }

    /// Runs once `shutdown` has let every worker exit (workers hold the pool while they run).
    deinit {
        arenas.deallocate()
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    /// Stops the workers. They hold `self` strongly, so call this to free a pool you are done with;
    /// pools are meant to live as long as the program. Later `parallelFor` calls run serially.
    public func shutdown() {
        stopping.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body(task)` for every task in 0..<count, spread over the pool; returns when all are done.
    /// Not reentrant: call from one thread at a time, never from inside a task.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        parallelFor(count) { task, _ in body(task) }
    }

    /// Like `parallelFor(_:_:)`, also passing the running thread's scratch (`scratchBytes` bytes,
    /// 64-byte aligned, contents undefined; valid only during the call).
    public func parallelFor(_ count: Int, _ body: (_ task: Int, _ scratch: UnsafeMutableRawPointer) -> Void) {
        if threadCount == 1 || count <= 1 || count >= 1 << 31 || stopping.load(ordering: .acquiring) {
            for i in 0..<max(count, 0) { body(i, arenas) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            generation = (generation + 1) & 0x7fff_ffff
            published.store(generation << 32 | count, ordering: .releasing)
            finished.store(0, ordering: .relaxed)
            state.store(generation << 32, ordering: .releasing)
            pthread_mutex_lock(mutex)
            if sleepers > 0 { pthread_cond_broadcast(wake) }
            pthread_mutex_unlock(mutex)
            runTasks(generation: generation, thread: 0)
            var spins = 0
            while finished.load(ordering: .acquiring) < count {
                spins += 1
                if spins > 2000 { sched_yield() }
            }
            job = nil
        }
    }

    /// Claims and runs tasks of `generation` until none are left. Not inlined, so the local copy of
    /// `job` is released before the caller can observe the last task finishing.
    @inline(never)
    private func runTasks(generation g: Int, thread: Int) {
        let scratch = arenas + thread * ThreadPool.scratchBytes
        var s = state.load(ordering: .acquiring)
        while s >> 32 == g {
            // Acquired after `state` showed generation g: job g's count, or a later job's (then
            // this generation is over and nothing is left to claim).
            let p = published.load(ordering: .acquiring)
            if p >> 32 != g { return }
            let count = p & 0xffff_ffff
            let i = s & 0xffff_ffff
            if i >= count { return }
            let (exchanged, now) = state.compareExchange(expected: s, desired: s + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                if let body = job { body(i, scratch) }
                finished.wrappingAdd(1, ordering: .releasing)
                s = state.load(ordering: .acquiring)
            } else {
                s = now
            }
        }
    }

    private func workerLoop(thread: Int) {
        var seen = 0
        while !stopping.load(ordering: .acquiring) {
            var g = state.load(ordering: .acquiring) >> 32
            var spins = 0
            while g == seen && spins < 100_000 {
                spins += 1
                g = state.load(ordering: .acquiring) >> 32
            }
            if g == seen {
                pthread_mutex_lock(mutex)
                sleepers += 1
                while state.load(ordering: .acquiring) >> 32 == seen && !stopping.load(ordering: .acquiring) {
                    pthread_cond_wait(wake, mutex)
                }
                sleepers -= 1
                pthread_mutex_unlock(mutex)
                g = state.load(ordering: .acquiring) >> 32
            }
            seen = g
            runTasks(generation: g, thread: thread)
        }
    }
}
