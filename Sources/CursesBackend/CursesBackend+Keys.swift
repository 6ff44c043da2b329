import CNcurses
import TerminalUI

extension CursesBackend {
    /// get_wch with a timeout, translated to a `Key` by `KeyDecoder`. Pending signals come first
    /// (SIGINT → `.ctrl("c")`, every other terminating signal → `.terminate`); a terminal that
    /// went away (hang-up, EOF) is `.terminate` too, and `termination` says which it was. A
    /// negative timeout waits in 100 ms slices so a signal is still noticed even if ncurses
    /// restarts its read.
    public func readKey(timeoutMs: Int) -> Key? {
        guard isActive, let win = cn_stdscr() else { return nil }
        // Once ended from outside, the session stays ended (an app may read again before quitting).
        if termination != nil { return .terminate }
        var remaining = timeoutMs
        while true {
            if let k = pendingSignalKey() { return k }
            let slice = remaining < 0 ? 100 : min(remaining, 100)
            wtimeout(win, Int32(slice))
            var ch: wint_t = 0
            let r = wget_wch(win, &ch)
            if let k = pendingSignalKey() { return k }
            switch KeyDecoder.decode(status: r, value: UInt32(ch)) {
            case .key(let k):
                inputWatch.sawInput()
                return k
            case .mouse:
                inputWatch.sawInput()
                if let k = mouseKey() { return k }
            case .ignored:
                inputWatch.sawInput()
            case .nothing:
                if inputWatch.isClosed(afterErrorWith: InputWatch.pollStandardInput()) {
                    termination = .terminalClosed
                    return .terminate
                }
            }
            if remaining >= 0 {
                remaining -= slice
                if remaining <= 0 { return nil }
            }
        }
    }

    private func pendingSignalKey() -> Key? {
        let signal = Session.takePendingSignal()
        let key = KeyDecoder.keyForSignal(signal)
        if key == .terminate { termination = .signal(signal) }
        return key
    }

    private func mouseKey() -> Key? {
        var ev = MEVENT()
        guard getmouse(&ev) == OK else { return nil }
        return KeyDecoder.mouseKey(kind: cn_mouse_kind(ev.bstate), x: ev.x, y: ev.y)
    }
}
