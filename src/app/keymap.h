/* keymap.h: which key does what. One table, read by the main loop, the help overlay and the
 * tests, so the keys listed in help are exactly the keys that work. */
#ifndef LOGITSCOPE_APP_KEYMAP_H
#define LOGITSCOPE_APP_KEYMAP_H

#include <stddef.h>

#include "keys.h"
#include "model.h"

struct keymap_entry {
    int key;
    struct action action;
    const char *help; /* NULL: a synonym, listed under the entry before it */
};

/* The action for a key; ACT_NONE when the key does nothing. */
struct action keymap_lookup(int key);

/* The same while the help overlay is open: Up Down PgUp PgDn scroll it (ACT_HELP_SCROLL);
 * any other key does what it does, which closes the help. */
struct action keymap_lookup_help(int key);

/* The whole table, for the help overlay. */
const struct keymap_entry *keymap_entries(size_t *n);

/* The help overlay's lines: "keys" and what they do, grouped, in display order. */
struct keymap_help {
    const char *keys;
    const char *ascii_keys; /* the same without arrows and other non-ASCII glyphs */
    const char *what;
};
const struct keymap_help *keymap_help_lines(size_t *n);

#endif
