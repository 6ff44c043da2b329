// The terminal session's state and its signal handlers: the only definition of that state in the
// binary (see CTerminalState.h for why it must not live in a header).
//
// What runs inside a handler is async-signal-safe: atomics, write, tcsetattr, dup2, lseek, read,
// close, clock_gettime, sigaction, sigprocmask, raise, _exit.
#include "CTerminalState.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef NSIG
#define NSIG 65
#endif

/// A second signal that arrives while the first has waited this long for the key loop means the
/// loop is stuck (a long computation on the main thread): restore the tty and leave at once.
/// The loop polls every 100 ms at most, so one second is ten missed polls.
#define TS_STUCK_AFTER_NS 1000000000LL

struct terminal_state {
    /// The signal the key loop has not taken yet (0: none), and since when (CLOCK_MONOTONIC, ns).
    atomic_int pending_signal;
    atomic_llong pending_since_ns;
    /// Set between begin and end; cleared by the first restore, so the tty is restored once.
    atomic_int active;
    /// The session's handlers are in place: a terminating signal waits for the key loop.
    atomic_int handlers_installed;
    /// The backtracer's signals (crash signals and SIGQUIT) stay ours for the rest of the process
    /// (ts_install_crash_handlers), not only for the session.
    int backtracer_signals_permanent;
    /// SWIFT_BACKTRACE was set: after the restore, hand a crash to the runtime's backtracer,
    /// configured as the user asked (read once at install: getenv is not async-signal-safe).
    int chain_crashes_to_backtracer;
    int atexit_registered;
    int saved_termios_valid;
    struct termios saved_termios;
    /// The stderr the session replaced (a dup), and the unlinked temporary file that captures it.
    int saved_stderr;
    int capture_fd;
    size_t restore_len;
    char restore_seq[512];
    /// The action each signal had before ours, for the signals we replaced.
    unsigned char replaced[NSIG];
    struct sigaction previous[NSIG];
};

static struct terminal_state terminal_state = {.saved_stderr = -1, .capture_fd = -1};

// ---- Which signals ---------------------------------------------------------------------------

/// Faults and aborts: the program itself went wrong. A Swift trap is SIGILL or SIGTRAP.
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};

/// Catchable signals whose default action ends the process (POSIX plus Linux's own). SIGKILL and
/// SIGSTOP cannot be caught; SIGCHLD, SIGURG, SIGWINCH are ignored by default; SIGTSTP, SIGTTIN,
/// SIGTTOU, SIGCONT stop or continue (ncurses handles SIGTSTP and SIGWINCH itself).
static const int terminating_signals[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
    SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGSYS,
#ifdef __linux__
    SIGSTKFLT, SIGPWR, SIGIO, // default "terminate" on Linux (SIGIO is "ignore" on the BSDs)
#endif
#ifdef SIGEMT
    SIGEMT,
#endif
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(int sig, const int *list, size_t n) {
    for (size_t i = 0; i < n; i++) if (list[i] == sig) return 1;
    return 0;
}

static int is_realtime(int sig) {
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    return sig >= SIGRTMIN && sig <= SIGRTMAX;
#else
    (void)sig;
    return 0;
#endif
}

int ts_signal_kind(int sig) {
    if (in_list(sig, crash_signals, COUNT(crash_signals))) return 2;
    if (in_list(sig, terminating_signals, COUNT(terminating_signals)) || is_realtime(sig)) return 1;
    return 0;
}

/// Default action "core" rather than "terminate": leaving by raise() would write a core file for
/// a signal the user sent, so these leave by _exit(128+signal) (the same status a shell shows).
static int dumps_core_by_default(int sig) {
    switch (sig) {
    case SIGQUIT: case SIGXCPU: case SIGXFSZ: case SIGSYS:
#ifdef SIGEMT
    case SIGEMT:
#endif
        return 1;
    default:
        return 0;
    }
}

// ---- Restore, replay, leave (async-signal-safe) ---------------------------------------------

/// Puts the tty back without ncurses: the terminfo sequences, then the saved modes. Once only.
static void emergency_restore(void) {
    if (!atomic_exchange(&terminal_state.active, 0)) return;
    if (terminal_state.restore_len > 0) {
        ssize_t r = write(STDOUT_FILENO, terminal_state.restore_seq, terminal_state.restore_len);
        (void)r;
    }
    // TCSANOW: never wait for output to drain (a flow-stopped or vanished terminal would block).
    if (terminal_state.saved_termios_valid) tcsetattr(STDIN_FILENO, TCSANOW, &terminal_state.saved_termios);
}

/// Gives stderr back and writes what was captured during the session onto the restored terminal.
static void replay_captured_stderr(void) {
    if (terminal_state.saved_stderr >= 0) {
        dup2(terminal_state.saved_stderr, STDERR_FILENO);
        close(terminal_state.saved_stderr);
        terminal_state.saved_stderr = -1;
    }
    int fd = terminal_state.capture_fd;
    if (fd < 0) return;
    terminal_state.capture_fd = -1;
    lseek(fd, 0, SEEK_SET);
    char buf[512];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        ssize_t r = write(STDERR_FILENO, buf, (size_t)n);
        (void)r;
    }
    close(fd);
}

static void die_by_signal(int sig) __attribute__((noreturn));
static void die_by_signal(int sig) {
    if (!dumps_core_by_default(sig)) {
        signal(sig, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        raise(sig);
        sigprocmask(SIG_UNBLOCK, &set, NULL); // inside a handler `sig` is blocked: deliver it now
    }
    _exit(128 + sig);
}

static long long monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// ---- Handlers ---------------------------------------------------------------------------------

/// A terminating signal: remember it, the key loop turns it into a key within its timeout
/// (SIGINT → Ctrl-C, the rest → terminate). A terminating signal replaces a pending SIGINT (it is
/// the stronger request). If one has waited a second already, the loop is stuck: restore the tty
/// and leave now, with the conventional status.
static void on_terminating_signal(int sig) {
    // Outside a session (SIGQUIT before or after it): nothing to restore, no loop to wait for.
    if (!atomic_load(&terminal_state.handlers_installed)) die_by_signal(sig);
    int saved_errno = errno;
    long long now = monotonic_ns();
    int expected = 0;
    if (atomic_compare_exchange_strong(&terminal_state.pending_signal, &expected, sig)) {
        atomic_store(&terminal_state.pending_since_ns, now);
    } else if (now - atomic_load(&terminal_state.pending_since_ns) >= TS_STUCK_AFTER_NS) {
        emergency_restore();
        replay_captured_stderr();
        die_by_signal(sig);
    } else if (sig != SIGINT) {
        atomic_store(&terminal_state.pending_signal, sig);
    }
    errno = saved_errno;
}

/// Installs `sa` for `sig`, keeping the action it replaces (once: a second call keeps the first).
static void replace_action(int sig, const struct sigaction *sa) {
    if (sig <= 0 || sig >= NSIG || terminal_state.replaced[sig]) return;
    if (sigaction(sig, sa, &terminal_state.previous[sig]) == 0) terminal_state.replaced[sig] = 1;
}

static void write_text(const char *s) {
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

/// A crash: restore the tty first, then print the crash report (the runtime's message was
/// captured with stderr) after it, then die by the signal as the default action would. When the
/// user set SWIFT_BACKTRACE, the runtime's backtracer (the action ours replaced) then prints its
/// backtrace, as configured, onto the restored terminal; by default it does not run, because on
/// a tty it would wait up to 30 s for a key.
static void on_crash_signal(int sig, siginfo_t *info, void *context) {
    struct sigaction previous = terminal_state.previous[sig];
    int chain = terminal_state.chain_crashes_to_backtracer && terminal_state.replaced[sig];
    signal(sig, SIG_DFL); // a fault inside this handler ends the process instead of looping
    int was_active = atomic_load(&terminal_state.active);
    emergency_restore();
    replay_captured_stderr();
    // The signal's number in decimal, without stdio (async-signal-safe).
    char number[4] = {0};
    int n = sig > 0 && sig < 1000 ? sig : 0, len = n >= 100 ? 3 : n >= 10 ? 2 : 1;
    for (int i = len - 1; i >= 0; i--) { number[i] = (char)('0' + n % 10); n /= 10; }
    write_text("inception-explorer: crashed (fatal signal ");
    write_text(number);
    write_text(was_active ? "); the terminal was restored." : ").");
    // The runtime's own message (a Swift trap's "Fatal error: ...") is replayed above when there
    // was one; a fault such as a stack overflow has none, and the backtracer is off by default.
    write_text(chain ? " Please report this with the lines above.\n"
                     : " Please report this with any lines above; SWIFT_BACKTRACE=enable=yes "
                       "before the command adds a backtrace.\n");
    if (chain) {
        sigaction(sig, &previous, NULL); // where the backtracer's own re-raise must go
        if (previous.sa_flags & SA_SIGINFO) {
            if (previous.sa_sigaction != NULL) previous.sa_sigaction(sig, info, context);
        } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
            previous.sa_handler(sig);
        }
        signal(sig, SIG_DFL); // the backtracer returned: end as the default action would
    }
    raise(sig);
    _exit(128 + sig);
}

static void install_crash_handlers(void) {
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_sigaction = on_crash_signal;
    sigemptyset(&crash.sa_mask);
    // SA_ONSTACK: a stack overflow can still run the handler where the runtime set up an
    // alternate stack. SA_NODEFER: raise() inside the handler is delivered at once.
    crash.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    const char *backtrace = getenv("SWIFT_BACKTRACE");
    terminal_state.chain_crashes_to_backtracer = backtrace != NULL && backtrace[0] != 0;
    for (size_t i = 0; i < COUNT(crash_signals); i++) replace_action(crash_signals[i], &crash);
}

/// The action for terminating signals: no SA_RESTART (a blocking read returns, so the loop sees
/// the signal), the other terminating signals blocked while it runs.
static struct sigaction terminating_action(void) {
    struct sigaction term;
    memset(&term, 0, sizeof term);
    term.sa_handler = on_terminating_signal;
    sigemptyset(&term.sa_mask);
    for (size_t i = 0; i < COUNT(terminating_signals); i++) sigaddset(&term.sa_mask, terminating_signals[i]);
    term.sa_flags = 0;
    return term;
}

/// The signals the Swift runtime's backtracer handles (CrashHandlerLinux: SIGQUIT and the crash
/// signals).
static int is_backtracer_signal(int sig) { return sig == SIGQUIT || ts_signal_kind(sig) == 2; }

void ts_install_crash_handlers(void) {
    install_crash_handlers();
    // SIGQUIT too: outside a session it ends the process at once (status 131) instead of running
    // the backtracer; an ignored SIGQUIT stays ignored.
    struct sigaction quit;
    if (sigaction(SIGQUIT, NULL, &quit) == 0 && quit.sa_handler != SIG_IGN) {
        struct sigaction term = terminating_action();
        replace_action(SIGQUIT, &term);
    }
    terminal_state.backtracer_signals_permanent = 1;
}

void ts_install_signal_handlers(void) {
    if (atomic_load(&terminal_state.handlers_installed)) return;
    atomic_store(&terminal_state.handlers_installed, 1);

    struct sigaction term = terminating_action();

    for (size_t i = 0; i < COUNT(terminating_signals); i++) {
        int sig = terminating_signals[i];
        struct sigaction now;
        // An ignored signal stays ignored (nohup, a parent's `trap '' HUP`). Any handler is
        // replaced: the one on SIGQUIT is the Swift backtracer's, which would draw over the UI.
        if (sigaction(sig, NULL, &now) == 0 && now.sa_handler == SIG_IGN) continue;
        replace_action(sig, &term);
    }
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    // Real-time signals end the process by default too, but a library may own one: take only
    // those nobody handles.
    for (int sig = SIGRTMIN; sig <= SIGRTMAX && sig < NSIG; sig++) {
        struct sigaction now;
        if (sigaction(sig, NULL, &now) != 0 || now.sa_handler != SIG_DFL || (now.sa_flags & SA_SIGINFO)) continue;
        replace_action(sig, &term);
    }
#endif

    install_crash_handlers();
}

void ts_restore_signal_handlers(void) {
    if (!atomic_load(&terminal_state.handlers_installed)) return;
    for (int sig = 1; sig < NSIG; sig++) {
        if (!terminal_state.replaced[sig]) continue;
        if (terminal_state.backtracer_signals_permanent && is_backtracer_signal(sig)) continue;
        sigaction(sig, &terminal_state.previous[sig], NULL);
        terminal_state.replaced[sig] = 0;
    }
    atomic_store(&terminal_state.handlers_installed, 0);
}

// ---- Session ----------------------------------------------------------------------------------

static void restore_at_exit(void) {
    emergency_restore();
    replay_captured_stderr();
}

static void capture_stderr(void) {
    terminal_state.saved_stderr = dup(STDERR_FILENO);
    terminal_state.capture_fd = -1;
    char path[] = "/tmp/inception-explorer-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return;
    unlink(path);
    if (terminal_state.saved_stderr >= 0 && dup2(fd, STDERR_FILENO) >= 0) {
        terminal_state.capture_fd = fd;
    } else {
        close(fd);
    }
}

void ts_begin_session(void) {
    terminal_state.saved_termios_valid = tcgetattr(STDIN_FILENO, &terminal_state.saved_termios) == 0;
    atomic_store(&terminal_state.pending_signal, 0);
    terminal_state.restore_len = 0;
    ts_install_signal_handlers();
    if (!terminal_state.atexit_registered) {
        atexit(restore_at_exit);
        terminal_state.atexit_registered = 1;
    }
    capture_stderr();
    atomic_store(&terminal_state.active, 1);
}

void ts_set_restore_sequence(const char *s) {
    size_t n = strlen(s);
    if (n >= sizeof terminal_state.restore_seq) n = sizeof terminal_state.restore_seq - 1;
    memcpy(terminal_state.restore_seq, s, n);
    terminal_state.restore_seq[n] = 0;
    terminal_state.restore_len = n;
}

void ts_end_session(void) {
    atomic_store(&terminal_state.active, 0);
    ts_restore_signal_handlers();
    replay_captured_stderr();
    atomic_store(&terminal_state.pending_signal, 0);
}

int ts_is_session_active(void) { return atomic_load(&terminal_state.active); }

int ts_take_pending_signal(void) { return atomic_exchange(&terminal_state.pending_signal, 0); }

void ts_exit_for_signal(int sig) {
    fflush(NULL);
    if (sig <= 0 || sig >= NSIG) _exit(128 + (sig > 0 ? sig : 0));
    die_by_signal(sig);
}
