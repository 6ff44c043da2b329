import CNcurses

/// The only Swift file that calls shim.h's session functions (signal flag, saved tty state,
/// emergency restore). They keep their state in a static inside static inline C functions, and
/// each Swift object file that calls such a function gets its *own copy* of that static (debug
/// builds compile file by file). Calling them from one file keeps one copy: the handler that sets
/// the signal flag and the loop that reads it must see the same variable.
enum Session {
    /// Whether a session (between `begin` and `end`) is active in this process.
    static var isActive: Bool { cn_is_session_active() != 0 }

    /// Saves the tty state and installs SIGINT/SIGTERM/SIGHUP handlers plus the atexit restore.
    static func begin() { cn_begin_session() }

    /// Restores the previous signal handlers; the session is over.
    static func end() { cn_end_session() }

    /// The escape sequences the emergency restore writes to leave the alternate screen etc.
    static func setRestoreSequence(_ s: String) { cn_set_restore_sequence(s) }

    /// The signal caught since the last call (0 if none), cleared.
    static func takePendingSignal() -> Int32 { cn_take_pending_signal() }
}
