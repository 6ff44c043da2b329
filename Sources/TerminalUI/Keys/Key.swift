/// A mouse event in screen cells (0-based).
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case leftClick, rightClick, middleClick, wheelUp, wheelDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }

    public var point: Point { Point(x: x, y: y) }
}

/// One input event, as the app's reducer sees it. Backends translate terminal input into these;
/// nothing here knows about ncurses.
public enum Key: Hashable, Sendable {
    /// A printable character (letters keep their case: `.char("Q")` is Shift-q). Space is `.char(" ")`.
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab, backTab
    /// Control plus a letter, lowercased: `.ctrl("u")`. Ctrl-C arrives as `.ctrl("c")` whether the
    /// terminal sent the byte or SIGINT was caught.
    case ctrl(Character)
    /// F1...F12.
    case function(Int)
    /// The terminal changed size; read the backend's `size` again and redraw.
    case resize
    case mouse(MouseEvent)
    /// The session is being ended from outside (SIGTERM, SIGHUP): quit now, without prompts.
    case terminate
}

extension Key {
    /// The short name shown in status-bar hints and the help overlay ("q", "Enter", "^U", "PgDn").
    public func label(ascii: Bool = false) -> String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .up: return ascii ? "Up" : "↑"
        case .down: return ascii ? "Down" : "↓"
        case .left: return ascii ? "Left" : "←"
        case .right: return ascii ? "Right" : "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .ctrl(let c): return "^" + String(c).uppercased()
        case .function(let n): return "F\(n)"
        case .resize: return "resize"
        case .mouse: return "mouse"
        case .terminate: return "terminate"
        }
    }

    /// The character a prompt should insert for this key, if it is printable text.
    public var printable: Character? {
        if case .char(let c) = self { return c }
        return nil
    }
}
