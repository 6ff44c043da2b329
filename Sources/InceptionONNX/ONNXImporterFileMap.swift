import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model file as parse input, without holding it in memory twice.
///
/// swift-protobuf copies every `bytes` field (the weights' `raw_data`) out of its input, so parsing
/// a read buffer peaks at the file plus its copy (2x). Here the file is mapped read-only and, while
/// the parse runs, a helper thread keeps telling the kernel the mapped pages are not needed
/// (`MADV_DONTNEED`): a private, never-written file mapping then just refaults a page from the page
/// cache when the parser touches it again, so only the pages in use stay resident and the peak is
/// about the parsed copy alone. (Measured in docs/benchmarks.md, "ONNX import".)
enum ModelFileMap {
    static func withMappedFile<T>(
        _ path: String, _ body: (Data) throws(ONNXImportError) -> T
    ) throws(ONNXImportError) -> T {
        // Through links (a model cache's), never blocking: a FIFO swapped in after the caller's
        // type check is refused by fstat, not waited on.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ONNXImportError(file: path, "cannot read the file (permission denied?)") }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ONNXImportError(file: path, "not a regular file")
        }
        let size = Int(st.st_size)
        guard size > 0 else {
            close(fd)
            return try body(Data())
        }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        close(fd)
        guard let base = mapped, base != MAP_FAILED else { throw ONNXImportError(file: path, "cannot map the file") }
        defer { munmap(base, size) }
        let trimmer = PageTrimmer(Region(base: base, size: size))
        defer { trimmer.stop() }
        return try body(Data(bytesNoCopy: base, count: size, deallocator: .none))
    }

    /// A mapped range, handed to the trimming thread.
    struct Region: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let size: Int
    }

    /// Drops the mapping's resident pages every couple of milliseconds until stopped.
    final class PageTrimmer: Sendable {
        private let running = Atomic<Bool>(true)
        private let finished = DispatchSemaphore(value: 0)

        init(_ region: Region) {
            let thread = Thread { [self] in
                while running.load(ordering: .relaxed) {
                    _ = madvise(region.base, region.size, Int32(MADV_DONTNEED))
                    usleep(2_000)
                }
                finished.signal()
            }
            thread.start()
        }

        func stop() {
            running.store(false, ordering: .relaxed)
            finished.wait()
        }
    }
}
