// The one C header the curses backend sees. NCURSES_WIDECHAR must be set before <ncurses.h>,
// or get_wch and the cchar_t functions are not declared.
//
// Besides ncurses itself this holds accessors for what Swift cannot import (macros such as A_BOLD
// and the mouse masks, C globals such as stdscr and stdout). Everything here is stateless: state a
// signal handler shares with Swift lives in the CTerminalState target's one .c file, because a
// static in a header gets one copy per object file that inlines it.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <ncurses.h>
#include <term.h>

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

/// A terminfo string capability, or NULL when absent (tigetstr returns (char*)-1 for "not a string").
static inline const char *cn_tigetstr(const char *name) {
    char *s = tigetstr(name);
    if (s == (char *)-1) return NULL;
    return s;
}

/// Looks `term` up in terminfo without writing anything to the screen: 1 when it can run a
/// full-screen program, 0 when terminfo does not know it, -1 when it is known but cannot address
/// the cursor or clear the screen (TERM=dumb, printing terminals), where the explorer would draw
/// a blank screen in which keys still act unseen.
static inline int cn_check_terminal(const char *term) {
    int err = 0;
    if (setupterm(term, STDOUT_FILENO, &err) != OK) return err == 1 ? -1 : 0; // err 1: hardcopy
    const char *cup = cn_tigetstr("cup");
    const char *clr = cn_tigetstr("clear");
    int usable = cup != NULL && clr != NULL && tigetflag("hc") <= 0;
    del_curterm(cur_term);
    return usable ? 1 : -1;
}
#endif
