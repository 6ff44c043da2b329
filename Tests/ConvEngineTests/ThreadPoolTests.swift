import Synchronization
import XCTest

@testable import ConvEngine

final class ThreadPoolTests: XCTestCase {
    /// Every task of every run runs exactly once, for task counts around the thread count.
    func testEveryTaskRunsOnce() {
        let pool = ThreadPool(threads: 2)
        defer { pool.shutdown() }
        for count in [0, 1, 2, 3, 7, 64, 1000] {
            let hits = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: max(count, 1))
            for i in 0..<max(count, 1) { (hits + i).initialize(to: Atomic(0)) }
            for _ in 0..<50 { pool.parallelFor(count) { t in hits[t].wrappingAdd(1, ordering: .relaxed) } }
            for i in 0..<count { XCTAssertEqual(hits[i].load(ordering: .relaxed), 50, "task \(i) of \(count)") }
            hits.deinitialize(count: max(count, 1))
            hits.deallocate()
        }
    }

    /// Regression (session 15): `bench --profile` at 2 threads trapped about once in 20 runs with
    /// "closure argument was escaped in withoutActuallyEscaping block". A worker that found job g's
    /// tasks all claimed could read the *next* job's task count (published before the next
    /// generation) and win a claim on job g's counter for a task g never had: it then ran a task of
    /// the next job, which would also run again, and its finish could end that job while it still
    /// ran. Back-to-back jobs of 2 and 16 tiny tasks give the race its chances: every task of every
    /// job must run exactly once, and all of them before `parallelFor` returns.
    func testEveryTaskRunsOnceAcrossBackToBackJobs() {
        let pool = ThreadPool(threads: 2)
        defer { pool.shutdown() }
        let hits = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: 16)
        for i in 0..<16 { (hits + i).initialize(to: Atomic(0)) }
        defer {
            hits.deinitialize(count: 16)
            hits.deallocate()
        }
        var wrong = 0
        for run in 0..<1_000_000 {
            let count = run % 2 == 0 ? 2 : 16
            pool.parallelFor(count) { t in hits[t].wrappingAdd(1, ordering: .relaxed) }
            for t in 0..<count where hits[t].exchange(0, ordering: .relaxed) != 1 { wrong += 1 }
        }
        XCTAssertEqual(wrong, 0, "tasks run other than exactly once before parallelFor returned")
    }
}
