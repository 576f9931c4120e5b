/* theme.c: turns the X-macro colour table into attributes for the terminal at hand. */
#include "theme.h"

struct theme_row {
    short fg256, bg256;
    attr_t a256;
    short fg8, bg8;
    attr_t a8, mono;
};

static const struct theme_row theme_rows[ROLE_COUNT] = {
#define THEME_ROW(role, f2, b2, a2, f8, b8, a8, am) \
    [ROLE_##role] = {(f2), (b2), (attr_t)(a2), (f8), (b8), (attr_t)(a8), (attr_t)(am)},
    THEME_ROLES(THEME_ROW)
#undef THEME_ROW
};

static enum theme_mode theme_pick(bool want_color)
{
    if (!want_color || !has_colors())
        return THEME_MONO;
    if (start_color() == ERR)
        return THEME_MONO;
    if (COLORS >= 256 && COLOR_PAIRS >= ROLE_COUNT + 1)
        return THEME_256;
    if (COLORS >= 8 && COLOR_PAIRS >= ROLE_COUNT + 1)
        return THEME_8;
    return THEME_MONO;
}

void theme_init(struct theme *t, bool want_color)
{
    t->mode = theme_pick(want_color);
    /* -1 means "the terminal's own colour"; without use_default_colors() it is white on
     * black, which is still readable. */
    bool defaults = t->mode != THEME_MONO && use_default_colors() == OK;
    for (int i = 0; i < ROLE_COUNT; i++) {
        const struct theme_row *r = &theme_rows[i];
        if (t->mode == THEME_MONO) {
            t->attr[i] = r->mono;
            continue;
        }
        short fg = t->mode == THEME_256 ? r->fg256 : r->fg8;
        short bg = t->mode == THEME_256 ? r->bg256 : r->bg8;
        attr_t a = t->mode == THEME_256 ? r->a256 : r->a8;
        if (!defaults) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        if (fg < 0 && bg < 0) {
            t->attr[i] = a; /* no pair needed: fewer colour changes on the wire */
            continue;
        }
        init_pair((short)(i + 1), fg, bg);
        t->attr[i] = a | (attr_t)COLOR_PAIR(i + 1);
    }
}
