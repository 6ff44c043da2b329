// The terminal session's process-wide state, shared between signal handlers and Swift.
//
// Everything a signal handler reads or writes lives in ONE object file (terminal_state.c): state
// kept in a header (a `static` inside a `static inline` function) gets one copy per object file
// that inlines it, and the handler and the key loop then look at different flags (the explorer's
// first Ctrl-C / SIGTERM / SIGHUP was ignored that way). Swift sees only these functions.
//
// No ncurses here: the backend hands in the escape sequences to write (from terminfo), so this
// target needs nothing but libc and stays testable on its own.
#ifndef CTERMINALSTATE_H
#define CTERMINALSTATE_H

#ifdef __cplusplus
extern "C" {
#endif

/// Starts a session: saves the tty modes of stdin, installs the signal handlers (before newterm,
/// so ncurses keeps them instead of installing its own), registers the exit-time restore and
/// starts capturing stderr (text written there would be lost on the alternate screen).
void ts_begin_session(void);

/// The escape sequences an emergency restore writes (leave the alternate screen, show the cursor,
/// mouse reporting off, ...). Truncated at 511 bytes.
void ts_set_restore_sequence(const char *sequence);

/// Ends the session after endwin: previous signal actions back, captured stderr replayed onto the
/// restored terminal. Safe to call when no session is active.
void ts_end_session(void);

/// 1 between ts_begin_session and ts_end_session (or an emergency restore), else 0.
int ts_is_session_active(void);

/// The terminating signal caught since the last call (0 if none), cleared atomically.
int ts_take_pending_signal(void);

/// After the session: leave the way `signal` would have ended the process, so the parent sees the
/// conventional status 128+signal. Flushes stdio first. Signals whose default action dumps core
/// (SIGQUIT, SIGXCPU, SIGXFSZ, SIGSYS) exit with 128+signal instead of dumping one.
void ts_exit_for_signal(int signal) __attribute__((noreturn));

// ---- The pieces of a session, exposed for unit tests ------------------------------------------

/// Installs the handlers: every catchable terminating signal that is not ignored sets the pending
/// flag (real-time signals only where nobody else handles them); the crash signals restore the
/// terminal and print the captured report. Both take precedence over the Swift runtime's
/// backtracer (SIGQUIT and the crash signals), which would otherwise draw over the UI and wait
/// for a key. Idempotent; ts_restore_signal_handlers puts the previous actions back.
void ts_install_signal_handlers(void);
void ts_restore_signal_handlers(void);

/// Takes the Swift backtracer's signals for the rest of the process, before any session (the
/// explorer's start-up): a crash prints the captured report with one line of ours, and SIGQUIT
/// outside a session exits 131, instead of the backtracer, which on a tty waits up to 30 s for a
/// key. When SWIFT_BACKTRACE is set, a crash still reaches the backtracer after the terminal is
/// restored, as the user configured it.
void ts_install_crash_handlers(void);

/// 1 if `signal` is one of the terminating signals the session turns into a key or `.terminate`,
/// 2 if it is a crash signal, 0 otherwise (stop, continue, ignored-by-default, or uncatchable).
int ts_signal_kind(int signal);

#ifdef __cplusplus
}
#endif
#endif
