#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that nothing is ever lost: the bytes go to a new temporary file in the target's
/// directory, are flushed to disk, and the temporary file is renamed over the target (atomic on one
/// file system). On any error the old file is untouched, the temporary file is removed, and the
/// message says why. An existing target keeps its permission bits.
///
/// Only regular files are ever replaced: a target that is a directory, a device (`/dev/null`), a
/// FIFO or a socket is refused before anything is created (a rename would replace the device node
/// itself). A symbolic link is followed: the file it points at is written and the link stays a link.
/// Temporary files of the same target older than `staleAge` seconds (left by a killed save) are
/// removed before writing.
public enum AtomicWrite {
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// What is at a write target now.
    public enum Target: Equatable, Sendable {
        /// Nothing yet: the write creates the file.
        case missing
        /// A regular file: the write replaces it (the caller may want to ask first).
        case regularFile
    }

    /// Temporary files younger than this may belong to a save in progress elsewhere and are kept.
    public static let staleAge: Int = 30

    /// What writing `path` would do, or why it cannot: a directory, device, FIFO or socket, a missing
    /// or unwritable parent directory, a file system where files cannot be created (/proc).
    /// Symbolic links are followed. Creates nothing that stays: the directory is probed with a
    /// temporary file that is removed at once.
    public static func checkTarget(_ path: String) throws(Failure) -> Target {
        let resolved = try resolve(path)
        return try check(resolved, shownAs: path)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        try prepare(bytes, to: path).commit()
    }

    /// A write made ready but not yet in place: the bytes are in a flushed temporary file beside
    /// the target, and `commit` renames it over the target. A command that writes several things
    /// prepares them all first, so a target that cannot be written (a FIFO, a full disk) fails
    /// before any other output changed (issue 19: `import -o fifo.json --weights W` wrote W).
    /// Dropping it unused (or `abandon`) removes the temporary file.
    public final class Prepared {
        public let path: String
        let target: String
        var temporary: String?

        init(path: String, target: String, temporary: String) {
            self.path = path
            self.target = target
            self.temporary = temporary
        }

        deinit { abandon() }

        /// Renames the temporary file over the target (checking once more that the target is still
        /// a regular file or missing) and makes the rename durable.
        public func commit() throws(Failure) {
            guard let tmp = temporary else {
                throw Failure(description: "\(PathText.shown(path)): already written or abandoned")
            }
            temporary = nil
            var st = stat()
            // The target may have been swapped for something else while we wrote: check again.
            if lstat(target, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                unlink(tmp)
                throw Failure(description: "\(PathText.shown(path)): \(notRegular(st.st_mode))")
            }
            if rename(tmp, target) != 0 {
                let f = Failure(description: "\(PathText.shown(path)): cannot replace the file: \(errorText())")
                unlink(tmp)
                throw f
            }
            syncDirectory(directory(of: target))
        }

        /// Removes the temporary file; the target stays as it was.
        public func abandon() {
            if let tmp = temporary { unlink(tmp) }
            temporary = nil
        }
    }

    /// Writes `bytes` to a flushed temporary file beside what `path` resolves to, with the target's
    /// permission bits; `commit` puts it in place.
    public static func prepare(_ bytes: [UInt8], to path: String) throws(Failure) -> Prepared {
        let target = try resolve(path)
        let existing = try check(target, shownAs: path, probe: false)
        var st = stat()
        let mode: mode_t = existing == .regularFile && stat(target, &st) == 0 ? st.st_mode & 0o7777 : 0o644
        removeStaleTemporaryFiles(of: target)
        let (fd, tmp) = try makeTemporary(for: target, shownAs: path)
        func fail(_ what: String) -> Failure {
            let f = Failure(description: "\(PathText.shown(path)): \(what): \(errorText())")
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
            let f = Failure(description: "\(PathText.shown(path)): close failed: \(errorText())")
            unlink(tmp)
            throw f
        }
        return Prepared(path: path, target: target, temporary: tmp)
    }

    /// Makes a rename in `dir` durable.
    static func syncDirectory(_ dir: String) {
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    public static func fileExists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Removes `.NAME.tmp-XXXXXX` files beside `path` (following a symbolic link to its target)
    /// that are regular files older than `staleAge`: what a save killed between creating and
    /// renaming its temporary file leaves. Other files are never touched.
    public static func removeStaleTemporaryFiles(of path: String) {
        let target = (try? resolve(path)) ?? path
        let dir = directory(of: target)
        let prefix = Array(".\(temporaryStem(of: target)).tmp-".utf8)
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        let now = time(nil)
        while let entry = readdir(d) {
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard name.count == prefix.count + 6, name.starts(with: prefix),
                name[prefix.count...].allSatisfy(isTemplateByte)
            else { continue }
            let full = dir + "/" + String(decoding: name, as: UTF8.self)
            var st = stat()
            guard lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                Int(now - st.st_mtim.tv_sec) >= staleAge
            else { continue }
            unlink(full)
        }
    }

    // MARK: Steps

    /// The file a write to `path` lands on: `path` itself, or the end of its chain of symbolic
    /// links (which may not exist yet: a dangling link creates its target).
    public static func resolve(_ path: String) throws(Failure) -> String {
        guard !path.isEmpty else { throw Failure(description: "empty file name") }
        guard PathText.isExact(path) else {
            throw Failure(description: "\(PathText.shown(path)): \(PathText.notExactReason)")
        }
        var current = path
        for _ in 0..<40 {
            var st = stat()
            if lstat(current, &st) != 0 {
                if errno == ENOENT { return current }
                throw Failure(description: "\(PathText.shown(path)): \(RegularFile.reason(errno: errno, path: path))")
            }
            guard (st.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buf, buf.count - 1)
            guard n >= 0 else {
                throw Failure(description: "\(PathText.shown(path)): cannot read the symbolic link: \(errorText())")
            }
            // A link to a name that is not UTF-8 cannot be followed exactly (see `PathText.isExact`):
            // decoding it repaired wrote a new file beside the real target and said "wrote".
            guard let link = String(validating: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self),
                PathText.isExact(link)
            else {
                throw Failure(
                    description: "\(PathText.shown(path)): the symbolic link points to a name that is not valid UTF-8; "
                        + "this program cannot write it exactly: choose another name")
            }
            current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
        }
        throw Failure(description: "\(PathText.shown(path)): too many levels of symbolic links")
    }

    /// Checks the resolved `target`; messages name the path as the user gave it.
    static func check(_ target: String, shownAs path: String, probe: Bool = true) throws(Failure) -> Target {
        var st = stat()
        let exists: Bool
        if lstat(target, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                throw Failure(description: "\(PathText.shown(path)): \(notRegular(st.st_mode))")
            }
            exists = true
        } else if errno == ENOENT {
            exists = false
        } else {
            throw Failure(description: "\(PathText.shown(path)): \(RegularFile.reason(errno: errno, path: path))")
        }
        let dir = directory(of: target)
        var ds = stat()
        if stat(dir, &ds) != 0 {
            throw Failure(
                description:
                    "\(PathText.shown(path)): cannot create a file in \(PathText.shown(dir)): \(RegularFile.reason(errno: errno, path: dir))"
            )
        }
        guard (ds.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(
                description: "\(PathText.shown(path)): cannot create a file in \(PathText.shown(dir)): not a directory")
        }
        if probe {
            let (fd, tmp) = try makeTemporary(for: target, shownAs: path)
            close(fd)
            unlink(tmp)
        }
        return exists ? .regularFile : .missing
    }

    static func makeTemporary(for target: String, shownAs path: String) throws(Failure) -> (Int32, String) {
        let dir = directory(of: target)
        var template = Array((dir + "/.\(temporaryStem(of: target)).tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Failure(
                description: "\(PathText.shown(path)): cannot create a file in \(PathText.shown(dir)): \(errorText())")
        }
        let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (fd, tmp)
    }

    /// The target's name as its temporary files start: cut to 200 bytes (at a character), so a
    /// name near the 255-byte limit still has room for ".NAME.tmp-XXXXXX".
    static func temporaryStem(of target: String) -> String {
        var stem = Substring(baseName(of: target))
        while stem.utf8.count > 200 { stem = stem.dropLast() }
        return String(stem)
    }

    static func notRegular(_ mode: mode_t) -> String {
        "not a regular file (\(RegularFile.kindName(mode)))"
    }

    private static func isTemplateByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// The directory part of a file path: "." when it has no "/", "/" for a file at the root.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    /// The last component of a file path (the whole path when it has no "/").
    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
