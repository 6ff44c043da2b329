#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that nothing is ever lost: the bytes go to a new temporary file in the target's
/// directory, are flushed to disk, and the temporary file is renamed over the target (atomic on one
/// file system). On any error the old file is untouched, the temporary file is removed, and the
/// message says why. An existing target keeps its permission bits.
public enum AtomicWrite {
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let dir = directory(of: path)
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            throw Failure(description: "\(path): is a directory")
        }
        let mode: mode_t = stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
        var template = Array((dir + "/.\(baseName(of: path)).tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(description: "\(path): cannot create a file in \(dir): \(errorText())") }
        let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        func fail(_ what: String) -> Failure {
            let f = Failure(description: "\(path): \(what): \(errorText())")
            close(fd)
            unlink(tmp)
            return f
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write failed")
            }
            offset += n
        }
        if fchmod(fd, mode) != 0 { throw fail("cannot set permissions") }
        if fsync(fd) != 0 { throw fail("flush to disk failed") }
        if close(fd) != 0 {
            unlink(tmp)
            throw Failure(description: "\(path): close failed: \(errorText())")
        }
        if rename(tmp, path) != 0 {
            let f = Failure(description: "\(path): cannot replace the file: \(errorText())")
            unlink(tmp)
            throw f
        }
        // Make the rename itself durable.
        let dfd = open(dir, O_RDONLY)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    public static func fileExists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
