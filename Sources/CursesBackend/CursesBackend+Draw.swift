import CNcurses
import TerminalUI

extension CursesBackend {
    /// erase + every cell with its attributes + one refresh; ncurses sends only what changed.
    /// Never clear(): that would repaint the whole screen every frame and flicker.
    public func draw(_ buffer: Buffer) {
        guard isActive, let win = cn_stdscr() else { return }
        werase(win)
        let rows = min(buffer.height, Int(getmaxy(win)))
        let cols = min(buffer.width, Int(getmaxx(win)))
        var cc = cchar_t()
        var chars = [wchar_t](repeating: 0, count: 6)
        var lastStyle: Style?
        var attrs: attr_t = 0
        var pair: Int16 = 0
        for y in 0..<rows {
            for x in 0..<cols {
                guard var cell = buffer.cell(x: x, y: y) else { continue }
                if cell.isContinuation {
                    // UTF-8 terminals draw the wide character over this cell; ASCII shows "??".
                    guard !capabilities.unicode else { continue }
                    cell.symbol = "?"
                }
                if cell.style != lastStyle {
                    (attrs, pair) = attributes(for: cell.style)
                    lastStyle = cell.style
                }
                fillWideChars(cell.symbol, into: &chars)
                setcchar(&cc, chars, attrs, pair, nil)
                // The bottom-right cell returns ERR (the cursor cannot advance) but is drawn.
                _ = mvwadd_wch(win, Int32(y), Int32(x), &cc)
            }
        }
        if let c = buffer.cursor, c.x >= 0, c.y >= 0, c.x < cols, c.y < rows {
            if !cursorVisibleFlag { curs_set(1); cursorVisibleFlag = true }
            wmove(win, Int32(c.y), Int32(c.x))
        } else if cursorVisibleFlag {
            curs_set(0)
            cursorVisibleFlag = false
        }
        wrefresh(win)
    }

    /// A Character as the NUL-terminated wide string setcchar wants: one spacing character plus
    /// at most four combining ones. In a non-UTF-8 locale anything outside ASCII becomes "?".
    private func fillWideChars(_ c: Character, into chars: inout [wchar_t]) {
        var n = 0
        for scalar in c.unicodeScalars {
            guard n < 5 else { break }
            var v = scalar.value
            if !capabilities.unicode && v > 0x7E { v = 0x3F }
            chars[n] = wchar_t(bitPattern: v)
            n += 1
            if !capabilities.unicode { break }
        }
        chars[n] = 0
    }

    private func attributes(for style: Style) -> (attr_t, Int16) {
        let r = style.resolved(color: capabilities.color)
        var a = cn_a_normal()
        if r.bold { a |= cn_a_bold() }
        if r.reverse { a |= cn_a_reverse() }
        if r.underline { a |= cn_a_underline() }
        if r.dim { a |= cn_a_dim() }
        return (a, colorPair(r.foreground))
    }
}
