import Foundation
import TestSupport
import XCTest

/// `run --save DIR` as a set (issue 19): two saves at once leave one run's complete set, never
/// files of both (11), and a DIR that is a symbolic link to a folder on another file system saves
/// there instead of failing with "Invalid cross-device link" (12).
final class SaveDirectoryCLITests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }
    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-save")
    }
    override func tearDown() { tmp?.remove() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    var env: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CACHE_HOME"] = path("cache")
        return e
    }

    /// Twelve 1x1 convs in a row: a set of 26 files, so one save's moves take long enough for
    /// another's to land among them (files moved in one at a time gave mixed sets).
    func chain() throws -> String {
        let layers = (0..<12).map { #"{"name":"c\#($0)","op":"conv","out":4,"kernel":1}"# }.joined(separator: ",")
        let json =
            #"{"format":"inception-layout/1","name":"chain","input":{"channels":4,"height":4,"width":4},"layers":[\#(layers)]}"#
        try json.write(toFile: path("chain.json"), atomically: true, encoding: .utf8)
        return path("chain.json")
    }

    func contents(_ d: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: d) {
            out[name] = FileManager.default.contents(atPath: d + "/" + name)
        }
        return out
    }

    /// Starts the binary without waiting (output to /dev/null).
    func start(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Seeds 1 and 2 saved alone give the two reference sets; then, many times over, both saves
    /// run at once into one existing DIR: it must end equal to one of the two sets.
    func testTwoSavesAtOnceLeaveOneCompleteSet() throws {
        let layout = try chain()
        for seed in ["1", "2"] {
            let r = try CLI.run(
                ["run", layout, "--seed", seed, "--threads", "1", "--save", path("ref\(seed)")], environment: env)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let one = try contents(path("ref1")), two = try contents(path("ref2"))
        XCTAssertEqual(one.count, 26)
        XCTAssertNotEqual(one, two)
        let target = path("out")
        XCTAssertEqual(try CLI.run(["run", layout, "--save", target], environment: env).status, 0)
        for trial in 0..<12 {
            let a = try start(["run", layout, "--seed", "1", "--threads", "1", "--save", target])
            let b = try start(["run", layout, "--seed", "2", "--threads", "1", "--save", target])
            a.waitUntilExit()
            b.waitUntilExit()
            XCTAssertEqual([a.terminationStatus, b.terminationStatus], [0, 0])
            let now = try contents(target)
            XCTAssertTrue(
                now == one || now == two,
                "trial \(trial): a mixed set (\(now.filter { one[$0.key] == $0.value }.count) files of seed 1)")
        }
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.contains(".tmp-") },
            "no staging directory left behind")
    }

    /// DIR a symbolic link to a folder in /dev/shm (tmpfs) from the temporary directory (here a
    /// different file system; the test says so and skips where it is not): the first save creates
    /// the folder's files, the second replaces them, and the link stays a link.
    func testSaveThroughALinkToAnotherFileSystem() throws {
        var a = stat(), b = stat()
        guard stat(dir.path, &a) == 0, stat("/dev/shm", &b) == 0, a.st_dev != b.st_dev else {
            throw XCTSkip("the temporary directory and /dev/shm are on one file system here")
        }
        let far = "/dev/shm/ie-save-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: far + "/w", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: far) }
        try FileManager.default.createSymbolicLink(atPath: path("w"), withDestinationPath: far + "/w")
        let layout = try chain()
        for seed in ["1", "2"] {
            let r = try CLI.run(["run", layout, "--seed", seed, "--save", path("w")], environment: env)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try contents(far + "/w").count, 26)
            XCTAssertEqual(try contents(far + "/w"), try contents(path("w")))
        }
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("w")), far + "/w")
        // And a link to a folder there that does not exist yet.
        try FileManager.default.createSymbolicLink(atPath: path("n"), withDestinationPath: far + "/n")
        let r = try CLI.run(["run", layout, "--save", path("n")], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try contents(far + "/n").count, 26)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: far).sorted(), ["n", "w"], "no staging folder left")
    }

    /// Runs a command, returning its status (for mount/umount).
    func system(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// DIR a mount point (a small tmpfs; a Docker volume is one) and DIR a bind mount of a folder
    /// on the same file system (same st_dev, yet rename across it fails with EXDEV): both save, and
    /// save again over the first set. Needs root to mount: skipped otherwise.
    func testSaveIntoAMountPoint() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting needs root") }
        let layout = try chain()
        try FileManager.default.createDirectory(atPath: path("mnt"), withIntermediateDirectories: true)
        guard system(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", path("mnt")]) == 0 else {
            throw XCTSkip("mount -t tmpfs is not allowed here")
        }
        defer { _ = system(["umount", path("mnt")]) }
        try FileManager.default.createDirectory(atPath: path("src"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path("bound"), withIntermediateDirectories: true)
        guard system(["mount", "--bind", path("src"), path("bound")]) == 0 else {
            throw XCTSkip("mount --bind is not allowed here")
        }
        defer { _ = system(["umount", path("bound")]) }
        for target in ["mnt", "bound"] {
            for seed in ["1", "2"] {
                let r = try CLI.run(["run", layout, "--seed", seed, "--save", path(target)], environment: env)
                XCTAssertEqual(r.status, 0, "\(target): \(r.stderr)")
                XCTAssertEqual(try contents(path(target)).count, 26, target)
            }
        }
        XCTAssertEqual(try contents(path("src")), try contents(path("bound")))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.contains(".tmp-") })
    }
}
