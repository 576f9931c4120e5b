/* keymap.h: which key does what, and how it is named. One table of bindings: the main loop
 * looks keys up in it, the help overlay lists its lines and the status line shows its hints,
 * so the keys listed are exactly the keys that work. */
#ifndef LOGITSCOPE_APP_KEYMAP_H
#define LOGITSCOPE_APP_KEYMAP_H

#include <stddef.h>

#include "action.h"
#include "keys.h"

#define KEYMAP_KEYS_MAX 6 /* keys on one line of help (1 .. 6) */

/* A binding's name: its keys as a UTF-8 terminal shows them, the same in ASCII, and what
 * they do. */
struct keymap_label {
    const char *keys;
    const char *ascii_keys; /* the same without arrows and other non-ASCII glyphs */
    const char *what;
};

/* Where a binding shows on the status line. */
enum keymap_place {
    KEYMAP_PLACE_NONE = 0,
    KEYMAP_PLACE_HINT,  /* left to right while they fit, when no message shows */
    KEYMAP_PLACE_FIXED, /* always, at the right end */
};

struct keymap_key {
    int key;
    struct action action;
};

/* One line of help: the keys that do one thing, and its hint on the status line. */
struct keymap_binding {
    struct keymap_label help;
    struct keymap_label hint; /* when place is not KEYMAP_PLACE_NONE */
    struct keymap_label close; /* a key that opens a panel: while it is open, this hint comes
                                * first instead (how to close it); keys NULL: none */
    enum keymap_place place;
    int order;                /* 1, 2, ...: left to right among the hints of its place */
    /* With a language model open (--lm) the keys that write come first on the status line,
     * lm_order 1, 2, ... (0: not one of them), with these words in place of `hint`. */
    struct keymap_label lm_hint;
    int lm_order;
    struct keymap_key keys[KEYMAP_KEYS_MAX]; /* up to the first KEYC_NONE (mouse: none) */
};

/* The table, in the help overlay's order. */
const struct keymap_binding *keymap_bindings(size_t *n);

/* The action for a key; ACT_NONE when the key does nothing. */
struct action keymap_lookup(int key);

/* The same while the help overlay is open: Up Down PgUp PgDn scroll it (ACT_HELP_SCROLL);
 * any other key does what it does, which closes the help. */
struct action keymap_lookup_help(int key);

/* The same while a line is typed on the status line: characters go into it, Backspace takes
 * one out, Ctrl-U all, Enter is done, Esc cancels, Ctrl-C still quits; other keys do
 * nothing. */
struct action keymap_lookup_prompt(int key);

/* The same while the picker of samplers is open: Up Down choose (ACT_PICK_MOVE), Enter Space
 * take (ACT_PICK_TAKE), Esc closes it; any other key does what it does, which closes it. */
struct action keymap_lookup_picker(int key);


#endif
