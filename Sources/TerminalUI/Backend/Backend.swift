/// What the terminal can do, decided once at start (flags, environment, terminfo).
public struct TerminalCapabilities: Hashable, Sendable {
    /// Draw with the UTF-8 glyph set (locale is UTF-8 and no --ascii).
    public var unicode: Bool
    /// Colors are shown (terminal has them, no NO_COLOR / --no-color).
    public var color: Bool
    /// Mouse events are reported.
    public var mouse: Bool

    public init(unicode: Bool, color: Bool, mouse: Bool) {
        self.unicode = unicode
        self.color = color
        self.mouse = mouse
    }

    /// The glyph set matching `unicode`.
    public var glyphs: Glyphs { unicode ? .unicode : .ascii }
}

/// A terminal the app draws into and reads keys from. The app loop is:
///
///     read a key with a timeout (so background work can report) → reduce → render into a
///     Buffer of `size` → `draw`.
///
/// `CursesBackend` is the real one; `TestBackend` (here) scripts keys and captures frames.
public protocol Backend: AnyObject {
    /// The current size in cells; changes after a `.resize` key.
    var size: Size { get }
    var capabilities: TerminalCapabilities { get }
    /// Shows the buffer (its size should equal `size`; extra cells are clipped, missing ones blank).
    func draw(_ buffer: Buffer)
    /// The next input event, waiting at most `timeoutMs` milliseconds (0: poll; negative: wait
    /// forever). Nil means the time ran out.
    func readKey(timeoutMs: Int) -> Key?
    /// Gives the terminal back. Idempotent; drawing after `stop` does nothing.
    func stop()
    /// Forget what is on screen and repaint every cell on the next draw (Ctrl-L).
    func invalidate()
}

extension Backend {
    /// A blank buffer of the current size, ready to render a frame into.
    public func makeBuffer() -> Buffer { Buffer(size: size) }

    /// Backends that do not diff frames have nothing to forget.
    public func invalidate() {}
}
