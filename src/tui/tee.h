/* tee.h: recording a live session (--cast on a terminal). curses draws into a file instead of
 * the terminal; after each update the new bytes are copied to the terminal and to the cast,
 * so both get exactly the same bytes. Since curses then never sees the terminal, this module
 * sets its modes (and restores them) and reads its size. */
#ifndef LOGITSCOPE_TUI_TEE_H
#define LOGITSCOPE_TUI_TEE_H

#include <stdbool.h>
#include <stdio.h>
#include <termios.h>

#include "cast.h"
#include "logitscope/error.h"

struct tee {
    int tty;                /* the terminal's descriptor (not owned) */
    FILE *bytes;            /* what curses writes; emptied after each copy */
    struct termios saved;   /* the terminal's modes before us */
    bool raw;               /* our modes are set */
    bool gone;              /* a write to the terminal failed: it went away */
    bool cast_failed;       /* a write to the recording failed (a full disk): stop now */
    struct cast *cast;
    long long t0_ms;        /* monotonic start: cast times are wall-clock seconds from here */
};

int tee_open(struct tee *t, int tty, struct cast *cast, struct ls_error *err);
/* What curses would set on a terminal it owned: no echo, no line buffering, no CR/NL
 * translation either way; signals stay on (Ctrl-C is SIGINT, as without recording) except
 * Ctrl-Z, which cannot suspend a recording. */
int tee_raw(struct tee *t, struct ls_error *err);
/* The size of the terminal on fd (LAYOUT_DEFAULT_COLS x _ROWS when it cannot say). */
void tee_size(int fd, int *cols, int *rows);
/* Copies what curses wrote since the last call to the terminal and the cast, and writes
 * the cast's events out whole: a crash leaves a valid file, a full disk shows at once. */
void tee_forward(struct tee *t);
void tee_resized(struct tee *t, int cols, int rows);
/* A marker in the recording, now, written out at once. */
void tee_marker(struct tee *t, const char *label);
/* Bytes for the recording alone, now (the last frame painted again after the terminal's
 * restore: see term_repaint), written out at once. */
void tee_record_only(struct tee *t, const char *data, size_t len);
/* Restores the modes and frees; safe to call twice. */
void tee_close(struct tee *t);

#endif
