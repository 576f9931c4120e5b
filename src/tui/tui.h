/* tui.h: the explorer on a terminal, for src/cli. No curses types here: the interactive loop
 * on the real terminal, and offscreen screens of any size whose frames can be printed as text
 * (--snapshot) and whose bytes go to any stream (asciicast recording). */
#ifndef LOGITSCOPE_TUI_TUI_H
#define LOGITSCOPE_TUI_TUI_H

#include <stdbool.h>
#include <stdio.h>

#include "keys.h"
#include "logitscope/error.h"
#include "model.h"
#include "script.h"

/* An asciicast to record into (see cast.h). */
struct tui_record {
    const char *path;
    const char *title;   /* may be NULL */
    long long timestamp; /* Unix seconds, for the header */
};

/* --theme's names, in the order of enum theme_variant: "dark" (the default), "light",
 * "contrast"; NULL past the end. */
const char *tui_theme_name(size_t i);
/* The theme named s, or -1. */
int tui_theme_find(const char *s);

struct tui_opts {
    bool ascii;    /* ASCII glyphs even in a UTF-8 locale */
    bool no_color; /* attributes only (NO_COLOR, --no-color) */
    int theme;     /* enum theme_variant (theme.h): --theme; 0 is the dark default */
    bool no_mouse; /* tui_run: leave the mouse to the terminal (--no-mouse) */
    /* tui_run: a key script played first, with its pauses; any key a person presses takes
     * over (the rest is dropped) and q quits as always. NULL: none. */
    const struct script *play;
    /* tui_run: record the session as an asciicast (wall-clock times, the terminal's size and
     * TERM); every byte sent to the terminal goes to the file too, then the last frame painted
     * again (the recording ends on it), and a marker for each caption. NULL: none. */
    const struct tui_record *record;
};

enum tui_end {
    TUI_QUIT = 0,   /* q, Esc, Ctrl+C as a key */
    TUI_SIGNAL,     /* SIGINT, SIGTERM or SIGHUP: re-raise it after cleanup */
    TUI_GONE,       /* the terminal went away */
    TUI_ERROR,      /* could not start (err says why) */
};

/* Runs the explorer on the terminal on stdout (keys from stdin, or /dev/tty when stdin is
 * not a terminal) until it ends; the terminal is restored before this returns. *sig is the
 * signal for TUI_SIGNAL. */
enum tui_end tui_run(struct model *m, const struct tui_opts *o, int *sig, struct ls_error *err);

/* An offscreen terminal of cols x rows showing m, which is told its size and glyphs (as
 * tui_run tells it the real terminal's). bytes (may be NULL) receives exactly what a
 * terminal of type term_type (NULL: xterm-256color) would be sent. curses writes with
 * write(2) on fileno(bytes): it must be a stream with a file descriptor (a file, tmpfile(),
 * a pipe), not fmemopen/open_memstream. */
struct tui_screen;
struct tui_screen *tui_screen_open(const struct tui_opts *o, struct model *m, int cols,
                                   int rows, FILE *bytes, const char *term_type,
                                   struct ls_error *err);
/* Draws and sends one frame of m (laid out for this screen by its model). */
void tui_screen_frame(struct tui_screen *s, const struct model *m);
/* A key as the live explorer would take it (key scripts): the model changes and, when that
 * shows, a frame is sent. Returns false when the key ends the explorer (q, Esc). */
bool tui_screen_key(struct tui_screen *s, struct model *m, int key);
/* A tick of writing on (model_tick_ms): the model writes its next word and the frame is
 * sent. Returns whether anything changed. */
bool tui_screen_tick(struct tui_screen *s, struct model *m);
/* A mouse event, as the live explorer would take it (tests; see mouse.h). */
void tui_screen_mouse(struct tui_screen *s, struct model *m, const struct mouse_event *e);
/* A new size, as a terminal's window resized: m is told it. */
void tui_screen_resize(struct tui_screen *s, struct model *m, int cols, int rows);
/* An action that is not a key (a key script's caption, ACT_SAY): the model takes it and, when
 * that shows, a frame is sent. */
void tui_screen_action(struct tui_screen *s, struct model *m, const struct action *a);
/* The screen as plain text: one line per row, trailing blanks trimmed. */
int tui_screen_dump(struct tui_screen *s, FILE *out);
/* The bytes that paint the screen again on a normal screen (term_repaint: how a recording
 * ends), to free(); NULL when there is no memory for them. */
char *tui_screen_repaint(struct tui_screen *s, size_t *len);
void tui_screen_close(struct tui_screen *s);

/* One frame at cols x rows printed as text on out: what `--snapshot` shows. */
int tui_snapshot(struct model *m, const struct tui_opts *o, int cols, int rows, FILE *out,
                 struct ls_error *err);

#endif
