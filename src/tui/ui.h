/* ui.h: what every widget draws with (a window, a theme, glyphs) and the few primitives they
 * share: clipped text, repeated glyphs, escaped token text. */
#ifndef LOGITSCOPE_TUI_UI_H
#define LOGITSCOPE_TUI_UI_H

#include <stddef.h>

#include "glyphs.h"
#include "layout.h"
#include "theme.h"
#include "tui_curses.h"

#define UI_TOKEN_BUF 512 /* escaped bytes kept per token: far more than any column shows */

struct ui {
    WINDOW *win;
    const struct theme *theme;
    const struct glyphs *g;
    unsigned text_flags; /* TEXT_ASCII for ASCII terminals */
};

static inline attr_t ui_attr(const struct ui *u, enum theme_role r)
{
    return theme_attr(u->theme, r);
}

/* Draws display-safe UTF-8 text (already escaped, or our own) at (y, x), at most maxw
 * columns, never splitting a character. Returns the columns used. */
int ui_text(const struct ui *u, int y, int x, int maxw, const char *s, attr_t a);

/* printf into a small buffer, then ui_text. Our own text only (numbers, labels). */
int ui_printf(const struct ui *u, int y, int x, int maxw, attr_t a, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* n copies of a one-column glyph. Returns n (or 0 when n <= 0). */
int ui_repeat(const struct ui *u, int y, int x, int n, const char *glyph, attr_t a);

/* Raw bytes from a data file (token text, setting names): escaped for the terminal
 * (text_escape, leading/trailing spaces shown when show_space), cut to maxw columns with an
 * ellipsis when too long. Returns the columns used. */
int ui_token(const struct ui *u, int y, int x, int maxw, const char *raw, size_t len,
             bool show_space, attr_t a);

/* The display width the same text would take (before cutting). */
int ui_token_width(const struct ui *u, const char *raw, size_t len, bool show_space);

/* A box over the frame: a border round a blank inside (the help's and the picker's). */
void ui_box(const struct ui *u, int y, int x, int h, int w);

/* Columns of our own UTF-8 text. */
int ui_width(const char *s);

/* The bytes of the character at text[0] as text_escape takes them: a valid UTF-8 sequence,
 * else one byte (len >= 1). */
size_t ui_char_len(const char *text, size_t len);

#endif
