import Foundation
import InceptionCore
import TestSupport
import XCTest

/// `AtomicDirectory`, the set writer behind `run --save` and `import --weights` (issue 19, items
/// 10-12): nothing exists at the target before `commit`, the set replaces an existing folder as a
/// whole, other files in it stay, concurrent commits never mix, and a target across a file system
/// boundary works.
final class AtomicDirectoryTests: XCTestCase {
    var tmp: TemporaryDirectory!
    override func setUpWithError() throws { tmp = try TemporaryDirectory("atomic-dir") }
    override func tearDown() { tmp.remove() }

    func write(_ set: AtomicDirectory, _ files: [String: String]) throws {
        for (name, text) in files { try AtomicWrite.write(Array(text.utf8), to: set.file(name)) }
    }

    func contents(_ d: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: d) {
            out[name] = String(decoding: FileManager.default.contents(atPath: d + "/" + name) ?? Data(), as: UTF8.self)
        }
        return out
    }

    func entries() throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: tmp.path)) }

    func testNothingAppearsBeforeCommitAndMissingParentsAreMadeThen() throws {
        let set = try AtomicDirectory(tmp.path("new/a/b/W"))
        try write(set, ["x.npy": "1"])
        XCTAssertEqual(try entries().filter { !$0.hasPrefix(".") }, [], "no folder before commit")
        try set.commit()
        XCTAssertEqual(try contents(tmp.path("new/a/b/W")), ["x.npy": "1"])
        XCTAssertEqual(try entries(), ["new"], "the staging folder is gone")

        let dropped = try AtomicDirectory(tmp.path("other/W"))
        try write(dropped, ["x.npy": "1"])
        dropped.abandon()
        XCTAssertEqual(try entries(), ["new"])
    }

    /// An existing folder: the set's files are replaced, files it does not write stay (hard links
    /// carried into the swapped-in folder), and the folder keeps its permission bits.
    func testExistingFolderIsReplacedAsAWholeKeepingOtherFiles() throws {
        let target = tmp.path("W")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try "old".write(toFile: target + "/x.npy", atomically: false, encoding: .utf8)
        try "mine".write(toFile: target + "/notes.txt", atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(target, 0o750), 0)
        var before = stat()
        XCTAssertEqual(stat(target + "/notes.txt", &before), 0)
        let set = try AtomicDirectory(target)
        try write(set, ["x.npy": "new", "y.npy": "new"])
        try set.commit()
        XCTAssertEqual(try contents(target), ["x.npy": "new", "y.npy": "new", "notes.txt": "mine"])
        var after = stat()
        XCTAssertEqual(stat(target + "/notes.txt", &after), 0)
        XCTAssertEqual(after.st_ino, before.st_ino, "the same file, not a copy")
        XCTAssertEqual(stat(target, &after), 0)
        XCTAssertEqual(after.st_mode & 0o777, 0o750)
        XCTAssertEqual(try entries(), ["W"])
    }

    /// A folder holding folders cannot be swapped (they cannot be hard-linked): the files move in
    /// one by one and the sub-folder is untouched.
    func testFolderWithSubfoldersTakesTheFilesOneByOne() throws {
        let target = tmp.path("W")
        try FileManager.default.createDirectory(atPath: target + "/keep", withIntermediateDirectories: true)
        try "k".write(toFile: target + "/keep/k.txt", atomically: false, encoding: .utf8)
        let set = try AtomicDirectory(target)
        try write(set, ["x.npy": "new"])
        try set.commit()
        XCTAssertEqual(try contents(target + "/keep"), ["k.txt": "k"])
        XCTAssertEqual(try contents(target)["x.npy"], "new")
        XCTAssertEqual(try entries(), ["W"])
    }

    /// A set that would replace a file the command reads is refused and nothing changes.
    func testCommitRefusesToReplaceAFileRead() throws {
        let target = tmp.path("W")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try "weights".write(toFile: target + "/x.npy", atomically: false, encoding: .utf8)
        var reads = ReadFiles()
        reads.add(target + "/x.npy", role: "a --weights file")
        let set = try AtomicDirectory(target)
        try write(set, ["x.npy": "new", "y.npy": "new"])
        XCTAssertThrowsError(try set.commit(protecting: reads)) { error in
            XCTAssertTrue("\(error)".hasSuffix("x.npy: is a --weights file itself; write to another file"), "\(error)")
        }
        XCTAssertEqual(try contents(target), ["x.npy": "weights"])
        XCTAssertEqual(try entries(), ["W"])
    }

    /// Four threads commit sets of 40 files (each set's files all say which thread wrote them)
    /// into one folder, over and over: after every round the folder holds one thread's whole set.
    func testConcurrentCommitsNeverMix() throws {
        let target = tmp.path("W")
        let names = (0..<40).map { "f\($0).npy" }
        for round in 0..<5 {
            let failures = LockedList()
            DispatchQueue.concurrentPerform(iterations: 4) { writer in
                do {
                    let set = try AtomicDirectory(target)
                    // Plain writes (no fsync each): the commit is what is tested.
                    for name in names {
                        _ = FileManager.default.createFile(atPath: set.file(name), contents: Data("\(writer)".utf8))
                    }
                    try set.commit()
                } catch {
                    failures.append("\(error)")
                }
            }
            XCTAssertEqual(failures.items, [])
            let now = try contents(target)
            XCTAssertEqual(Set(now.keys), Set(names))
            XCTAssertEqual(Set(now.values).count, 1, "round \(round): files of \(Set(now.values).sorted()) mixed")
        }
        XCTAssertEqual(try entries(), ["W"])
    }

    /// A symbolic link to a folder on another file system (/dev/shm is tmpfs): the staging folder
    /// goes beside the link's target, not beside the link ("Invalid cross-device link").
    func testLinkToAFolderOnAnotherFileSystem() throws {
        var a = stat(), b = stat()
        guard stat(tmp.path, &a) == 0, stat("/dev/shm", &b) == 0, a.st_dev != b.st_dev else {
            throw XCTSkip("the temporary directory and /dev/shm are on one file system here")
        }
        let far = "/dev/shm/atomic-dir-\(UUID().uuidString)"
        XCTAssertEqual(mkdir(far, 0o755), 0)
        defer { try? FileManager.default.removeItem(atPath: far) }
        try FileManager.default.createSymbolicLink(atPath: tmp.path("W"), withDestinationPath: far + "/W")
        for text in ["first", "second"] {
            let set = try AtomicDirectory(tmp.path("W"))
            try write(set, ["x.npy": text])
            try set.commit()
            XCTAssertEqual(try contents(far + "/W"), ["x.npy": text])
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: far), ["W"])
        XCTAssertEqual(try entries(), ["W"])
    }

    /// The target swapped for a link to another folder between staging and commit: refused, and
    /// the other folder's files are neither linked, moved nor unlinked through it.
    func testATargetTurnedIntoALinkIsNotFollowedAtCommit() throws {
        let target = tmp.path("W"), other = tmp.path("other")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: false)
        try "keep".write(toFile: other + "/victim.txt", atomically: false, encoding: .utf8)
        let set = try AtomicDirectory(target)
        try write(set, ["x.npy": "new"])
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: other)
        XCTAssertThrowsError(try set.commit()) { error in
            XCTAssertTrue("\(error)".contains("became a symbolic link while saving"), "\(error)")
        }
        XCTAssertEqual(try contents(other), ["victim.txt": "keep"])
        XCTAssertEqual(try entries(), ["W", "other"])
    }

    /// Messages about long paths stay short: the middle of the path gives way.
    func testLongPathsAreShortenedInMessages() throws {
        let long = tmp.path(String(repeating: "d", count: 200) + "/" + String(repeating: "e", count: 5000) + "/x.npy")
        XCTAssertThrowsError(try AtomicWrite.write([1], to: long)) { error in
            XCTAssertLessThan("\(error)".count, 300, "\(error)")
            XCTAssertTrue("\(error)".contains("…"), "\(error)")
        }
        XCTAssertEqual(PathText.shown("a\u{1b}[2Jb"), "a\\u{1b}[2Jb")
        XCTAssertEqual(PathText.shown(String(repeating: "x", count: 200)).count, PathText.maxShown)
    }
}

/// Strings collected from several threads.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ s: String) { lock.withLock { stored.append(s) } }
    var items: [String] { lock.withLock { stored } }
}
