// The one C header the curses backend sees. NCURSES_WIDECHAR must be set before <ncurses.h>,
// or get_wch and the cchar_t functions are not declared.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>
#endif
