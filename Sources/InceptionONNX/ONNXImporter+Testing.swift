import Synchronization

/// A test's view of what an import read from external-data files: the tests check that a model
/// refused for its structure or sizes read none of its weights (issue 19, item 4).
extension ONNXImporter {
    /// Bytes of external data read, counted while a test's `withValue` scope runs.
    package final class ByteCounter: Sendable {
        private let total = Mutex(0)
        package init() {}
        package var bytes: Int { total.withLock { $0 } }
        func add(_ n: Int) { total.withLock { $0 += n } }
    }

    /// Set by a test around an import; nil (no counting) everywhere else.
    @TaskLocal package static var externalBytesRead: ByteCounter?
}
