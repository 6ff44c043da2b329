import Synchronization

/// A test's view of what an import did: the bytes it read from external-data files (a model refused
/// for its structure or sizes reads none, issue 19 item 4) and the work of its walk (linear in the
/// graph, item 7).
extension ONNXImporter {
    /// A count (bytes of external data read, or walk work) kept while a test's `withValue` scope runs.
    package final class ByteCounter: Sendable {
        private let total = Mutex(0)
        package init() {}
        package var bytes: Int { total.withLock { $0 } }
        func add(_ n: Int) { total.withLock { $0 += n } }
    }

    /// Set by a test around an import; nil (no counting) everywhere else.
    @TaskLocal package static var externalBytesRead: ByteCounter?

    /// Set by a test around an import: adds each walk's `GraphWalker.walkWork`.
    @TaskLocal package static var walkWork: ByteCounter?
}
