// The one C header the curses backend sees. NCURSES_WIDECHAR must be set before <ncurses.h>,
// or get_wch and the cchar_t functions are not declared.
//
// Besides ncurses itself this holds the few things Swift cannot express or import:
//  - accessors for macros and C globals (A_BOLD, COLOR_PAIR, stdscr, stdout, mouse masks);
//  - the signal handlers and emergency terminal restore, which must be async-signal-safe C.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include <ncurses.h>

// ---- Macros and globals that do not import -------------------------------------------------

static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }

/// newterm on the process's own stdout/stdin (Swift 6 rejects the `stdout` global).
static inline SCREEN *cn_newterm(void) { return newterm(NULL, stdout, stdin); }

/// True when the current LC_CTYPE (after setlocale(LC_ALL, "")) encodes UTF-8.
static inline int cn_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

// ---- Mouse ----------------------------------------------------------------------------------

/// Presses only (with mouseinterval(0) they arrive at once, no click-detection delay).
static inline mmask_t cn_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON2_PRESSED | BUTTON3_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
         | BUTTON5_PRESSED
#endif
        ;
}

/// 1 left, 2 middle, 3 right, 4 wheel up, 5 wheel down, 0 anything else (releases, motion).
static inline int cn_mouse_kind(mmask_t b) {
    if (b & BUTTON4_PRESSED) return 4;
#ifdef BUTTON5_PRESSED
    if (b & BUTTON5_PRESSED) return 5;
#endif
    if (b & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (b & (BUTTON2_PRESSED | BUTTON2_CLICKED)) return 2;
    if (b & (BUTTON3_PRESSED | BUTTON3_CLICKED)) return 3;
    return 0;
}

/// Ctrl-L: make the next refresh repaint every cell, whatever ncurses believes is on screen.
static inline void cn_clear_on_next_refresh(void) { clearok(curscr, TRUE); }

// ---- Signals and emergency restore ------------------------------------------------------------
// One terminal session per process (ncurses state is global), so one static state suffices. Only
// the CursesBackend module includes this header.

// Swift's importer emits static inline functions but not file-scope static arrays or structs,
// so all session state lives in one function-local static.
struct cn_session_state {
    volatile sig_atomic_t pending_signal;
    volatile sig_atomic_t active;
    int saved_termios_valid;
    int atexit_registered;
    struct termios saved_termios;
    struct sigaction old_int, old_term, old_hup;
    /// stderr is captured into an unlinked temporary file during the session (anything written
    /// there would be lost on the alternate screen) and replayed once the terminal is restored.
    int saved_stderr;
    int capture_fd;
    size_t restore_len;
    char restore_seq[256];
};

static inline struct cn_session_state *cn_state(void) {
    static struct cn_session_state state;
    return &state;
}

/// Puts the tty back without ncurses: async-signal-safe (write, tcsetattr). Used when the app
/// cannot get to endwin: a second signal while the first is unhandled, or exit() mid-session.
static inline void cn_emergency_restore(void) {
    struct cn_session_state *st = cn_state();
    if (!st->active) return;
    st->active = 0;
    if (st->restore_len > 0) { ssize_t r = write(STDOUT_FILENO, st->restore_seq, st->restore_len); (void)r; }
    if (st->saved_termios_valid) tcsetattr(STDIN_FILENO, TCSAFLUSH, &st->saved_termios);
}

/// Gives stderr back and writes what was captured during the session onto the restored terminal.
/// Async-signal-safe (dup2, lseek, read, write, close), so the crash handler can call it.
static inline void cn_replay_captured_stderr(void) {
    struct cn_session_state *st = cn_state();
    if (st->saved_stderr >= 0) { dup2(st->saved_stderr, STDERR_FILENO); close(st->saved_stderr); st->saved_stderr = -1; }
    if (st->capture_fd < 0) return;
    lseek(st->capture_fd, 0, SEEK_SET);
    char buf[512];
    ssize_t n;
    while ((n = read(st->capture_fd, buf, sizeof buf)) > 0) { ssize_t r = write(STDERR_FILENO, buf, (size_t)n); (void)r; }
    close(st->capture_fd);
    st->capture_fd = -1;
}

static inline void cn_atexit_restore(void) { cn_emergency_restore(); cn_replay_captured_stderr(); }

/// A fatal signal (a Swift trap is SIGILL or SIGTRAP, a bad pointer SIGSEGV): restore the tty,
/// print the crash report (the runtime's message was captured) after it, then die by the signal.
static inline void cn_crash_handler(int sig) {
    cn_emergency_restore();
    cn_replay_captured_stderr();
    const char msg[] = "inception-explorer: crashed (fatal signal); the terminal was restored. "
                       "Please report this with the lines above.\n";
    ssize_t r = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)r;
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void cn_install_crash_handlers(void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER;
    int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

/// First SIGINT/SIGTERM/SIGHUP: remember it; the key loop turns it into a key within its timeout.
/// A second one before the loop took the first means the app is stuck: restore the tty and die
/// by the signal (default action), so the shell sees the usual status.
static inline void cn_signal_handler(int sig) {
    struct cn_session_state *st = cn_state();
    if (st->pending_signal != 0) {
        cn_emergency_restore();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    st->pending_signal = sig;
}

/// Installs `sa` for `sig` unless the signal is ignored (nohup, a parent's trap ''): an ignored
/// signal stays ignored. `old` receives the previous action either way.
static inline void cn_catch_unless_ignored(int sig, const struct sigaction *sa, struct sigaction *old) {
    sigaction(sig, NULL, old);
    if (old->sa_handler != SIG_IGN) sigaction(sig, sa, NULL);
}

/// Saves the tty state, installs the handlers (before newterm, so ncurses keeps them rather than
/// installing its own exit-on-SIGINT ones), and registers the exit-time restore.
static inline void cn_begin_session(void) {
    struct cn_session_state *st = cn_state();
    st->saved_termios_valid = tcgetattr(STDIN_FILENO, &st->saved_termios) == 0;
    st->pending_signal = 0;
    st->restore_len = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cn_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocking read returns so the loop sees the signal
    cn_catch_unless_ignored(SIGINT, &sa, &st->old_int);
    cn_catch_unless_ignored(SIGTERM, &sa, &st->old_term);
    cn_catch_unless_ignored(SIGHUP, &sa, &st->old_hup);
    if (!st->atexit_registered) { atexit(cn_atexit_restore); st->atexit_registered = 1; }
    st->saved_stderr = dup(STDERR_FILENO);
    st->capture_fd = -1;
    char path[] = "/tmp/inception-explorer-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0 && st->saved_stderr >= 0) {
        unlink(path);
        dup2(fd, STDERR_FILENO);
        st->capture_fd = fd;
    } else if (fd >= 0) {
        unlink(path);
        close(fd);
    }
    cn_install_crash_handlers(cn_crash_handler);
    st->active = 1;
}

/// The escape sequences the emergency restore writes (leave alternate screen, show cursor, …),
/// taken from terminfo by the backend once the terminal is set up.
static inline void cn_set_restore_sequence(const char *s) {
    struct cn_session_state *st = cn_state();
    size_t n = strlen(s);
    if (n >= sizeof st->restore_seq) n = sizeof st->restore_seq - 1;
    memcpy(st->restore_seq, s, n);
    st->restore_seq[n] = 0;
    st->restore_len = n;
}

/// After endwin: puts the previous handlers back and ends the session.
static inline void cn_end_session(void) {
    struct cn_session_state *st = cn_state();
    st->active = 0;
    sigaction(SIGINT, &st->old_int, NULL);
    sigaction(SIGTERM, &st->old_term, NULL);
    sigaction(SIGHUP, &st->old_hup, NULL);
    cn_install_crash_handlers(SIG_DFL);
    cn_replay_captured_stderr();
    st->pending_signal = 0;
}

static inline int cn_is_session_active(void) { return cn_state()->active; }

/// The pending signal number (0 if none), cleared atomically with respect to the handlers.
static inline int cn_take_pending_signal(void) {
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    int s = cn_state()->pending_signal;
    cn_state()->pending_signal = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return s;
}

/// A terminfo string capability, or NULL when absent (tigetstr returns (char*)-1 for "not a string").
static inline const char *cn_tigetstr(const char *name) {
    char *s = tigetstr(name);
    if (s == (char *)-1) return NULL;
    return s;
}
#endif
