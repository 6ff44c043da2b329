import Foundation
import InceptionCore

/// `run --save DIR`: every file goes first into a hidden staging directory beside DIR
/// (`.DIR.tmp-XXXXXX`), which becomes DIR (or whose files move into an existing DIR) only when all
/// were written. A full disk or any other failure removes the staging directory and leaves DIR as
/// it was: never a partial set of weights that looks complete.
struct SaveDirectory {
    /// Where the caller asked for the files.
    let target: String
    /// Where they are written until `commit`.
    let staging: String

    init(_ target: String) throws(Failure) {
        let trimmed = target.count > 1 && target.hasSuffix("/") ? String(target.dropLast()) : target
        var st = stat()
        if stat(trimmed, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
            throw Failure("\(target): not a directory (\(RegularFile.kindName(st.st_mode)))")
        }
        let parent = AtomicWrite.directory(of: trimmed), base = AtomicWrite.baseName(of: trimmed)
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure("\(parent): cannot create the directory (\(error.localizedDescription))")
        }
        var template = Array((parent + "/." + base + ".tmp-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Failure("\(target): cannot create a staging directory in \(parent): \(String(cString: strerror(errno)))")
        }
        self.target = trimmed
        self.staging = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func path(_ name: String) -> String { staging + "/" + name }

    /// Moves the staged files into place: the staging directory becomes the target when there is
    /// none yet, else each file is renamed into it (replacing regular files only).
    func commit() throws(Failure) {
        var st = stat()
        if stat(target, &st) != 0 {
            if rename(staging, target) == 0 { return }
            let e = String(cString: strerror(errno))
            abandon()
            throw Failure("\(target): cannot create the directory: \(e)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []
        for name in names {
            let destination = target + "/" + name
            if lstat(destination, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                abandon()
                throw Failure("\(destination): not a regular file (\(RegularFile.kindName(st.st_mode))); nothing saved")
            }
        }
        for name in names where rename(staging + "/" + name, target + "/" + name) != 0 {
            let e = String(cString: strerror(errno))
            abandon()
            throw Failure("\(target)/\(name): cannot move into place: \(e)")
        }
        rmdir(staging)
    }

    /// Removes the staging directory and whatever is in it.
    func abandon() {
        try? FileManager.default.removeItem(atPath: staging)
    }
}
