import CNcurses
import Foundation
import TerminalUI

/// Why the explorer cannot take over the terminal. The message is one line meant for stderr.
public enum CursesError: Error, CustomStringConvertible, Equatable {
    case notATerminal(stream: String)
    case termUnset
    case unknownTerminal(String)
    /// Known to terminfo but unable to move the cursor or clear the screen (TERM=dumb).
    case incapableTerminal(String)
    case alreadyActive

    public var description: String {
        switch self {
        case .notATerminal(let s):
            "cannot start the explorer: \(s) is not a terminal (run it in a terminal, or use a non-interactive command)"
        case .termUnset:
            "cannot start the explorer: TERM is not set (set it to your terminal type, e.g. TERM=xterm-256color)"
        case .unknownTerminal(let t):
            "cannot start the explorer: terminal type '\(t)' is unknown to terminfo (try TERM=xterm-256color)"
        case .incapableTerminal(let t):
            "cannot start the explorer: terminal type '\(t)' cannot move the cursor or clear the screen (try TERM=xterm-256color)"
        case .alreadyActive:
            "cannot start the explorer: a terminal session is already active in this process"
        }
    }
}

/// The ncurses terminal: the only code in the project that calls ncurses.
///
/// Lifecycle: `start` (or better `withTerminal`) → `draw`/`readKey` in the app loop → `stop`.
/// Signals: SIGINT arrives from `readKey` as `.ctrl("c")`; SIGTERM, SIGHUP and every other
/// catchable terminating signal (SIGQUIT, SIGUSR1, SIGALRM, SIGPIPE, …) as `.terminate`, within the
/// read timeout (handlers only set a flag, in CTerminalState). A terminal that went away (hang-up,
/// EOF on stdin) is `.terminate` too. After such an end, `termination` says why; the caller
/// restores the terminal (`stop`) and then calls `exit(for:)` for the conventional status.
/// If a signal finds the previous one waiting for over a second, the app is stuck: the handler
/// restores the tty itself and the process leaves at once. Crash signals restore the tty and print
/// the captured report. If the process calls exit() mid-session, an atexit hook restores the tty.
///
/// The Swift runtime's backtracer (on by default on Linux, interactive on a tty) handles SIGQUIT
/// and the crash signals; during a session the handlers here replace it, so it can never draw over
/// the UI or wait for a key. Outside a session (every other command) it behaves as configured.
/// `installCrashHandlers` extends that to the explorer's start-up. When the user sets
/// SWIFT_BACKTRACE, a crash still reaches the backtracer, after the terminal is restored, as
/// configured. Re-executing the explorer with `SWIFT_BACKTRACE=interactive=no` was the
/// alternative: it was not taken because the terminal must be restored before anything is printed,
/// which needs these handlers to run first anyway, and an exec would add a second process start to
/// every launch and change what `ps`, a debugger and the environment of children see.
public final class CursesBackend: Backend {
    /// Why a session was ended from outside rather than by the user.
    public enum Termination: Hashable, Sendable {
        /// A terminating signal other than SIGINT (which is a key).
        case signal(Int32)
        /// stdin hung up or reached EOF: the terminal is gone.
        case terminalClosed
    }

    public struct Options: Hashable, Sendable {
        /// Force the ASCII glyph set (--ascii) even in a UTF-8 locale.
        public var ascii: Bool
        /// Monochrome (--no-color); `fromEnvironment` also honours NO_COLOR.
        public var noColor: Bool
        /// Report clicks and the wheel.
        public var mouse: Bool

        public init(ascii: Bool = false, noColor: Bool = false, mouse: Bool = true) {
            self.ascii = ascii
            self.noColor = noColor
            self.mouse = mouse
        }

        /// Options from flags plus the environment: NO_COLOR set to a non-empty value
        /// (https://no-color.org) disables color.
        public static func fromEnvironment(
            ascii: Bool = false, noColor: Bool = false, mouse: Bool = true,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) -> Options {
            let envNoColor = !(environment["NO_COLOR"] ?? "").isEmpty
            return Options(ascii: ascii, noColor: noColor || envNoColor, mouse: mouse)
        }
    }

    public let capabilities: TerminalCapabilities
    private var screen: OpaquePointer?
    /// Whether curs_set(1) is in effect (a prompt is showing its cursor).
    var cursorVisibleFlag = false
    /// Color pair number per foreground color (pair 0 is the terminal default).
    private let pairs: [TerminalColor: Int16]
    /// Set when `readKey` returned `.terminate`: the signal, or the terminal that went away.
    public internal(set) var termination: Termination?
    /// Counts the ERRs that tell a closed terminal from a quiet one.
    var inputWatch = InputWatch()

    private init(screen: OpaquePointer, capabilities: TerminalCapabilities, pairs: [TerminalColor: Int16]) {
        self.screen = screen
        self.capabilities = capabilities
        self.pairs = pairs
    }

    deinit { stop() }

    /// Takes over the terminal: checks it is one, then newterm, cbreak, noecho, keypad, nonl,
    /// hidden cursor, 25 ms Esc delay, default-background colors and mouse as the options say.
    /// Throws `CursesError` (one printable line) instead of exiting as initscr would.
    public static func start(options: Options = .fromEnvironment()) throws -> CursesBackend {
        guard !Session.isActive else { throw CursesError.alreadyActive }
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) == 1 else { throw CursesError.notATerminal(stream: "stdin") }
        guard isatty(STDOUT_FILENO) == 1 else { throw CursesError.notATerminal(stream: "stdout") }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
            throw CursesError.termUnset
        }
        // Before newterm, which would already have written to the screen.
        switch cn_check_terminal(term) {
        case 1: break
        case 0: throw CursesError.unknownTerminal(term)
        default: throw CursesError.incapableTerminal(term)
        }
        let unicode = !options.ascii && cn_locale_is_utf8() != 0

        Session.begin()
        guard let screen = cn_newterm() else {
            Session.end()
            throw CursesError.unknownTerminal(term)
        }
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        let win = cn_stdscr()
        keypad(win, true)
        intrflush(win, false)
        curs_set(0)
        set_escdelay(25)

        var pairs: [TerminalColor: Int16] = [:]
        let color = !options.noColor && has_colors()
        if color {
            start_color()
            let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
            let fgs: [TerminalColor] = [.black, .red, .green, .yellow, .blue, .magenta, .cyan, .white]
            for (i, c) in fgs.enumerated() where i + 1 < Int(cn_color_pairs()) {
                init_pair(Int16(i + 1), Int16(c.rawValue), background)
                pairs[c] = Int16(i + 1)
            }
        }
        var mouse = false
        if options.mouse {
            mouse = mousemask(cn_mouse_mask(), nil) != 0
            mouseinterval(0)
        }

        var restore = ""
        for cap in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let s = cn_tigetstr(cap) { restore += String(cString: s) }
        }
        // Every xterm mouse mode ncurses may have turned on (press, button-motion, any-motion,
        // UTF-8, SGR and urxvt encodings): off, or the shell receives clicks as text.
        if mouse { restore += "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1005l\u{1B}[?1006l\u{1B}[?1015l" }
        Session.setRestoreSequence(restore)

        return CursesBackend(
            screen: screen, capabilities: TerminalCapabilities(unicode: unicode, color: color, mouse: mouse),
            pairs: pairs)
    }

    /// Runs `body` with the terminal and restores it on every way out: return, thrown error (which
    /// then propagates, so whoever prints it prints onto a restored terminal), or exit().
    public static func withTerminal<T>(
        options: Options = .fromEnvironment(),
        _ body: (CursesBackend) throws -> T
    ) throws -> T {
        let backend = try start(options: options)
        defer { backend.stop() }
        return try body(backend)
    }

    public var isActive: Bool { screen != nil }

    /// The pair for a foreground color on the default background (0 when colors are off).
    func colorPair(_ c: TerminalColor) -> Int16 { pairs[c] ?? 0 }

    public var size: Size {
        guard screen != nil, let win = cn_stdscr() else { return Size(width: 0, height: 0) }
        return Size(width: Int(getmaxx(win)), height: Int(getmaxy(win)))
    }

    /// Ctrl-L: the next draw repaints the whole screen (after another program scribbled on it).
    public func invalidate() {
        guard screen != nil else { return }
        cn_clear_on_next_refresh()
    }

    /// The Swift backtracer's signals are ours from now until the process ends (the explorer
    /// calls it first thing): a crash prints the runtime's message and one line of ours, restoring
    /// the terminal first if a session is active, and SIGQUIT outside a session exits 131, instead
    /// of the backtracer, which on a tty waits up to 30 s for a key. With SWIFT_BACKTRACE set, a
    /// crash still reaches the backtracer afterwards, as configured.
    public static func installCrashHandlers() { Session.installCrashHandlers() }

    /// Leaves the process after `termination` ended a session (call it once `stop` restored the
    /// terminal): as the signal would, with status 128 + the signal; a closed terminal counts as the
    /// SIGHUP the kernel sends on hang-up (129).
    public static func exit(for termination: Termination) -> Never {
        switch termination {
        case .signal(let s): Session.exit(forSignal: s)
        case .terminalClosed: Session.exit(forSignal: SIGHUP)
        }
    }

    /// endwin + delscreen, handlers back; safe to call twice.
    public func stop() {
        guard let s = screen else { return }
        screen = nil
        endwin()
        delscreen(s)
        Session.end()
        fflush(nil)
    }
}
