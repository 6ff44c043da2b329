import Foundation

/// Tells a terminal that went away (its tmux server killed, an ssh connection dropped) from one
/// that is only quiet. A closed terminal shows up on stdin as POLLHUP or POLLERR, or as a read
/// that ends at once (EOF, EIO) although poll calls stdin readable: wget_wch then returns ERR at
/// once, for ever, and a loop that takes ERR for "no key yet" spins at full CPU.
struct InputWatch {
    /// ERRs in a row from wget_wch while stdin polled readable. One can be a race (a byte arrived
    /// just after the timeout); the next read would then return it, so three in a row mean EOF.
    private(set) var readableErrors = 0
    static let readableErrorLimit = 3

    /// A key (or any input) arrived: the terminal is alive.
    mutating func sawInput() { readableErrors = 0 }

    /// wget_wch returned ERR and `revents` is what poll(stdin, POLLIN, 0) then reported.
    /// Returns true when the terminal is gone.
    mutating func isClosed(afterErrorWith revents: Int16) -> Bool {
        if revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return true }
        if revents & Int16(POLLIN) != 0 {
            readableErrors += 1
            return readableErrors >= Self.readableErrorLimit
        }
        readableErrors = 0
        return false
    }

    /// poll(2) on stdin without waiting: the `revents` for `isClosed`.
    static func pollStandardInput() -> Int16 {
        var fd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let n = poll(&fd, 1, 0)
        if n < 0 { return errno == EINTR ? 0 : Int16(POLLERR) }
        return fd.revents
    }
}
