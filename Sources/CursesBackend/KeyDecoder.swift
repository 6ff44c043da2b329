import CNcurses
import Foundation
import TerminalUI

/// What the terminal delivered, as the app will see it: pure functions from `wget_wch`'s result,
/// a caught signal or a mouse report to a `Key`. Nothing here calls ncurses, so every code has a
/// unit test (Tests/CursesBackendTests) without a terminal.
enum KeyDecoder {
    /// One `wget_wch` call, decoded.
    enum Decoded: Equatable {
        /// A key for the app.
        case key(Key)
        /// KEY_MOUSE: the event itself is fetched with getmouse and decoded by `mouseKey`.
        case mouse
        /// Input the app has no key for (NUL, Ctrl-\ … Ctrl-_, unknown function keys).
        case ignored
        /// ERR: nothing arrived: the timeout ran out, a signal interrupted the read, or the
        /// terminal is gone (then ERR comes back at once, for ever: see `InputWatch`).
        case nothing
    }

    /// `status` is wget_wch's return value (OK, KEY_CODE_YES or ERR), `value` what it stored.
    static func decode(status: Int32, value: UInt32) -> Decoded {
        switch status {
        case OK: return keyForCharacter(value).map(Decoded.key) ?? .ignored
        case KEY_CODE_YES: return decode(code: Int32(bitPattern: value))
        default: return .nothing
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

    /// Function-key codes (KEY_CODE_YES).
    static func decode(code: Int32) -> Decoded {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE: return .key(.resize)
        case KEY_MOUSE: return .mouse
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .key(.function(Int(code - KEY_F0)))
        default: return .ignored
        }
    }

    /// A caught signal (0: none). SIGINT is Ctrl-C, which the app treats as `q` (it asks when
    /// there are unsaved edits); every other terminating signal ends the session at once.
    static func keyForSignal(_ signal: Int32) -> Key? {
        switch signal {
        case 0: nil
        case SIGINT: .ctrl("c")
        default: .terminate
        }
    }

    /// A mouse report: `kind` as `cn_mouse_kind` classifies the button state (1 left, 2 middle,
    /// 3 right, 4 wheel up, 5 wheel down, 0 releases and motion, which the app ignores).
    static func mouseKey(kind: Int32, x: Int32, y: Int32) -> Key? {
        let k: MouseEvent.Kind
        switch kind {
        case 1: k = .leftClick
        case 2: k = .middleClick
        case 3: k = .rightClick
        case 4: k = .wheelUp
        case 5: k = .wheelDown
        default: return nil
        }
        return .mouse(MouseEvent(k, x: Int(x), y: Int(y)))
    }
}
