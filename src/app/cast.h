/* cast.h: writes asciicast v2 recordings (asciinema's format): a JSON header line, then one
 * `[time, "o", data]` line per chunk of bytes sent to the terminal, `[time, "r", "COLSxROWS"]`
 * for a resize and `[time, "m", label]` for a marker (a key script's caption). No curses: the
 * tui hands it exactly the bytes it wrote. */
#ifndef LOGITSCOPE_APP_CAST_H
#define LOGITSCOPE_APP_CAST_H

#include <stdio.h>

#include "logitscope/error.h"

struct cast {
    FILE *f;
    char *path;
    double last_t;
    char carry[4];     /* an incomplete UTF-8 character at the end of the last chunk */
    size_t carry_len;
    int write_errno;   /* the first write that failed, for the message */
};

struct cast_header {
    int width, height;
    long long timestamp; /* Unix seconds */
    const char *title;   /* may be NULL */
    const char *term;    /* env.TERM; may be NULL */
};

/* Writes the header at once: an unwritable file (a full disk) fails here, and leaves no
 * file behind. The title is text_escape()d: it names files, which are text from outside. */
int cast_open(struct cast *c, const char *path, const struct cast_header *h,
              struct ls_error *err);
/* t: seconds since the start; never goes backwards (clamped). A character split across two
 * chunks is joined; bytes that are not valid UTF-8 become U+FFFD, since the format is JSON. */
void cast_output(struct cast *c, double t, const char *data, size_t len);
void cast_resize(struct cast *c, double t, int width, int height);
/* A marker at t, labelled with text from outside (a caption): text_escape()d like the title,
 * but a backslash stays one (as on screen). Players show markers on their timeline, and can
 * seek to them or pause there. */
void cast_marker(struct cast *c, double t, const char *label);
/* Writes out the events so far, each one whole: a live recording calls it after each
 * update, so a crash leaves a valid file. -1 when a write failed (and every call after). */
int cast_flush(struct cast *c);
/* Flushes and closes; -1 with a message when the file could not be written in full. */
int cast_close(struct cast *c, struct ls_error *err);

/* Closes a recording that holds nothing worth keeping and removes its file, when it is a
 * regular file: never a device such as /dev/null, which root could otherwise delete. */
void cast_discard(struct cast *c);

/* JSON string body of s[0..len) (no quotes) to f, bytes that are not UTF-8 as U+FFFD; the
 * tests and generate's JSON use it too. */
void cast_json_string(FILE *f, const char *s, size_t len);

#endif
