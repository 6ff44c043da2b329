import Foundation
import XCTest

@testable import CursesBackend

/// How a closed terminal is told from a quiet one after wget_wch returned ERR.
final class InputWatchTests: XCTestCase {
    func testHangUpOrErrorIsClosedAtOnce() {
        for revents in [POLLHUP, POLLERR, POLLNVAL, POLLIN | POLLHUP] {
            var watch = InputWatch()
            XCTAssertTrue(watch.isClosed(afterErrorWith: Int16(revents)), "revents \(revents)")
        }
    }

    /// A timeout with nothing to read is a quiet terminal, however often it happens.
    func testNothingToReadIsAlive() {
        var watch = InputWatch()
        for _ in 0..<1000 { XCTAssertFalse(watch.isClosed(afterErrorWith: 0)) }
    }

    /// ERR while stdin is readable: once can be a race with a key arriving; three in a row is EOF
    /// (a live terminal's byte would have been read by the next wget_wch).
    func testReadableButNothingReadThreeTimesIsEOF() {
        var watch = InputWatch()
        XCTAssertFalse(watch.isClosed(afterErrorWith: Int16(POLLIN)))
        XCTAssertFalse(watch.isClosed(afterErrorWith: Int16(POLLIN)))
        XCTAssertTrue(watch.isClosed(afterErrorWith: Int16(POLLIN)))
    }

    func testInputOrAQuietPollResetsTheCount() {
        var watch = InputWatch()
        XCTAssertFalse(watch.isClosed(afterErrorWith: Int16(POLLIN)))
        XCTAssertFalse(watch.isClosed(afterErrorWith: Int16(POLLIN)))
        watch.sawInput()
        XCTAssertFalse(watch.isClosed(afterErrorWith: Int16(POLLIN)))
        XCTAssertFalse(watch.isClosed(afterErrorWith: Int16(POLLIN)))
        XCTAssertFalse(watch.isClosed(afterErrorWith: 0))
        XCTAssertFalse(watch.isClosed(afterErrorWith: Int16(POLLIN)))
        XCTAssertEqual(watch.readableErrors, 1)
    }

    /// The real poll on a pipe whose writer closed: POLLHUP, what a vanished terminal shows.
    func testPollSeesAClosedPipe() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let savedStdin = dup(STDIN_FILENO)
        defer { dup2(savedStdin, STDIN_FILENO); close(savedStdin) }
        dup2(fds[0], STDIN_FILENO)
        close(fds[0])
        XCTAssertEqual(InputWatch.pollStandardInput() & Int16(POLLHUP), 0, "writer still open")
        close(fds[1])
        var watch = InputWatch()
        XCTAssertTrue(watch.isClosed(afterErrorWith: InputWatch.pollStandardInput()))
    }
}
