/* test_keys.c: key names both ways and the key map (no terminal). */
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "keyqueue.h"
#include "keys.h"
#include "tap.h"
#include "lab_fixture.h"

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
        {KEYC_UP, ACT_FOCUS, -1},    {'k', ACT_FOCUS, -1},  {KEYC_BTAB, ACT_FOCUS_CELL, -1},
        {KEYC_DOWN, ACT_FOCUS, 1},   {'j', ACT_FOCUS, 1},   {KEYC_TAB, ACT_FOCUS_CELL, 1},
        {KEYC_LEFT, ACT_STEP, -1},   {'h', ACT_STEP, -1},        {KEYC_RIGHT, ACT_STEP, 1},
        {'l', ACT_STEP, 1},          {KEYC_SLEFT, ACT_STEP, -10}, {'[', ACT_STEP, -10},
        {KEYC_SRIGHT, ACT_STEP, 10}, {']', ACT_STEP, 10},        {KEYC_HOME, ACT_HOME, 0},
        {KEYC_END, ACT_END, 0},      {'0', ACT_OFF, 0},          {'1', ACT_LAB, 1},
        {'6', ACT_LAB, 6},           {'o', ACT_ORDER, 0},        {'s', ACT_SEED, 0},
        {' ', ACT_DRAW_ONE, 0},      {'r', ACT_RESET, 0},        {'?', ACT_HELP, 0},
        {'q', ACT_QUIT, 0},          {KEYC_ESCAPE, ACT_QUIT, 0}, {KEYC_PAGEUP, ACT_SCROLL, -1},
        {KEYC_PAGEDOWN, ACT_SCROLL, 1}, {KEYC_CTRL('c'), ACT_QUIT, 0},
        {'a', ACT_CHAIN_PICK, 0},    {'x', ACT_CHAIN_REMOVE, 0}, {KEYC_DELETE, ACT_CHAIN_REMOVE, 0},
        {'<', ACT_CHAIN_MOVE, -1},   {'.', ACT_CHAIN_MOVE, 1},   {'w', ACT_WRITE_ON, 0},
        {'n', ACT_POSITION, 1},      {'p', ACT_POSITION, -1},    {'^', ACT_POSITION_END, -1},
        {'$', ACT_POSITION_END, 1},  {'f', ACT_NEXT_OUTSIDE, 0},
        {KEYC_BACKSPACE, ACT_UNWRITE, 0}, {'e', ACT_PROMPT_OPEN, PROMPT_TEXT},
        {'z', ACT_LOGITS, 0},        {'b', ACT_LOG_BARS, 0},     {'m', ACT_CUM, 0},
        {'=', ACT_PROMPT_OPEN, PROMPT_VALUE}, {KEYC_ENTER, ACT_PROMPT_OPEN, PROMPT_VALUE},
        {'/', ACT_PROMPT_OPEN, PROMPT_FIND},  {'u', ACT_UNDO, -1},  {'U', ACT_UNDO, 1},
        {'7', ACT_NONE, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct action a = keymap_lookup(want[i].key);
        char name[32];
        key_to_name(want[i].key, name, sizeof name);
        tap_ok(a.kind == want[i].kind && a.arg == want[i].arg, "key %s -> action %d %d", name,
               (int)want[i].kind, want[i].arg);
    }
}

/* While a line is typed: characters are text, Backspace, Enter and Esc edit it, Ctrl-C quits. */
static void test_prompt_keys(void)
{
    static const struct {
        int key;
        enum action_kind kind;
        int arg;
    } want[] = {
        {'q', ACT_PROMPT_CHAR, 'q'},         {'0', ACT_PROMPT_CHAR, '0'},
        {' ', ACT_PROMPT_CHAR, ' '},         {0xe9, ACT_PROMPT_CHAR, 0xe9},
        {KEYC_BACKSPACE, ACT_PROMPT_ERASE, 0}, {KEYC_CTRL('h'), ACT_PROMPT_ERASE, 0},
        {KEYC_CTRL('u'), ACT_PROMPT_CLEAR, 0},
        {KEYC_ENTER, ACT_PROMPT_DONE, 0},    {KEYC_ESCAPE, ACT_PROMPT_CANCEL, 0},
        {KEYC_CTRL('c'), ACT_QUIT, 0},       {KEYC_UP, ACT_NONE, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct action a = keymap_lookup_prompt(want[i].key);
        char name[32];
        key_to_name(want[i].key, name, sizeof name);
        tap_ok(a.kind == want[i].kind && a.arg == want[i].arg, "typing: key %s -> action %d %d",
               name, (int)want[i].kind, want[i].arg);
    }
}

/* Every key of the table, in order. */
static size_t all_keys(const struct keymap_key **out, size_t cap)
{
    size_t n, count = 0;
    const struct keymap_binding *b = keymap_bindings(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < KEYMAP_KEYS_MAX && b[i].keys[k].key != KEYC_NONE; k++)
            if (count < cap)
                out[count++] = &b[i].keys[k];
    return count;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* How help spells a named key; a character is spelled as itself. */
static const struct {
    int key;
    const char *word;
} help_words[] = {
    {KEYC_UP, "Up"},         {KEYC_DOWN, "Down"},         {KEYC_LEFT, "Left"},
    {KEYC_RIGHT, "Right"},   {KEYC_SLEFT, "S-Left"},      {KEYC_SRIGHT, "S-Right"},
    {KEYC_HOME, "Home"},     {KEYC_END, "End"},           {KEYC_PAGEUP, "PgUp"},
    {KEYC_PAGEDOWN, "PgDn"}, {KEYC_TAB, "Tab"},           {KEYC_BTAB, "S-Tab"},
    {KEYC_ESCAPE, "Esc"},    {KEYC_SPACE, "Space"},       {KEYC_F1, "F1"},
    {KEYC_CTRL('l'), "Ctrl-L"}, {KEYC_CTRL('c'), "Ctrl-C"}, {KEYC_DELETE, "Del"},
    {KEYC_ENTER, "Enter"},
    {KEYC_BACKSPACE, "Bksp"},
};

/* Whether the ASCII key names of a help line name `key`: as a word of its own, or inside a
 * range "1 .. 6". */
static bool help_names(const char *keys, int key)
{
    char word[32] = "";
    for (size_t i = 0; i < sizeof help_words / sizeof help_words[0]; i++)
        if (help_words[i].key == key)
            snprintf(word, sizeof word, "%s", help_words[i].word);
    if (!word[0] && key_is_char(key) && key < 0x80)
        snprintf(word, sizeof word, "%c", key);
    char prev[32] = "", range[32] = "";
    for (const char *p = keys; *p;) {
        size_t n = strcspn(p, " ");
        char w[32];
        snprintf(w, sizeof w, "%.*s", (int)n, p);
        if (n && strcmp(w, word) == 0)
            return true;
        if (n && strcmp(prev, "..") == 0 && strlen(range) == 1 && n == 1 && key >= range[0] &&
            key <= w[0])
            return true;
        if (n) {
            snprintf(range, sizeof range, "%s", prev);
            snprintf(prev, sizeof prev, "%s", w);
        }
        p += n;
        p += *p == ' ';
    }
    return false;
}

/* The help overlay lists every key that works, each on the line of what it does. */
static void test_help_lists_keys(void)
{
    size_t n;
    const struct keymap_binding *b = keymap_bindings(&n);
    bool all = true;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < KEYMAP_KEYS_MAX && b[i].keys[k].key != KEYC_NONE; k++) {
            if (help_names(b[i].help.ascii_keys, b[i].keys[k].key))
                continue;
            char name[32];
            key_to_name(b[i].keys[k].key, name, sizeof name);
            printf("# %s is bound but its help line says \"%s\"\n", name, b[i].help.ascii_keys);
            all = false;
        }
    tap_ok(all, "every bound key appears in the help, on its own line");
    tap_ok(help_names("q Esc", KEYC_ESCAPE) && !help_names("q Esc", KEYC_CTRL('c')) &&
               help_names("1 .. 6", '4') && !help_names("1 .. 6", '7') &&
               !help_names("PgUp PgDn", KEYC_UP),
           "the check itself: a key missing from its line is found");
}

static void test_table(void)
{
    const struct keymap_key *keys[256];
    size_t nk = all_keys(keys, 256);
    bool unique = true, same = true;
    for (size_t i = 0; i < nk; i++) {
        for (size_t j = i + 1; j < nk; j++)
            unique = unique && keys[i]->key != keys[j]->key;
        struct action a = keymap_lookup(keys[i]->key);
        same = same && a.kind == keys[i]->action.kind && a.arg == keys[i]->action.arg;
    }
    tap_ok(nk >= 30 && unique, "no key is bound twice (%zu keys)", nk);
    tap_ok(same, "keymap_lookup gives each key the action of its binding");
    size_t n;
    const struct keymap_binding *b = keymap_bindings(&n);
    bool ascii = true, named = true;
    for (size_t i = 0; i < n; i++) {
        ascii = ascii && is_ascii(b[i].help.ascii_keys);
        named = named && b[i].help.keys && b[i].help.what;
        if (b[i].place != KEYMAP_PLACE_NONE) {
            ascii = ascii && is_ascii(b[i].hint.ascii_keys);
            named = named && b[i].hint.keys && b[i].hint.what;
        }
        if (b[i].close.keys) { /* a panel's key: how to close it, on the status line too */
            ascii = ascii && is_ascii(b[i].close.ascii_keys);
            named = named && b[i].close.what && b[i].place == KEYMAP_PLACE_HINT;
        }
    }
    tap_ok(n >= 10 && named, "every binding has help words, and a hint where it shows one");
    tap_ok(ascii, "the ASCII key names are ASCII");
    /* the status line shows a place's hints by order 1, 2, ... and stops at a gap */
    static const enum keymap_place places[] = {KEYMAP_PLACE_HINT, KEYMAP_PLACE_FIXED};
    for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
        size_t count = 0;
        unsigned long seen = 0;
        for (size_t i = 0; i < n; i++)
            if (b[i].place == places[p]) {
                count++;
                if (b[i].order >= 1 && b[i].order <= 32)
                    seen |= 1ul << (b[i].order - 1);
            }
        tap_ok(count > 0 && seen == (1ul << count) - 1,
               "status-line place %d: its %zu hints are ordered 1 to %zu", (int)places[p], count,
               count);
    }
}

/* With a language model the keys that write come first on the status line, ordered 1 to n. */
static void test_lm_keys(void)
{
    size_t n, count = 0;
    unsigned long seen = 0;
    const struct keymap_binding *b = keymap_bindings(&n);
    bool named = true;
    for (size_t i = 0; i < n; i++)
        if (b[i].lm_order) {
            count++;
            seen |= b[i].lm_order >= 1 && b[i].lm_order <= 32 ? 1ul << (b[i].lm_order - 1) : 0;
            named = named && b[i].lm_hint.keys && b[i].lm_hint.what &&
                    is_ascii(b[i].lm_hint.ascii_keys);
        }
    tap_ok(count >= 4 && seen == (1ul << count) - 1 && named,
           "the language model's %zu hints are named and ordered 1 to %zu", count, count);
}

/* A queue holding the keys given, KEYC_NONE-terminated. */
static void queue_of(struct key_queue *q, const int *keys)
{
    key_queue_clear(q);
    for (size_t i = 0; keys[i] != KEYC_NONE; i++)
        key_queue_push(q, keys[i]);
}

/* Keys waiting behind a slow update: a quit acts first, steps the same way merge. */
static void test_queue(void)
{
    struct vocab v;
    struct model m;
    lab_vocab(&v);
    lab_model(&m, &v, "decisions.tsv", 100, 1);
    struct key_queue q;
    queue_of(&q, (const int[]){KEYC_RIGHT, KEYC_RIGHT, 'q', KEYC_NONE});
    tap_ok(key_queue_quits(&m, KEYC_NONE, &q), "a q behind two steps quits before them");
    queue_of(&q, (const int[]){KEYC_RIGHT, KEYC_CTRL('c'), KEYC_NONE});
    tap_ok(key_queue_quits(&m, KEYC_NONE, &q), "so does Ctrl-C");
    queue_of(&q, (const int[]){KEYC_RIGHT, '?', 'q', KEYC_NONE});
    tap_ok(!key_queue_quits(&m, KEYC_NONE, &q), "a q after ? only closes help: no quit");
    queue_of(&q, (const int[]){'a', 'q', KEYC_NONE});
    tap_ok(!key_queue_quits(&m, KEYC_NONE, &q), "nor after the picker opens");
    queue_of(&q, (const int[]){'/', 'q', KEYC_NONE});
    tap_ok(!key_queue_quits(&m, KEYC_NONE, &q), "nor after / opens a line to type in: q is a letter there");
    m.prompt.kind = PROMPT_VALUE;
    queue_of(&q, (const int[]){'q', KEYC_CTRL('c'), KEYC_NONE});
    tap_ok(key_queue_quits(&m, KEYC_NONE, &q), "typing, q is a letter but Ctrl-C quits");
    m.prompt.kind = PROMPT_NONE;
    m.help = true;
    queue_of(&q, (const int[]){'q', KEYC_NONE});
    tap_ok(!key_queue_quits(&m, KEYC_NONE, &q), "with help open, the first key closes it");
    m.help = false;
    queue_of(&q, (const int[]){KEYC_ESCAPE, KEYC_NONE});
    tap_ok(!key_queue_quits(&m, '/', &q) && !key_queue_quits(&m, '?', &q) &&
               !key_queue_quits(&m, '=', &q) && key_queue_quits(&m, KEYC_RIGHT, &q),
           "an Esc behind / ? or = cancels what they open; behind Right it quits");
    m.help = true;
    queue_of(&q, (const int[]){KEYC_RIGHT, KEYC_RIGHT, KEYC_NONE});
    struct action once = key_queue_steps(&m, &q, model_key_action(&m, KEYC_RIGHT));
    tap_ok(once.arg == 1 && q.head == 0,
           "with help open a step is not merged: it closes help, the others step after");
    m.help = false;

    queue_of(&q, (const int[]){KEYC_RIGHT, KEYC_RIGHT, ']', KEYC_LEFT, KEYC_RIGHT, KEYC_NONE});
    struct action a = key_queue_steps(&m, &q, model_key_action(&m, KEYC_RIGHT));
    TAP_EQ_INT(a.kind, ACT_STEP, "steps merge into a step");
    TAP_EQ_INT(a.arg, 1 + 1 + 1 + 10, "Right, then Right Right ] behind it: 13 steps");
    TAP_EQ_INT(key_queue_pop(&q), KEYC_LEFT, "the merge stops where the direction turns");
    a = key_queue_steps(&m, &q, model_key_action(&m, KEYC_LEFT));
    TAP_EQ_INT(a.arg, -1, "a Left alone stays one step back");
    TAP_EQ_INT(key_queue_pop(&q), KEYC_RIGHT, "and leaves the Right after it");
    tap_ok(key_queue_empty(&q), "the queue is then empty");
    queue_of(&q, (const int[]){KEYC_DOWN, KEYC_RIGHT, KEYC_NONE});
    a = key_queue_steps(&m, &q, model_key_action(&m, KEYC_RIGHT));
    TAP_EQ_INT(a.arg, 1, "a step does not take steps that another key separates from it");

    /* the merged step lands where the steps one by one do */
    struct model one;
    lab_model(&one, &v, "decisions.tsv", 100, 1);
    for (int i = 0; i < 13; i++) {
        struct action step = model_key_action(&one, KEYC_RIGHT);
        model_update(&one, &step);
    }
    queue_of(&q, (const int[]){KEYC_RIGHT, KEYC_RIGHT, ']', KEYC_NONE});
    a = key_queue_steps(&m, &q, model_key_action(&m, KEYC_RIGHT));
    model_update(&m, &a);
    tap_ok(params_equal(&m.params, &one.params), "13 steps at once equal 13 steps (T %g)",
           params_real(&m.params, PARAM_TEMPERATURE));
    for (int i = 0; i < KEY_QUEUE_MAX; i++)
        key_queue_push(&q, KEYC_RIGHT);
    tap_ok(!key_queue_push(&q, KEYC_RIGHT), "a full queue takes no more keys");
    model_free(&one);
    model_free(&m);
    vocab_free(&v);
}

int main(void)
{
    test_queue();
    test_names();
    test_keymap();
    test_prompt_keys();
    test_table();
    test_lm_keys();
    test_help_lists_keys();
    return tap_done();
}
