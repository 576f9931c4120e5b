/* keymap.c: the explorer's keys, vim's hjkl included. */
#include "keymap.h"

#define A(kind, arg) {(kind), (arg), 0.0}

static const struct keymap_entry keymap_table[] = {
    {KEYC_UP, A(ACT_FOCUS, -1), "focus"},
    {'k', A(ACT_FOCUS, -1), NULL},
    {KEYC_BTAB, A(ACT_FOCUS, -1), NULL},
    {KEYC_DOWN, A(ACT_FOCUS, +1), NULL},
    {'j', A(ACT_FOCUS, +1), NULL},
    {KEYC_TAB, A(ACT_FOCUS, +1), NULL},
    {KEYC_LEFT, A(ACT_STEP, -1), "step"},
    {'h', A(ACT_STEP, -1), NULL},
    {KEYC_RIGHT, A(ACT_STEP, +1), NULL},
    {'l', A(ACT_STEP, +1), NULL},
    {KEYC_SLEFT, A(ACT_STEP, -10), "ten steps"},
    {'[', A(ACT_STEP, -10), NULL},
    {KEYC_SRIGHT, A(ACT_STEP, +10), NULL},
    {']', A(ACT_STEP, +10), NULL},
    {KEYC_HOME, A(ACT_HOME, 0), "to the ends"},
    {KEYC_END, A(ACT_END, 0), NULL},
    {'0', A(ACT_OFF, 0), "filter off"},
    {'1', A(ACT_LAB, 1), "lab settings"},
    {'2', A(ACT_LAB, 2), NULL},
    {'3', A(ACT_LAB, 3), NULL},
    {'4', A(ACT_LAB, 4), NULL},
    {'5', A(ACT_LAB, 5), NULL},
    {'6', A(ACT_LAB, 6), NULL},
    {'o', A(ACT_ORDER, 0), "order"},
    {'s', A(ACT_SEED, 0), "seed"},
    {KEYC_SPACE, A(ACT_DRAW_ONE, 0), "draw one"},
    {KEYC_PAGEUP, A(ACT_SCROLL, -1), "scroll"},
    {KEYC_PAGEDOWN, A(ACT_SCROLL, +1), NULL},
    {'r', A(ACT_RESET, 0), "reset"},
    {'g', A(ACT_PLOT, 0), "plot"},
    {'c', A(ACT_COMPARE, 0), "compare"},
    {'?', A(ACT_HELP, 0), "help"},
    {KEYC_F1, A(ACT_HELP, 0), NULL},
    {KEYC_CTRL_A + ('l' - 'a'), A(ACT_REDRAW, 0), "redraw"},
    {'q', A(ACT_QUIT, 0), "quit"},
    {KEYC_ESCAPE, A(ACT_QUIT, 0), NULL},
    {KEYC_CTRL_A + ('c' - 'a'), A(ACT_QUIT, 0), NULL},
};

static const struct keymap_help keymap_help_table[] = {
    {"\u2191 \u2193  k j  Tab S-Tab", "Up Down  k j  Tab S-Tab", "choose a slider"},
    {"\u2190 \u2192  h l", "Left Right  h l", "step the slider"},
    {"S-\u2190 S-\u2192  [ ]", "S-Left S-Right  [ ]", "ten steps"},
    {"Home End", "Home End", "to either end"},
    {"0", "0", "filter off (T back to 1.0)"},
    {"1 .. 6", "1 .. 6", "the lab's six settings"},
    {"o", "o", "order: hf / llama"},
    {"s", "s", "new seed for the N draws"},
    {"Space", "Space", "draw one token"},
    {"PgUp PgDn", "PgUp PgDn", "scroll the tokens"},
    {"r", "r", "reset the settings"},
    {"g", "g", "entropy vs T plot"},
    {"c", "c", "A/B: pin A, sliders move B"},
    {"mouse", "mouse", "click/drag sliders, scroll"},
    {"Ctrl-L", "Ctrl-L", "repaint the screen"},
    {"? F1", "? F1", "this help"},
    {"q Esc", "q Esc", "quit"},
};

struct action keymap_lookup(int key)
{
    for (size_t i = 0; i < sizeof keymap_table / sizeof keymap_table[0]; i++)
        if (keymap_table[i].key == key)
            return keymap_table[i].action;
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

const struct keymap_entry *keymap_entries(size_t *n)
{
    *n = sizeof keymap_table / sizeof keymap_table[0];
    return keymap_table;
}

const struct keymap_help *keymap_help_lines(size_t *n)
{
    *n = sizeof keymap_help_table / sizeof keymap_help_table[0];
    return keymap_help_table;
}
