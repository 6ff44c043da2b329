import Foundation
import Synchronization

/// A small persistent pool of worker threads that runs the tasks of one op at a time.
///
/// Ops split their work into a fixed number of tasks that depends only on the op's shapes, never on
/// the thread count, and every output element is computed inside exactly one task in a fixed order.
/// So results are bitwise identical for any thread count; threads only change who runs which task.
/// Workers are created once; a run hands them a non-escaping closure (no allocation, no thread
/// creation). Idle workers spin briefly for the next op (ops come back to back in a forward pass),
/// then sleep on a condition variable so an idle pool costs nothing on a shared machine.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that run tasks, including the calling thread.
    public let threadCount: Int

    private let generation = Atomic<Int>(0)
    private let busyWorkers = Atomic<Int>(0)
    private let nextTask = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    /// The current job; set by `parallelFor` before it publishes a new generation, cleared after.
    private var job: ((Int) -> Void)?
    private var taskCount = 0

    /// All cores of this machine.
    public static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// A pool of `threads` threads (clamped to 1...256); the caller's thread is one of them.
    public init(threads: Int = ThreadPool.defaultThreadCount) {
        threadCount = min(max(threads, 1), 256)
        mutex = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for _ in 1..<threadCount {
            let t = Thread { [self] in workerLoop() }
            t.stackSize = 1 << 20
            t.start()
        }
    }

    /// Stops the workers. (They hold `self` strongly, so call this to free a pool you are done with;
    /// pools are meant to live as long as the program.)
    public func shutdown() {
        stopping.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        generation.wrappingAdd(1, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body(task)` for every task in 0..<count, spread over the pool; returns when all are done.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        if threadCount == 1 || count <= 1 || stopping.load(ordering: .acquiring) {
            for i in 0..<max(count, 0) { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            taskCount = count
            nextTask.store(0, ordering: .relaxed)
            busyWorkers.store(threadCount - 1, ordering: .relaxed)
            pthread_mutex_lock(mutex)
            generation.wrappingAdd(1, ordering: .releasing)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
            drainTasks()
            var spins = 0
            while busyWorkers.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 1000 { sched_yield() }
            }
            job = nil
        }
    }

    /// Takes tasks until none are left. Not inlined so the local copy of `job` is released before
    /// the caller reports completion.
    @inline(never)
    private func drainTasks() {
        guard let body = job else { return }
        let count = taskCount
        while true {
            let i = nextTask.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { break }
            body(i)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen && spins < 200_000 { spins += 1 }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, mutex) }
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            drainTasks()
            busyWorkers.wrappingSubtract(1, ordering: .releasing)
        }
    }
}
