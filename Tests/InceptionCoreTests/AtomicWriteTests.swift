import Foundation
import TestSupport
import XCTest

@testable import InceptionCore

final class AtomicWriteTests: XCTestCase {
    var tmp: TemporaryDirectory!
    var dir: URL { tmp.url }

    override func setUpWithError() throws {
        tmp = try TemporaryDirectory("ie-atomic")
    }

    override func tearDownWithError() throws { tmp?.remove() }

    func testWritesAndReplacesLeavingNoTemporaryFiles() throws {
        let path = dir.appendingPathComponent("x.json").path
        try AtomicWrite.write(Array("one\n".utf8), to: path)
        try AtomicWrite.write(Array("two\n".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["x.json"])
    }

    func testKeepsPermissions() throws {
        let path = dir.appendingPathComponent("p.json").path
        try AtomicWrite.write(Array("a".utf8), to: path)
        chmod(path, 0o600)
        try AtomicWrite.write(Array("b".utf8), to: path)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testFailureLeavesTheOldFileAndSaysWhy() throws {
        let missing = dir.appendingPathComponent("no/such/dir/x.json").path
        XCTAssertThrowsError(try AtomicWrite.write(Array("a".utf8), to: missing)) { error in
            XCTAssertTrue("\(error)".contains("cannot create a file in"), "\(error)")
        }
        let asDir = dir.path
        XCTAssertThrowsError(try AtomicWrite.write(Array("a".utf8), to: asDir)) { error in
            XCTAssertEqual("\(error)", "\(asDir): not a regular file (directory)")
        }
        // A read-only directory: the existing file stays as it was.
        let ro = dir.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: true)
        let path = ro.appendingPathComponent("keep.json").path
        try AtomicWrite.write(Array("old".utf8), to: path)
        chmod(ro.path, 0o500)
        defer { chmod(ro.path, 0o700) }
        if getuid() != 0 {  // root ignores directory permissions
            XCTAssertThrowsError(try AtomicWrite.write(Array("new".utf8), to: path))
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        }
    }
}
