import CTerminalState

/// The Swift side of the terminal session's process-wide C state (CTerminalState: the signal flag,
/// saved tty modes, emergency restore sequence, captured stderr). That state lives in one `.c`
/// file, so the signal handlers and the key loop see the same variables however the Swift code
/// is compiled or inlined.
enum Session {
    /// Whether a session (between `begin` and `end`) is active in this process.
    static var isActive: Bool { ts_is_session_active() != 0 }

    /// Saves the tty state, installs the handlers for every catchable terminating signal and the
    /// crash signals, registers the exit-time restore and captures stderr.
    static func begin() { ts_begin_session() }

    /// Restores the previous signal actions and replays captured stderr; the session is over.
    static func end() { ts_end_session() }

    /// The escape sequences the emergency restore writes to leave the alternate screen etc.
    static func setRestoreSequence(_ s: String) { ts_set_restore_sequence(s) }

    /// The signal caught since the last call (0 if none), cleared.
    static func takePendingSignal() -> Int32 { ts_take_pending_signal() }

    /// The backtracer's signals (crashes, SIGQUIT) ours for the rest of the process (restore,
    /// report; the backtracer only when SWIFT_BACKTRACE is set).
    static func installCrashHandlers() { ts_install_crash_handlers() }

    /// Ends the process as `signal` would (status 128+signal); call after the terminal is restored.
    static func exit(forSignal signal: Int32) -> Never { ts_exit_for_signal(signal) }
}
