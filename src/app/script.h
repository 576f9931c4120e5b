/* script.h: key scripts for `--play`: a plain-text lesson that drives the real explorer the way
 * a person would, compiled to a timeline of keys and pauses. No curses, no clock: the player
 * decides whether the pauses are slept (live) or only stamped (offscreen recording). */
#ifndef LOGITSCOPE_APP_SCRIPT_H
#define LOGITSCOPE_APP_SCRIPT_H

#include <stddef.h>

#include "logitscope/error.h"

#define SCRIPT_DEFAULT_DELAY_MS 100u
#define SCRIPT_MAX_COUNT 10000u       /* KEY COUNT: more is surely a typo */
#define SCRIPT_MAX_EVENTS 1000000u
#define SCRIPT_MAX_SLEEP_MS 3600000u  /* an hour */
#define SCRIPT_MAX_BYTES ((size_t)16 << 20) /* a script file; a million steps fit well inside */
#define SCRIPT_SAY_MAX 120u /* bytes of one caption: a row of a projected screen, and more */

/* One step of the timeline: press `key` (KEYC_NONE: none), then wait `wait_ms`. A `say` step
 * has no key and no wait: it shows caption says[say] under the frame. */
struct script_event {
    int key;
    unsigned wait_ms;
    unsigned line; /* script line it came from, for messages */
    int say;       /* an index into says, or -1: not a caption */
};

struct script {
    struct script_event *events;
    size_t n;
    unsigned long long total_ms; /* sum of all waits: the script's running time */
    char **says;   /* the captions, in script order, unescaped; "" takes the caption away */
    size_t n_says;
};

/* Grammar, one command per line (blanks ignored; a word starting with `#` begins a comment,
 * so the key `#` is written type "#"):
 *   KEY [COUNT]           a key name (Up, PageDown, F5, Ctrl+X, Space, q, 6, ?); COUNT >= 1
 *   sleep 500ms | 1.5s    a pause
 *   set delay 120ms       the pause after each later key (default 100ms)
 *   type "text"           each character as a key; \" \\ \n \t escapes
 *   say "text"            a caption under the frame until the next say (say "": none);
 *                         \" \\ escapes, at most SCRIPT_SAY_MAX bytes
 * Errors are "NAME:LINE: what". */
int script_parse(struct script *s, const char *name, const char *text, size_t len,
                 struct ls_error *err);
int script_load(struct script *s, const char *path, struct ls_error *err);
void script_free(struct script *s);

#endif
