/* keymap.c: the explorer's keys, vim's hjkl included, with their help and status-line words. */
#include "keymap.h"

#define KEY(key, kind, arg) {(key), {(kind), (arg), 0.0}}

static const struct keymap_binding keymap_table[] = {
    {.help = {"\u2191 \u2193  k j", "Up Down  k j", "choose a sampler"},
     .hint = {"\u2191\u2193", "^v", "slider"}, .place = KEYMAP_PLACE_HINT, .order = 2,
     .keys = {KEY(KEYC_UP, ACT_FOCUS, -1), KEY('k', ACT_FOCUS, -1),
              KEY(KEYC_DOWN, ACT_FOCUS, +1), KEY('j', ACT_FOCUS, +1)}},
    {.help = {"Tab S-Tab", "Tab S-Tab", "every slider, a row's too"},
     .keys = {KEY(KEYC_TAB, ACT_FOCUS_CELL, +1), KEY(KEYC_BTAB, ACT_FOCUS_CELL, -1)}},
    {.help = {"\u2190 \u2192  h l", "Left Right  h l", "step the slider"},
     .hint = {"\u2190\u2192", "<>", "step"}, .place = KEYMAP_PLACE_HINT, .order = 1,
     .keys = {KEY(KEYC_LEFT, ACT_STEP, -1), KEY('h', ACT_STEP, -1), KEY(KEYC_RIGHT, ACT_STEP, +1),
              KEY('l', ACT_STEP, +1)}},
    {.help = {"S-\u2190 S-\u2192  [ ]", "S-Left S-Right  [ ]", "ten steps"},
     .hint = {"[ ]", "[ ]", "x10"}, .place = KEYMAP_PLACE_HINT, .order = 11,
     .keys = {KEY(KEYC_SLEFT, ACT_STEP, -10), KEY('[', ACT_STEP, -10),
              KEY(KEYC_SRIGHT, ACT_STEP, +10), KEY(']', ACT_STEP, +10)}},
    {.help = {"Home End", "Home End", "to either end"},
     .keys = {KEY(KEYC_HOME, ACT_HOME, 0), KEY(KEYC_END, ACT_END, 0)}},
    {.help = {"0", "0", "filter off (T back to 1.0)"},
     .hint = {"0", "0", "off"}, .place = KEYMAP_PLACE_HINT, .order = 3, /* its words: the model's */
     .keys = {KEY('0', ACT_OFF, 0)}},
    {.help = {"= Enter", "= Enter", "type a value for this slider"},
     .hint = {"=", "=", "type"}, .place = KEYMAP_PLACE_HINT, .order = 9,
     .keys = {KEY('=', ACT_PROMPT_OPEN, PROMPT_VALUE), KEY(KEYC_ENTER, ACT_PROMPT_OPEN, PROMPT_VALUE)}},
    {.help = {"1 .. 6", "1 .. 6", "the lab's six settings"},
     .hint = {"1-6", "1-6", "lab"}, .place = KEYMAP_PLACE_HINT, .order = 12,
     .keys = {KEY('1', ACT_LAB, 1), KEY('2', ACT_LAB, 2), KEY('3', ACT_LAB, 3),
              KEY('4', ACT_LAB, 4), KEY('5', ACT_LAB, 5), KEY('6', ACT_LAB, 6)}},
    {.help = {"o", "o", "next preset chain: hf, llama, vllm"},
     .hint = {"o", "o", "preset"}, .place = KEYMAP_PLACE_HINT, .order = 7,
     .keys = {KEY('o', ACT_ORDER, 0)}},
    {.help = {"a", "a", "add a sampler after this one"},
     .hint = {"a", "a", "add"}, .place = KEYMAP_PLACE_HINT, .order = 15,
     .keys = {KEY('a', ACT_CHAIN_PICK, 0)}},
    {.help = {"x Del", "x Del", "take this sampler out"},
     .keys = {KEY('x', ACT_CHAIN_REMOVE, 0), KEY(KEYC_DELETE, ACT_CHAIN_REMOVE, 0)}},
    {.help = {"< > , .", "< > , .", "move it earlier / later"},
     .keys = {KEY('<', ACT_CHAIN_MOVE, -1), KEY(',', ACT_CHAIN_MOVE, -1),
              KEY('>', ACT_CHAIN_MOVE, +1), KEY('.', ACT_CHAIN_MOVE, +1)}},
    {.help = {"u U", "u U", "undo / redo a change of settings"},
     .hint = {"u", "u", "undo"}, .place = KEYMAP_PLACE_HINT, .order = 8,
     .keys = {KEY('u', ACT_UNDO, -1), KEY('U', ACT_UNDO, +1)}},
    {.help = {"s", "s", "new seed for the N draws"},
     .hint = {"s", "s", "seed"}, .place = KEYMAP_PLACE_HINT, .order = 13,
     .keys = {KEY('s', ACT_SEED, 0)}},
    {.help = {"Space", "Space", "draw a token (--lm: write a word)"},
     .hint = {"Space", "Space", "draw"}, .place = KEYMAP_PLACE_HINT, .order = 4,
     .lm_hint = {"Space", "Space", "write"}, .lm_order = 1,
     .keys = {KEY(KEYC_SPACE, ACT_DRAW_ONE, 0)}},
    {.help = {"Bksp", "Bksp", "take the last word back"},
     .lm_hint = {"Bksp", "Bksp", "back"}, .lm_order = 2,
     .keys = {KEY(KEYC_BACKSPACE, ACT_UNWRITE, 0)}},
    {.help = {"w", "w", "write on, a word at a time"},
     .lm_hint = {"w", "w", "write on"}, .lm_order = 3,
     .keys = {KEY('w', ACT_WRITE_ON, 0)}},
    {.help = {"e", "e", "edit the prompt"},
     .lm_hint = {"e", "e", "prompt"}, .lm_order = 4,
     .keys = {KEY('e', ACT_PROMPT_OPEN, PROMPT_TEXT)}},
    {.help = {"/", "/", "find a token (/ Enter: next)"},
     .hint = {"/", "/", "find"}, .place = KEYMAP_PLACE_HINT, .order = 10,
     .keys = {KEY('/', ACT_PROMPT_OPEN, PROMPT_FIND)}},
    {.help = {"PgUp PgDn", "PgUp PgDn", "scroll the tokens"},
     .keys = {KEY(KEYC_PAGEUP, ACT_SCROLL, -1), KEY(KEYC_PAGEDOWN, ACT_SCROLL, +1)}},
    {.help = {"n p", "n p", "next / previous position"},
     .keys = {KEY('n', ACT_POSITION, +1), KEY('p', ACT_POSITION, -1)}},
    {.help = {"^ $", "^ $", "first / last position"},
     .keys = {KEY('^', ACT_POSITION_END, -1), KEY('$', ACT_POSITION_END, +1)}},
    {.help = {"f", "f", "next chosen token cut by chain"},
     .keys = {KEY('f', ACT_NEXT_OUTSIDE, 0)}},
    {.help = {"r", "r", "reset the settings"},
     .hint = {"r", "r", "reset"}, .place = KEYMAP_PLACE_HINT, .order = 14,
     .keys = {KEY('r', ACT_RESET, 0)}},
    {.help = {"g", "g", "entropy vs T plot"},
     .hint = {"g", "g", "plot"}, .close = {"g", "g", "plot off"}, .place = KEYMAP_PLACE_HINT,
     .order = 5, .keys = {KEY('g', ACT_PLOT, 0)}},
    {.help = {"c", "c", "A/B: pin A, sliders move B"},
     .hint = {"c", "c", "A/B"}, .close = {"c", "c", "A/B off"}, .place = KEYMAP_PLACE_HINT,
     .order = 6, .keys = {KEY('c', ACT_COMPARE, 0)}},
    {.help = {"z", "z", "logit and logit/T columns"},
     .keys = {KEY('z', ACT_LOGITS, 0)}},
    {.help = {"b", "b", "bars on a log scale"},
     .keys = {KEY('b', ACT_LOG_BARS, 0)}},
    {.help = {"m", "m", "cumulative mass column"},
     .keys = {KEY('m', ACT_CUM, 0)}},
    {.help = {"mouse", "mouse", "click/drag sliders, scroll"}}, /* decoded in src/tui/mouse.c */
    {.help = {"Ctrl-L", "Ctrl-L", "repaint the screen"},
     .keys = {KEY(KEYC_CTRL('l'), ACT_REDRAW, 0)}},
    {.help = {"? F1", "? F1", "this help"},
     .hint = {"?", "?", "help"}, .place = KEYMAP_PLACE_FIXED, .order = 1,
     .keys = {KEY('?', ACT_HELP, 0), KEY(KEYC_F1, ACT_HELP, 0)}},
    {.help = {"q Esc Ctrl-C", "q Esc Ctrl-C", "quit"},
     .hint = {"q", "q", "quit"}, .place = KEYMAP_PLACE_FIXED, .order = 2,
     .keys = {KEY('q', ACT_QUIT, 0), KEY(KEYC_ESCAPE, ACT_QUIT, 0),
              KEY(KEYC_CTRL('c'), ACT_QUIT, 0)}},
};

const struct keymap_binding *keymap_bindings(size_t *n)
{
    *n = sizeof keymap_table / sizeof keymap_table[0];
    return keymap_table;
}

struct action keymap_lookup(int key)
{
    for (size_t i = 0; i < sizeof keymap_table / sizeof keymap_table[0]; i++)
        for (size_t k = 0; k < KEYMAP_KEYS_MAX && keymap_table[i].keys[k].key != KEYC_NONE; k++)
            if (keymap_table[i].keys[k].key == key)
                return keymap_table[i].keys[k].action;
    return (struct action){ACT_NONE, 0, 0.0};
}

struct action keymap_lookup_help(int key)
{
    switch (key) {
    case KEYC_UP: return (struct action){ACT_HELP_SCROLL, -1, 0.0};
    case KEYC_DOWN: return (struct action){ACT_HELP_SCROLL, +1, 0.0};
    case KEYC_PAGEUP: return (struct action){ACT_HELP_SCROLL, 0, -1.0};
    case KEYC_PAGEDOWN: return (struct action){ACT_HELP_SCROLL, 0, +1.0};
    default: return keymap_lookup(key);
    }
}

struct action keymap_lookup_picker(int key)
{
    switch (key) {
    case KEYC_UP:
    case 'k':
    case KEYC_BTAB: return (struct action){ACT_PICK_MOVE, -1, 0.0};
    case KEYC_DOWN:
    case 'j':
    case KEYC_TAB: return (struct action){ACT_PICK_MOVE, +1, 0.0};
    case KEYC_ENTER:
    case KEYC_SPACE:
    case 'a': return (struct action){ACT_PICK_TAKE, -1, 0.0};
    case KEYC_ESCAPE: return (struct action){ACT_PICK_CLOSE, 0, 0.0};
    default: return keymap_lookup(key);
    }
}

struct action keymap_lookup_prompt(int key)
{
    switch (key) {
    case KEYC_BACKSPACE:
    case KEYC_CTRL('h'): return (struct action){ACT_PROMPT_ERASE, 0, 0.0};
    case KEYC_CTRL('u'): return (struct action){ACT_PROMPT_CLEAR, 0, 0.0};
    case KEYC_ENTER: return (struct action){ACT_PROMPT_DONE, 0, 0.0};
    case KEYC_ESCAPE: return (struct action){ACT_PROMPT_CANCEL, 0, 0.0};
    case KEYC_CTRL('c'): return (struct action){ACT_QUIT, 0, 0.0};
    case KEYC_CTRL('l'): return (struct action){ACT_REDRAW, 0, 0.0};
    default:
        if (key_is_char(key))
            return (struct action){ACT_PROMPT_CHAR, key, 0.0};
        return (struct action){ACT_NONE, 0, 0.0};
    }
}
