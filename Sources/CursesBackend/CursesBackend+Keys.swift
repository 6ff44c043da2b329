import CNcurses
import TerminalUI

extension CursesBackend {
    /// get_wch with a timeout, translated to a `Key`. Pending signals come first (SIGINT →
    /// `.ctrl("c")`, SIGTERM/SIGHUP → `.terminate`). A negative timeout waits in 100 ms slices so a
    /// signal is still noticed even if ncurses restarts its read.
    public func readKey(timeoutMs: Int) -> Key? {
        guard isActive, let win = cn_stdscr() else { return nil }
        var remaining = timeoutMs
        while true {
            if let k = pendingSignalKey() { return k }
            let slice = remaining < 0 ? 100 : min(remaining, 100)
            wtimeout(win, Int32(slice))
            var ch: wint_t = 0
            let r = wget_wch(win, &ch)
            if let k = pendingSignalKey() { return k }
            if r == OK {
                if let k = Self.keyForCharacter(UInt32(ch)) { return k }
            } else if r == KEY_CODE_YES {
                if let k = keyForCode(Int32(ch)) { return k }
            }
            // ERR (timeout or interrupted) or an ignored input: keep waiting out the time.
            if remaining >= 0 {
                remaining -= slice
                if remaining <= 0 { return nil }
            }
        }
    }

    private func pendingSignalKey() -> Key? {
        switch Session.takePendingSignal() {
        case 0: nil
        case SIGINT: .ctrl("c")
        default: .terminate
        }
    }

    /// Plain characters: control bytes become named keys or `.ctrl(letter)`.
    static func keyForCharacter(_ v: UInt32) -> Key? {
        switch v {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(UnicodeScalar(UInt8(v) + 96)))
        case 0, 28...31: return nil
        default:
            guard let s = UnicodeScalar(v) else { return nil }
            return .char(Character(s))
        }
    }

    private func keyForCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case KEY_MOUSE: return mouseKey()
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    private func mouseKey() -> Key? {
        var ev = MEVENT()
        guard getmouse(&ev) == OK else { return nil }
        let kind: MouseEvent.Kind
        switch cn_mouse_kind(ev.bstate) {
        case 1: kind = .leftClick
        case 2: kind = .middleClick
        case 3: kind = .rightClick
        case 4: kind = .wheelUp
        case 5: kind = .wheelDown
        default: return nil
        }
        return .mouse(MouseEvent(kind, x: Int(ev.x), y: Int(ev.y)))
    }
}
