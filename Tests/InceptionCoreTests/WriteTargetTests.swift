import Foundation
import TestSupport
import XCTest

@testable import InceptionCore

/// Issue 12, items 6, 8, 9, 10, 11: only regular files are written or read, symbolic links are
/// followed, stale temporary files go, a changed file is detected, and one size limit holds.
/// Special files are made in a temporary directory (never a real /dev node).
final class WriteTargetTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: String { tmp.path }

    override func setUpWithError() throws { tmp = try TemporaryDirectory("ie-target") }

    override func tearDownWithError() throws { tmp?.remove() }

    func path(_ name: String) -> String { dir + "/" + name }

    func kind(_ p: String) -> mode_t {
        var st = stat()
        XCTAssertEqual(lstat(p, &st), 0)
        return st.st_mode & S_IFMT
    }

    func testAFIFOTargetIsRefusedAndStaysAFIFO() throws {
        let fifo = path("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertThrowsError(try AtomicWrite.write(Array("x".utf8), to: fifo)) { e in
            XCTAssertEqual("\(e)", "\(fifo): not a regular file (FIFO)")
        }
        XCTAssertThrowsError(try AtomicWrite.checkTarget(fifo)) { e in
            XCTAssertEqual("\(e)", "\(fifo): not a regular file (FIFO)")
        }
        XCTAssertEqual(kind(fifo), S_IFIFO)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["pipe"])
    }

    func testACharacterDeviceTargetIsRefusedAndStaysADevice() throws {
        let dev = path("null")
        // /dev/null's numbers (1, 3; glibc encodes them as (major << 8) | minor), made here: the real node is never touched.
        guard mknod(dev, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 else {
            throw XCTSkip("mknod not permitted here (errno \(errno))")
        }
        XCTAssertThrowsError(try AtomicWrite.write(Array("x".utf8), to: dev)) { e in
            XCTAssertEqual("\(e)", "\(dev): not a regular file (character device)")
        }
        XCTAssertEqual(kind(dev), S_IFCHR)
        // Through a symbolic link, the same.
        let link = path("link")
        XCTAssertEqual(symlink(dev, link), 0)
        XCTAssertThrowsError(try AtomicWrite.checkTarget(link)) { e in
            XCTAssertEqual("\(e)", "\(link): not a regular file (character device)")
        }
        XCTAssertThrowsError(try LayoutSource.readFile(dev)) { e in
            XCTAssertEqual("\(e)", "\(dev): is a character device, not a regular file")
        }
    }

    func testCheckTarget() throws {
        XCTAssertEqual(try AtomicWrite.checkTarget(path("new.json")), .missing)
        try AtomicWrite.write(Array("a".utf8), to: path("old.json"))
        XCTAssertEqual(try AtomicWrite.checkTarget(path("old.json")), .regularFile)
        XCTAssertThrowsError(try AtomicWrite.checkTarget(dir)) { e in
            XCTAssertEqual("\(e)", "\(dir): not a regular file (directory)")
        }
        XCTAssertThrowsError(try AtomicWrite.checkTarget(path("no/x.json"))) { e in
            XCTAssertEqual("\(e)", "\(path("no/x.json")): cannot create a file in \(path("no")): no such file")
        }
        XCTAssertThrowsError(try AtomicWrite.checkTarget(path("old.json/x"))) { e in
            XCTAssertTrue("\(e)".hasPrefix("\(path("old.json/x")): "), "\(e)")
        }
        // /proc files are "regular" but cannot be replaced: the probe finds it out before asking.
        if FileManager.default.fileExists(atPath: "/proc/self/status") {
            XCTAssertThrowsError(try AtomicWrite.checkTarget("/proc/self/status")) { e in
                XCTAssertTrue("\(e)".hasPrefix("/proc/self/status: cannot create a file in /proc/self"), "\(e)")
            }
        }
        // The probe leaves nothing behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["old.json"])
    }

    func testASymlinkedTargetWritesTheLinkTargetAndStaysALink() throws {
        try FileManager.default.createDirectory(atPath: path("real"), withIntermediateDirectories: true)
        try AtomicWrite.write(Array("old".utf8), to: path("real/x.json"))
        XCTAssertEqual(symlink("real/x.json", path("link.json")), 0)  // relative link
        XCTAssertEqual(try AtomicWrite.checkTarget(path("link.json")), .regularFile)
        try AtomicWrite.write(Array("new".utf8), to: path("link.json"))
        XCTAssertEqual(kind(path("link.json")), S_IFLNK)
        XCTAssertEqual(try String(contentsOfFile: path("real/x.json"), encoding: .utf8), "new")
        // A dangling link creates its target.
        XCTAssertEqual(symlink(path("real/y.json"), path("dangling.json")), 0)
        XCTAssertEqual(try AtomicWrite.checkTarget(path("dangling.json")), .missing)
        try AtomicWrite.write(Array("y".utf8), to: path("dangling.json"))
        XCTAssertEqual(kind(path("dangling.json")), S_IFLNK)
        XCTAssertEqual(try String(contentsOfFile: path("real/y.json"), encoding: .utf8), "y")
        // A loop is an error, not a hang.
        XCTAssertEqual(symlink(path("loop2"), path("loop1")), 0)
        XCTAssertEqual(symlink(path("loop1"), path("loop2")), 0)
        XCTAssertThrowsError(try AtomicWrite.write(Array("z".utf8), to: path("loop1"))) { e in
            XCTAssertEqual("\(e)", "\(path("loop1")): too many levels of symbolic links")
        }
    }

    func testStaleTemporaryFilesOfTheSameTargetAreRemoved() throws {
        let target = path("x.json")
        try AtomicWrite.write(Array("a".utf8), to: target)
        let old = Date(timeIntervalSinceNow: -3600)
        for name in [
            ".x.json.tmp-AbC123", ".x.json.tmp-fresh1", ".y.json.tmp-AbC123", ".x.json.tmp-toolong7",
            "x.json.tmp-AbC123",
        ] {
            _ = FileManager.default.createFile(atPath: path(name), contents: Data("junk".utf8))
            if name != ".x.json.tmp-fresh1" {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path(name))
            }
        }
        try AtomicWrite.write(Array("b".utf8), to: target)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        // Only the old temporary file of x.json went; a fresh one may be a save in progress.
        XCTAssertEqual(
            left, ["x.json", ".x.json.tmp-fresh1", ".y.json.tmp-AbC123", ".x.json.tmp-toolong7", "x.json.tmp-AbC123"])
    }

    func testFileStampSeesAChangeOrADeletion() throws {
        let p = path("s.json")
        try AtomicWrite.write(Array("one".utf8), to: p)
        let first = try XCTUnwrap(FileStamp.of(p))
        XCTAssertEqual(FileStamp.of(p), first)
        // Same size, rewritten in place by another program: the mtime (ns) or inode differs.
        try Data("two".utf8).write(to: URL(fileURLWithPath: p))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: p)
        XCTAssertNotEqual(FileStamp.of(p), first)
        // A save through AtomicWrite replaces the inode.
        let second = try XCTUnwrap(FileStamp.of(p))
        try AtomicWrite.write(Array("two".utf8), to: p)
        XCTAssertNotEqual(FileStamp.of(p), second)
        unlink(p)
        XCTAssertNil(FileStamp.of(p))
    }

    func testReadFileRefusesAFIFOWithoutBlocking() throws {
        let fifo = path("layout.json")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertThrowsError(try LayoutSource.readFile(fifo)) { e in
            XCTAssertEqual("\(e)", "\(fifo): is a FIFO, not a regular file")
        }
        XCTAssertThrowsError(try LayoutSource.load(fifo)) { e in
            XCTAssertEqual("\(e)", "\(fifo): is a FIFO, not a regular file")
        }
        XCTAssertThrowsError(try LayoutSource.readFile(dir)) { e in
            XCTAssertEqual("\(e)", "\(dir): is a directory, not a regular file")
        }
    }

    func testANonUTF8NameIsNotReportedAsPlainlyMissing() throws {
        // What arrives in Swift for a name holding byte 0xFF: the repaired U+FFFD.
        let repaired = path("bad\u{FFFD}.json")
        XCTAssertThrowsError(try LayoutSource.readFile(repaired)) { e in
            XCTAssertTrue("\(e)".contains("not valid UTF-8"), "\(e)")
        }
    }

    func testAFileOverTheSizeCapIsRefusedBeforeReading() throws {
        let p = path("big.json")
        _ = FileManager.default.createFile(atPath: p, contents: nil)
        XCTAssertEqual(truncate(p, off_t(LayoutLimits.maxFileBytes + 1)), 0)  // sparse
        XCTAssertThrowsError(try LayoutSource.load(p)) { e in
            XCTAssertEqual(
                "\(e)",
                "\(p): the file is \(LayoutLimits.maxFileBytes + 1) bytes, over the limit of \(LayoutLimits.maxFileBytes)"
            )
        }
    }

    /// `ModelLoader` opens a file once to sniff it, then hands the open file on: the layout comes
    /// from that descriptor (here the name is gone before the read), under the same size cap.
    func testALayoutIsReadFromTheFileAlreadyOpen() throws {
        let p = path("open.json")
        try Data(BuiltInLayout.googlenet.json.utf8).write(to: URL(fileURLWithPath: p))
        let file = try RegularFile.open(p)
        XCTAssertEqual(unlink(p), 0)
        let source = try LayoutSource.load(file)
        XCTAssertEqual(source.origin, .file(p))
        XCTAssertEqual(source.bytes, Array(BuiltInLayout.googlenet.json.utf8))
        XCTAssertEqual(source.layout, try LayoutSource.load("builtin:googlenet").layout)

        let big = path("big.json")
        _ = FileManager.default.createFile(atPath: big, contents: nil)
        XCTAssertEqual(truncate(big, off_t(LayoutLimits.maxFileBytes + 1)), 0)  // sparse
        XCTAssertThrowsError(try LayoutSource.load(try RegularFile.open(big))) { e in
            XCTAssertEqual(
                "\(e)",
                "\(big): the file is \(LayoutLimits.maxFileBytes + 1) bytes, over the limit of \(LayoutLimits.maxFileBytes)"
            )
        }
    }

    // MARK: Item 10: one size limit

    func testPlusStopsAtTheLimitTheDecoderAccepts() throws {
        let json = """
            {"format":"inception-layout/1","name":"w","input":{"channels":1,"height":1,"width":1},
             "layers":[{"name":"out","op":"conv","out":\(LayoutLimits.maxChannels),"kernel":1}]}
            """
        var layout = try LayoutCodec.decode(Array(json.utf8))
        let target = try XCTUnwrap(layout.address(ofPath: "out"))
        XCTAssertFalse(layout.adjustWidth(at: target, by: 8))
        XCTAssertFalse(layout.setWidth(at: target, to: LayoutLimits.maxChannels + 8))
        XCTAssertEqual(layout.width(at: target), LayoutLimits.maxChannels)
        XCTAssertTrue(layout.adjustWidth(at: target, by: -8))
        XCTAssertTrue(layout.adjustWidth(at: target, by: Int.max))
        XCTAssertEqual(layout.width(at: target), LayoutLimits.maxChannels)
        // What the edits reach, the decoder reads back.
        XCTAssertEqual(try LayoutCodec.decode(Array(LayoutCodec.encode(layout).utf8)), layout)
        let over = json.replacingOccurrences(of: "\(LayoutLimits.maxChannels)", with: "\(LayoutLimits.maxChannels + 1)")
        XCTAssertThrowsError(try LayoutCodec.decode(Array(over.utf8))) { e in
            XCTAssertTrue("\(e)".contains("too large (at most \(LayoutLimits.maxChannels))"), "\(e)")
        }
        XCTAssertTrue(layout.adjustWidth(at: target, by: Int.min))
        XCTAssertEqual(layout.width(at: target), 1)
    }
}
