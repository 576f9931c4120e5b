/* term.h: the terminal's life: open (a real terminal, or an offscreen one of a given size
 * whose bytes go to any stream), read keys as enum key, restore on every way out. The only
 * module with global state, because signal handlers need it. */
#ifndef LOGITSCOPE_TUI_TERM_H
#define LOGITSCOPE_TUI_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "glyphs.h"
#include "keys.h"
#include "tee.h"
#include "logitscope/error.h"
#include "theme.h"
#include "tui_curses.h"

struct term_opts {
    bool offscreen;        /* no terminal: a screen of cols x rows in memory */
    int cols, rows;        /* offscreen size */
    FILE *out;             /* offscreen: where curses' bytes go (NULL: /dev/null). A capture
                            * stream here records exactly what a terminal would receive. */
    const char *term_type; /* offscreen: terminfo name (NULL: xterm-256color) */
    bool ascii;            /* ASCII glyphs whatever the locale */
    bool no_color;         /* attributes only */
    enum theme_variant theme; /* the colours: dark (the default), light, contrast */
    struct cast *record;   /* live: every byte sent to the terminal also goes here (tee.h),
                            * and at the end the last frame painted again (term_repaint) */
};

struct term {
    SCREEN *screen;
    WINDOW *win;
    FILE *out, *in;
    bool own_out, own_in;
    bool offscreen;
    struct theme theme;
    const struct glyphs *glyphs;
    unsigned text_flags;   /* TEXT_ASCII when the glyphs are ASCII */
    int err_streak;        /* read errors in a row: a terminal that is gone keeps failing */
    bool teeing;           /* recording a live session: curses draws into tee.bytes */
    struct tee tee;
};

/* term_read_key()'s answers besides keys. */
enum {
    TERM_STOP = -1, /* a signal asked us to stop (see term_stop_signal) */
    TERM_GONE = -2, /* the terminal went away (EOF, EIO) */
};

/* True when the locale's codeset is UTF-8 (after setlocale(LC_ALL, "")). */
bool term_locale_utf8(void);

int term_open(struct term *t, const struct term_opts *o, struct ls_error *err);
void term_close(struct term *t);
void term_size(const struct term *t, int *cols, int *rows);
/* Offscreen only: a new size, as if the window had been resized. */
void term_resize(struct term *t, int cols, int rows);

/* Blocks until a key (enum key or a code point), KEYC_NONE (nothing to act on: an unknown
 * escape sequence, an interrupted read), KEYC_RESIZE, KEYC_MOUSE (mouse_read() then gives
 * the events), or TERM_STOP / TERM_GONE. */
int term_read_key(struct term *t);
/* The same, but waits at most timeout_ms (key scripts pause this way, so a person can take
 * over): KEYC_NONE when nothing came in time. */
int term_wait_key(struct term *t, int timeout_ms);
/* A key typed already, in the terminal's queue or in curses' own buffer (which poll() cannot
 * see), without waiting: KEYC_NONE when none is there. */
int term_key_waiting(struct term *t);

/* The signal (SIGINT, SIGTERM, SIGHUP) that asked us to stop, or 0. */
int term_stop_signal(void);

/* A live recording: a marker labelled `label` now (a key script's caption); else nothing. */
void term_marker(struct term *t, const char *label);

/* Sends the frame drawn on t->win: one wnoutrefresh and one doupdate. force repaints every
 * cell (Ctrl+L). */
void term_flush(struct term *t, bool force);

/* Writes the screen's cells as plain text, one line per row, trailing blanks trimmed. */
int term_dump(struct term *t, FILE *out);

/* Writes the bytes that paint the screen's cells again on a terminal's normal screen, from
 * the cursor's line down: each row erased, then its text with its attributes and colours
 * (SGR), rows joined by CR LF; the last row is written whole and no newline follows, so the
 * frame fills a screen of its size exactly. A recording ends with these after the terminal's
 * restore: a player then still shows the last frame, and a terminal that plays it back is
 * left as it was (normal screen, cursor shown) with the frame on it. */
int term_repaint(struct term *t, FILE *out);
/* The same bytes in memory, to free(); NULL when there is no memory for them. */
char *term_repaint_bytes(struct term *t, size_t *len);

#endif
