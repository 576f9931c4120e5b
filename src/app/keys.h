/* keys.h: key codes that do not depend on curses, with names, so the key map, the tests and
 * key scripts (--play) all speak the same language; the tui translates into these. */
#ifndef LOGITSCOPE_APP_KEYS_H
#define LOGITSCOPE_APP_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* A key is a plain int: 1..0x10FFFF is a Unicode code point typed as is (' ' is Space), and
 * the named keys below live above Unicode so the two can never collide. The KEYC_ prefix
 * (as in tmux) keeps clear of curses' KEY_* macros in the files that include both. */
enum key {
    KEYC_NONE = 0,
    KEYC_SPACE = ' ',
    KEYC_NAMED = 0x200000,
    KEYC_UP,
    KEYC_DOWN,
    KEYC_LEFT,
    KEYC_RIGHT,
    KEYC_SLEFT,     /* Shift+Left */
    KEYC_SRIGHT,    /* Shift+Right */
    KEYC_HOME,
    KEYC_END,
    KEYC_PAGEUP,
    KEYC_PAGEDOWN,
    KEYC_TAB,
    KEYC_BTAB,      /* Shift+Tab */
    KEYC_ENTER,
    KEYC_ESCAPE,
    KEYC_BACKSPACE,
    KEYC_DELETE,
    KEYC_INSERT,
    KEYC_RESIZE,    /* the terminal changed size (not a key a person presses) */
    KEYC_MOUSE,     /* a mouse event is waiting (see struct mouse_event) */
    KEYC_F1,        /* KEYC_F1 + n - 1 is Fn, n = 1..12 */
    KEYC_F12 = KEYC_F1 + 11,
    KEYC_CTRL_A,    /* KEYC_CTRL_A + (c - 'a') is Ctrl+c, c = a..z */
    KEYC_CTRL_Z = KEYC_CTRL_A + 25,
    KEYC_LAST
};

#define KEYC_F(n) ((int)KEYC_F1 + (n) - 1)
#define KEYC_CTRL(c) ((int)KEYC_CTRL_A + ((c) | 0x20) - 'a')

/* Mouse events, decoded by the tui. Coordinates are screen cells, 0-based. */
enum mouse_kind {
    MOUSE_PRESS,
    MOUSE_RELEASE,
    MOUSE_DRAG,
    MOUSE_WHEEL_UP,
    MOUSE_WHEEL_DOWN,
};

struct mouse_event {
    enum mouse_kind kind;
    int button; /* 1 = left, 2 = middle, 3 = right; 0 for wheel */
    int x, y;
};

/* A character that is printable on its own (not a control, not a named key). */
bool key_is_char(int key);

/* A character's UTF-8 bytes into out (room for 4); returns how many (1..4). */
size_t key_utf8(int cp, char *out);

/* Names as written in key scripts: "Up", "PageDown", "F5", "Ctrl+X", "Space", "q", "?".
 * (Not key_name(): curses has one, and src/tui includes both headers.)
 * Returns the length written (snprintf-like, always NUL-terminated when cap > 0); an
 * unknown key writes "?0x...". */
size_t key_to_name(int key, char *buf, size_t cap);

/* Parses a name (case-insensitive for named keys, exact for single characters; a single
 * UTF-8 character is that code point). Returns false when it is not a key. */
bool key_parse(const char *name, size_t len, int *key);

#endif
