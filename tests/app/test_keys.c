/* test_keys.c: key names both ways and the key map (no terminal). */
#include <string.h>

#include "keymap.h"
#include "keys.h"
#include "tap.h"

static void test_names(void)
{
    static const char *const names[] = {"Up", "Down", "Left", "Right", "Home", "End",
                                        "PageUp", "PageDown", "Tab", "BTab", "Enter", "Space",
                                        "Escape", "Backspace", "F1", "F12", "Ctrl+X", "q", "6",
                                        "?", "[", "\u00e9"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int key = 0;
        char buf[32];
        bool ok = key_parse(names[i], strlen(names[i]), &key);
        key_to_name(key, buf, sizeof buf);
        tap_ok(ok && strcmp(buf, names[i]) == 0, "key name %s round-trips (got %s)", names[i],
               buf);
    }
    int key = 0;
    tap_ok(key_parse("pagedown", 8, &key) && key == KEYC_PAGEDOWN, "named keys ignore case");
    tap_ok(key_parse("ctrl+c", 6, &key) && key == KEYC_CTRL('c'), "Ctrl+c");
    tap_ok(key_parse("F10", 3, &key) && key == KEYC_F(10), "F10");
    tap_ok(!key_parse("F13", 3, &key), "F13 is not a key");
    tap_ok(!key_parse("F0", 2, &key), "F0 is not a key");
    tap_ok(!key_parse("qq", 2, &key), "two characters are not a key");
    tap_ok(!key_parse("", 0, &key), "nothing is not a key");
    tap_ok(!key_parse("\xff", 1, &key), "invalid UTF-8 is not a key");
    tap_ok(!key_parse("\x01", 1, &key), "a control byte is not a key");
    tap_ok(key_is_char('a') && !key_is_char(27) && !key_is_char(KEYC_UP), "key_is_char");
}

static void test_keymap(void)
{
    static const struct {
        int key;
        enum action_kind kind;
        int arg;
    } want[] = {
        {KEYC_UP, ACT_FOCUS, -1},    {'k', ACT_FOCUS, -1},       {KEYC_BTAB, ACT_FOCUS, -1},
        {KEYC_DOWN, ACT_FOCUS, 1},   {'j', ACT_FOCUS, 1},        {KEYC_TAB, ACT_FOCUS, 1},
        {KEYC_LEFT, ACT_STEP, -1},   {'h', ACT_STEP, -1},        {KEYC_RIGHT, ACT_STEP, 1},
        {'l', ACT_STEP, 1},          {KEYC_SLEFT, ACT_STEP, -10}, {'[', ACT_STEP, -10},
        {KEYC_SRIGHT, ACT_STEP, 10}, {']', ACT_STEP, 10},        {KEYC_HOME, ACT_HOME, 0},
        {KEYC_END, ACT_END, 0},      {'0', ACT_OFF, 0},          {'1', ACT_LAB, 1},
        {'6', ACT_LAB, 6},           {'o', ACT_ORDER, 0},        {'s', ACT_SEED, 0},
        {' ', ACT_DRAW_ONE, 0},      {'r', ACT_RESET, 0},        {'?', ACT_HELP, 0},
        {'q', ACT_QUIT, 0},          {KEYC_ESCAPE, ACT_QUIT, 0}, {KEYC_PAGEUP, ACT_SCROLL, -1},
        {KEYC_PAGEDOWN, ACT_SCROLL, 1}, {KEYC_CTRL('c'), ACT_QUIT, 0},
        {'x', ACT_NONE, 0},          {'7', ACT_NONE, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct action a = keymap_lookup(want[i].key);
        char name[32];
        key_to_name(want[i].key, name, sizeof name);
        tap_ok(a.kind == want[i].kind && a.arg == want[i].arg, "key %s -> action %d %d", name,
               (int)want[i].kind, want[i].arg);
    }
    size_t n;
    const struct keymap_entry *e = keymap_entries(&n);
    bool unique = true;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            unique = unique && e[i].key != e[j].key;
    tap_ok(unique, "no key is bound twice");
    const struct keymap_help *h = keymap_help_lines(&n);
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        for (const char *p = h[i].ascii_keys; *p; p++)
            ascii = ascii && (unsigned char)*p < 0x80;
    tap_ok(n >= 10 && ascii, "help lines exist and their ASCII variants are ASCII");
}

int main(void)
{
    test_names();
    test_keymap();
    return tap_done();
}
