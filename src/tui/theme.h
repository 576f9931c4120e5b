/* theme.h: the colour table, written once as an X-macro (ncdu style), with three renderings:
 * 256 colours, 8 colours (TERM=screen, the Linux console) and attributes only (monochrome,
 * NO_COLOR, --no-color), and two variants of its colours (--theme): for a light background
 * and high contrast, for a washed-out projector. Widgets ask for a role, never for a colour. */
#ifndef LOGITSCOPE_TUI_THEME_H
#define LOGITSCOPE_TUI_THEME_H

#include "tui_curses.h"

/* X(role, fg256, bg256, attr256, fg8, bg8, attr8, attr_mono); -1 is the terminal's own
 * colour. Backgrounds stay -1 except where a bar needs one, so the terminal's theme shows
 * through (htop's use_default_colors()). In 8 colours, grey becomes A_DIM. The roles drawn on
 * every histogram row use the terminal's own 16 colours even in the 256 theme: "\e[36m" is
 * half the bytes of "\e[38;5;39m", and a keystroke repaints up to a dozen of them. */
#define THEME_ROLES(X)                                                                          \
    X(NORMAL, -1, -1, A_NORMAL, -1, -1, A_NORMAL, A_NORMAL)                                     \
    X(TITLE, 231, 24, A_BOLD, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD)              \
    X(TITLE_DIM, 153, 24, A_NORMAL, COLOR_CYAN, COLOR_BLUE, A_NORMAL, A_REVERSE)                \
    X(CAPTION, 231, 24, A_BOLD, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD)            \
    X(LABEL, -1, -1, A_NORMAL, -1, -1, A_NORMAL, A_NORMAL)                                      \
    X(FOCUS, 220, -1, A_BOLD, COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE)                   \
    X(VALUE, -1, -1, A_BOLD, -1, -1, A_BOLD, A_BOLD)                                            \
    X(OFF, 244, -1, A_NORMAL, -1, -1, A_DIM, A_DIM)                                             \
    X(TRACK, 240, -1, A_NORMAL, -1, -1, A_DIM, A_DIM)                                           \
    X(TRACK_FILL, 6, -1, A_NORMAL, COLOR_CYAN, -1, A_NORMAL, A_NORMAL)                         \
    X(KNOB, 220, -1, A_BOLD, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                                  \
    X(BAR, 6, -1, A_NORMAL, COLOR_CYAN, -1, A_NORMAL, A_NORMAL)                                \
    X(SAMPLE, 11, -1, A_NORMAL, COLOR_YELLOW, -1, A_NORMAL, A_BOLD)                              \
    X(SAMPLE_IN_BAR, 11, -1, A_NORMAL, COLOR_YELLOW, -1, A_NORMAL, A_DIM)                       \
    X(CUT, 8, -1, A_NORMAL, -1, -1, A_DIM, A_DIM)                                               \
    X(MARK, 170, -1, A_NORMAL, COLOR_MAGENTA, -1, A_NORMAL, A_BOLD)                             \
    X(THRESHOLD, 5, -1, A_NORMAL, COLOR_MAGENTA, -1, A_NORMAL, A_BOLD)                          \
    X(GAUGE, 2, -1, A_NORMAL, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                            \
    X(NUMBER, -1, -1, A_BOLD, -1, -1, A_BOLD, A_BOLD)                                           \
    X(HEADER, 244, -1, A_NORMAL, -1, -1, A_DIM, A_UNDERLINE)                                    \
    X(STATUS, 252, 236, A_NORMAL, COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE)                \
    X(STATUS_KEY, 220, 236, A_BOLD, COLOR_BLUE, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD)        \
    X(MESSAGE, 114, 236, A_BOLD, COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE | A_BOLD)        \
    X(HELP, -1, -1, A_NORMAL, -1, -1, A_NORMAL, A_NORMAL)                                       \
    X(HELP_KEY, 220, -1, A_BOLD, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                              \
    X(WARN, 203, -1, A_BOLD, COLOR_RED, -1, A_BOLD, A_BOLD)                                     \
    X(GEN, -1, -1, A_NORMAL, -1, -1, A_NORMAL, A_NORMAL)                                        \
    X(GEN_SEP, 240, -1, A_NORMAL, -1, -1, A_DIM, A_DIM)                                         \
    X(BAR_A, 5, -1, A_NORMAL, COLOR_MAGENTA, -1, A_NORMAL, A_DIM)                              \
    X(PLOT, 2, -1, A_NORMAL, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                             \
    X(PLOT_NOW, 11, -1, A_NORMAL, COLOR_YELLOW, -1, A_BOLD, A_REVERSE)                          \
    X(STRIP, 2, -1, A_NORMAL, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                             \
    X(STRIP_OUT, 203, -1, A_BOLD, COLOR_RED, -1, A_BOLD, A_BOLD)                                \
    X(STRIP_NOW, 220, -1, A_REVERSE, COLOR_YELLOW, -1, A_REVERSE, A_REVERSE)                    \
    X(TEXT_NOW, -1, -1, A_REVERSE, -1, -1, A_REVERSE, A_REVERSE)                                \
    X(TEXT_WRITTEN, -1, -1, A_BOLD, -1, -1, A_BOLD, A_BOLD)                                     \
    X(CHOSEN, 220, -1, A_BOLD, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                                \
    X(DRAWN, -1, -1, A_REVERSE | A_BOLD, -1, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD)

enum theme_role {
#define THEME_ENUM(role, f2, b2, a2, f8, b8, a8, am) ROLE_##role,
    THEME_ROLES(THEME_ENUM)
#undef THEME_ENUM
    ROLE_COUNT
};

enum theme_mode {
    THEME_MONO = 0, /* attributes only: no colour at all */
    THEME_8,
    THEME_256,
};

/* The colours a person picks with --theme. */
enum theme_variant {
    THEME_DARK,     /* the table: a dark background */
    THEME_LIGHT,    /* a light background: no yellow, darker greys */
    THEME_CONTRAST, /* bright, saturated, bold, no dim greys: a projector in daylight */
    THEME_VARIANT_COUNT,
};

/* Their names are tui_theme_name() and tui_theme_find() (tui.h: the CLI sees no curses). */

struct theme {
    enum theme_mode mode;
    attr_t attr[ROLE_COUNT]; /* attributes with the colour pair folded in */
};

/* Picks the richest mode the terminal can show unless want_color is false; must run after
 * the screen exists. Calls start_color() only when colour will be used. */
void theme_init(struct theme *t, bool want_color, enum theme_variant variant);

static inline attr_t theme_attr(const struct theme *t, enum theme_role r)
{
    return t->attr[r];
}

#endif
