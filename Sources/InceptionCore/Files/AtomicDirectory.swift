#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory of files written as one set (`run --save DIR`, `import --weights DIR`): files go
/// into a hidden staging directory, and `commit` puts the whole set in place at once, or nothing.
///
/// - The staging directory is made beside the *resolved* target (a symbolic link to a folder on
///   another file system is followed first), so the final rename never crosses file systems; a
///   target that is a mount point (a Docker volume, a tmpfs) gets its staging directory inside it.
/// - Nothing is created at the target until `commit`: missing parent folders are made then (and
///   removed again if the commit fails), so a command that fails early leaves no trace.
/// - A new target is the staging directory renamed. An existing one is swapped whole with
///   `renameat2(RENAME_EXCHANGE)`, after its other entries were hard-linked into the staging
///   directory (so files the set does not replace stay), and readers see the old set or the new,
///   never a mix. Where that cannot be done (a target holding folders, a file system without the
///   exchange) the files move in one by one.
/// - Commits into the same folder hold an advisory lock (`flock` on the parent directory), so two
///   saves at once end as one complete set, the later one's, never files of both.
public final class AtomicDirectory {
    public typealias Failure = AtomicWrite.Failure

    /// The path as the caller gave it (for messages).
    public let path: String
    /// What it resolves to: where the files end up.
    public let target: String
    /// Where files are written until `commit`.
    public let staging: String
    /// The staging directory is inside the target (a mount point): files move in one by one.
    let stagedInside: Bool
    /// The nearest existing folder above the target, locked during the commit.
    let lockDirectory: String
    private var finished = false

    /// How long a commit waits for another commit into the same folder, in seconds.
    public static let lockWaitSeconds = 60

    public init(_ path: String) throws(Failure) {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = path
        let shown = PathText.shown(path)
        let target = try AtomicWrite.resolve(trimmed)
        var st = stat()
        let exists = stat(target, &st) == 0
        if exists && (st.st_mode & S_IFMT) != S_IFDIR {
            throw Failure(description: "\(shown): not a directory (\(RegularFile.kindName(st.st_mode)))")
        }
        let targetDevice = st.st_dev
        // The nearest folder that exists: the staging directory goes there now, the missing
        // folders between it and the target are made at commit.
        var ancestor = AtomicWrite.directory(of: target)
        while true {
            var ps = stat()
            if stat(ancestor, &ps) == 0 {
                guard (ps.st_mode & S_IFMT) == S_IFDIR else {
                    throw Failure(
                        description:
                            "\(shown): cannot create the directory: \(PathText.shown(ancestor)) is not a directory")
                }
                if exists && ps.st_dev != targetDevice && ancestor == AtomicWrite.directory(of: target) {
                    ancestor = target  // a mount point: stage inside it
                }
                break
            }
            guard errno == ENOENT, ancestor != "/", ancestor != "." else {
                throw Failure(
                    description:
                        "\(shown): cannot create the directory: \(RegularFile.reason(errno: errno, path: ancestor))")
            }
            ancestor = AtomicWrite.directory(of: ancestor)
        }
        self.stagedInside = ancestor == target
        self.lockDirectory = stagedInside ? target : ancestor
        var template = Array((ancestor + "/." + AtomicWrite.temporaryStem(of: target) + ".tmp-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Failure(
                description:
                    "\(shown): cannot create a staging directory in \(PathText.shown(ancestor)): \(AtomicWrite.errorText())"
            )
        }
        self.target = target
        self.staging = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { abandon() }

    /// Where to write the file `name` of the set.
    public func file(_ name: String) -> String { staging + "/" + name }

    /// The names written so far.
    public func stagedNames() -> [String] { Self.names(in: staging) }

    /// Puts the staged set in place. Refuses (and leaves the target as it was) when one of the
    /// files would replace something in `reads` or anything but a regular file.
    public func commit(protecting reads: ReadFiles = ReadFiles()) throws(Failure) {
        defer { finished = true }
        let names = stagedNames()
        do {
            try checkDestinations(names, reads: reads)
            let lock = try Self.lock(lockDirectory, shownAs: path)
            defer { if lock >= 0 { close(lock) } }
            try place(names)
        } catch {
            abandon()
            throw error
        }
    }

    /// Removes the staging directory and whatever is in it; the target is untouched.
    public func abandon() {
        guard !finished else { return }
        finished = true
        Self.removeTree(staging)
    }

    // MARK: Steps

    func checkDestinations(_ names: [String], reads: ReadFiles) throws(Failure) {
        for name in names {
            let destination = target + "/" + name
            try reads.refuse(writing: destination)
            var st = stat()
            if lstat(destination, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                throw Failure(
                    description:
                        "\(PathText.shown(path + "/" + name)): not a regular file (\(RegularFile.kindName(st.st_mode))); nothing saved"
                )
            }
        }
    }

    func place(_ names: [String]) throws(Failure) {
        if stagedInside { return try moveEach(names) }
        var st = stat()
        // lstat: the target was resolved at init; a link put in its place since is refused, never
        // followed (its files would be linked, swapped and unlinked through it).
        if lstat(target, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
            throw Failure(description: "\(PathText.shown(path)): became a symbolic link while saving; nothing saved")
        }
        if lstat(target, &st) != 0 {
            let created = try makeParents()
            _ = chmod(staging, 0o777 & ~Self.currentUmask())
            if rename(staging, target) == 0 {
                AtomicWrite.syncDirectory(AtomicWrite.directory(of: target))
                return
            }
            let e = errno
            guard e == EEXIST || e == ENOTEMPTY else {
                for dir in created.reversed() { rmdir(dir) }
                throw Failure(
                    description: "\(PathText.shown(path)): cannot create the directory: \(String(cString: strerror(e)))"
                )
            }
            // Another program made it meanwhile: replace its contents as for an existing target.
            guard lstat(target, &st) == 0 else {
                throw Failure(description: "\(PathText.shown(path)): cannot create the directory")
            }
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(description: "\(PathText.shown(path)): not a directory (\(RegularFile.kindName(st.st_mode)))")
        }
        guard carryOver(names) else { return try moveEach(names) }
        _ = chmod(staging, st.st_mode & 0o7777)
        if Self.exchange(staging, target) {
            AtomicWrite.syncDirectory(AtomicWrite.directory(of: target))
            // The staging name now holds the old set: its files are replaced or linked in the new one.
            removeOldSet()
            return
        }
        try moveEach(names)
    }

    /// Hard-links every entry of the target the set does not replace into the staging directory;
    /// false (nothing to undo: the links are removed with the staging directory) when one is a
    /// folder or cannot be linked.
    func carryOver(_ names: [String]) -> Bool {
        let staged = Set(names)
        for name in Self.names(in: target) where !staged.contains(name) {
            var st = stat()
            guard lstat(target + "/" + name, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR,
                link(target + "/" + name, staging + "/" + name) == 0
            else { return false }
        }
        return true
    }

    /// After a swap: unlinks the old set's files; a folder someone put into the target between
    /// our look and the swap is moved back, never deleted.
    func removeOldSet() {
        var top = stat()
        guard lstat(staging, &top) == 0, (top.st_mode & S_IFMT) == S_IFDIR else {
            unlink(staging)  // what was swapped out is not a folder (a link): remove the link only
            return
        }
        for name in Self.names(in: staging) {
            let p = staging + "/" + name
            var st = stat()
            guard lstat(p, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                _ = rename(p, target + "/" + name)
            } else {
                unlink(p)
            }
        }
        rmdir(staging)
    }

    /// The fallback: each staged file renamed into the target (under the lock), or copied when
    /// the rename crosses file systems (a bind mount).
    func moveEach(_ names: [String]) throws(Failure) {
        _ = try makeParents()
        var st = stat()
        if stat(target, &st) != 0 && mkdir(target, 0o777) != 0 && errno != EEXIST {
            throw Failure(
                description: "\(PathText.shown(path)): cannot create the directory: \(AtomicWrite.errorText())")
        }
        for name in names {
            let from = staging + "/" + name, to = target + "/" + name
            if rename(from, to) == 0 { continue }
            let e = errno
            guard e == EXDEV else {
                throw Failure(
                    description:
                        "\(PathText.shown(path + "/" + name)): cannot move into place: \(String(cString: strerror(e)))")
            }
            do {
                try AtomicWrite.write(try RegularFile.readAll(from), to: to)
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(description: "\(error)")
            }
        }
        AtomicWrite.syncDirectory(target)
        Self.removeTree(staging)
    }

    /// Makes the missing folders above the target; returns them, outermost first.
    func makeParents() throws(Failure) -> [String] {
        var missing: [String] = []
        var dir = AtomicWrite.directory(of: target)
        var st = stat()
        while stat(dir, &st) != 0 && errno == ENOENT && dir != "/" && dir != "." {
            missing.append(dir)
            dir = AtomicWrite.directory(of: dir)
        }
        var created: [String] = []
        for d in missing.reversed() {
            if mkdir(d, 0o777) != 0 && errno != EEXIST {
                let e = errno
                for c in created.reversed() { rmdir(c) }
                throw Failure(
                    description: "\(PathText.shown(d)): cannot create the directory: \(String(cString: strerror(e)))")
            }
            created.append(d)
        }
        return created
    }

    // MARK: System calls

    /// Takes the advisory lock on `dir`, waiting up to `lockWaitSeconds` for another commit; -1
    /// (no lock, the commit goes on) when `dir` cannot be opened for reading (a folder with `x`
    /// but not `r` permission), as a save there worked before locks.
    static func lock(_ dir: String, shownAs path: String) throws(Failure) -> Int32 {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return -1 }
        for _ in 0..<(lockWaitSeconds * 100) {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return fd }
            guard errno == EWOULDBLOCK || errno == EINTR else { break }
            usleep(10_000)
        }
        close(fd)
        throw Failure(
            description:
                "\(PathText.shown(path)): another save into \(PathText.shown(dir)) holds its lock; nothing saved")
    }

    /// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`, looked up at run time as
    /// Glibc's module does not export it); false where the call or the file system lacks it.
    static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let atCWD: Int32 = -100, renameExchange: UInt32 = 2  // AT_FDCWD, RENAME_EXCHANGE (linux/fs.h)
        return renameat2(atCWD, a, atCWD, b, renameExchange) == 0
    }

    static func currentUmask() -> mode_t {
        let m = umask(0o022)
        umask(m)
        return m
    }

    static func names(in dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }

    /// Removes `dir` and everything below it, never following a symbolic link out of it.
    static func removeTree(_ dir: String) {
        var top = stat()
        guard lstat(dir, &top) == 0 else { return }
        guard (top.st_mode & S_IFMT) == S_IFDIR else {
            unlink(dir)
            return
        }
        for name in names(in: dir) {
            let p = dir + "/" + name
            var st = stat()
            guard lstat(p, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR { removeTree(p) } else { unlink(p) }
        }
        rmdir(dir)
    }
}
