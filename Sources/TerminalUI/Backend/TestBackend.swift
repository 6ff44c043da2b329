/// The test double that ships with the library (as NIOEmbedded does): scripted keys in, captured
/// frames out, and a size the test sets. A whole screen becomes a unit test.
///
///     let term = TestBackend(width: 80, height: 24, keys: [.down, .enter, .char("q")])
///     runApp(on: term)
///     XCTAssertEqual(term.lastFrame?.line(0), " inception-explorer")
public final class TestBackend: Backend {
    public private(set) var size: Size
    public var capabilities: TerminalCapabilities
    /// Keys not yet read, in order.
    public private(set) var pendingKeys: [Key]
    /// Every buffer passed to `draw`, oldest first.
    public private(set) var frames: [Buffer] = []
    public private(set) var isStopped = false
    /// How many times `readKey` returned nil because the script ran dry (a loop that keeps polling
    /// after the script ends can stop on this).
    public private(set) var timeouts = 0
    /// When the script is empty, `readKey` returns this key instead of nil once `timeouts` passes
    /// this many (default: `.terminate` after 100 empty reads), so a test of a loop cannot hang.
    public var terminateAfterTimeouts: Int? = 100

    public init(
        width: Int, height: Int, keys: [Key] = [],
        capabilities: TerminalCapabilities = TerminalCapabilities(unicode: true, color: true, mouse: true)
    ) {
        self.size = Size(width: width, height: height)
        self.pendingKeys = keys
        self.capabilities = capabilities
    }

    /// Appends keys to the script.
    public func enqueue(_ keys: Key...) { pendingKeys += keys }

    public func enqueue(_ keys: [Key]) { pendingKeys += keys }

    /// Appends each character of `text` as a `.char` key (typing into a prompt).
    public func type(_ text: String) { pendingKeys += text.map { Key.char($0) } }

    /// Changes the size and queues a `.resize` key, as a terminal would.
    public func resize(width: Int, height: Int) {
        size = Size(width: width, height: height)
        pendingKeys.append(.resize)
    }

    public var lastFrame: Buffer? { frames.last }

    public func draw(_ buffer: Buffer) {
        guard !isStopped else { return }
        frames.append(buffer)
    }

    public func readKey(timeoutMs: Int) -> Key? {
        guard !isStopped else { return nil }
        if !pendingKeys.isEmpty { return pendingKeys.removeFirst() }
        timeouts += 1
        if let limit = terminateAfterTimeouts, timeouts > limit { return .terminate }
        return nil
    }

    public func stop() { isStopped = true }
}
