/* tui_curses.h: the one place <curses.h> is included, with the wide-character API turned on
 * (ncursesw) whatever feature macros the build uses. Only src/tui includes this. */
#ifndef LOGITSCOPE_TUI_CURSES_H
#define LOGITSCOPE_TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
