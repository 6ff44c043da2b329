// TEMPORARY: stand-ins for the core API the reliability helper (issue 12) is adding —
// `AtomicWrite.checkTarget`, `FileStamp`, `LayoutLimits.maxChannels`. Deleted when that lands.
#if canImport(Glibc)
import Glibc
#endif
import InceptionCore

struct PendingTargetError: Error, CustomStringConvertible { var description: String }

extension AtomicWrite {
    enum Target: Equatable, Sendable { case missing, regularFile }

    static func checkTarget(_ path: String) throws -> Target {
        var st = stat()
        if stat(path, &st) != 0 { return .missing }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw PendingTargetError(description: "\(path): is a directory") }
        if (st.st_mode & S_IFMT) != S_IFREG { throw PendingTargetError(description: "\(path): not a regular file") }
        if path.hasPrefix("/proc/") || path.hasPrefix("/sys/") { throw PendingTargetError(description: "\(path): cannot create files here") }
        return .regularFile
    }
}

struct FileStamp: Equatable, Sendable {
    var device: UInt64 = 0
    var inode: UInt64
    var size: Int64
    var seconds: Int64
    var nanoseconds: Int64

    static func of(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size), seconds: Int64(st.st_mtim.tv_sec),
                         nanoseconds: Int64(st.st_mtim.tv_nsec))
    }
}

enum LayoutLimits {
    static let maxChannels = 1 << 24
}
