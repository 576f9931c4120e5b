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

/* A role's colours in a variant: only the roles that differ from the table. Per-row roles keep
 * the terminal's 16 colours (short escape sequences), as in the table. */
struct theme_override {
    enum theme_role role;
    short fg256, bg256;
    attr_t a256;
    short fg8, bg8;
    attr_t a8;
};

static const struct theme_override theme_light[] = {
    {ROLE_FOCUS, 130, -1, A_BOLD, COLOR_BLUE, -1, A_BOLD},
    {ROLE_OFF, 245, -1, A_NORMAL, -1, -1, A_DIM},
    {ROLE_TRACK, 248, -1, A_NORMAL, -1, -1, A_DIM},
    {ROLE_TRACK_FILL, 4, -1, A_NORMAL, COLOR_BLUE, -1, A_NORMAL},
    {ROLE_KNOB, 166, -1, A_BOLD, COLOR_RED, -1, A_BOLD},
    {ROLE_BAR, 4, -1, A_NORMAL, COLOR_BLUE, -1, A_NORMAL},
    {ROLE_SAMPLE, 1, -1, A_BOLD, COLOR_RED, -1, A_BOLD},
    {ROLE_SAMPLE_IN_BAR, 1, -1, A_BOLD, COLOR_RED, -1, A_BOLD},
    {ROLE_CUT, 245, -1, A_NORMAL, -1, -1, A_DIM},
    {ROLE_MARK, 127, -1, A_NORMAL, COLOR_MAGENTA, -1, A_NORMAL},
    {ROLE_HEADER, 242, -1, A_NORMAL, -1, -1, A_DIM},
    {ROLE_STATUS, 235, 253, A_NORMAL, COLOR_WHITE, COLOR_BLUE, A_NORMAL},
    {ROLE_STATUS_KEY, 130, 253, A_BOLD, COLOR_WHITE, COLOR_BLUE, A_BOLD | A_UNDERLINE},
    {ROLE_MESSAGE, 22, 253, A_BOLD, COLOR_WHITE, COLOR_GREEN, A_BOLD},
    {ROLE_HELP_KEY, 130, -1, A_BOLD, COLOR_BLUE, -1, A_BOLD},
    {ROLE_WARN, 160, -1, A_BOLD, COLOR_RED, -1, A_BOLD},
    {ROLE_GEN_SEP, 245, -1, A_NORMAL, -1, -1, A_DIM},
    {ROLE_PLOT_NOW, 1, -1, A_BOLD, COLOR_RED, -1, A_BOLD},
};

static const struct theme_override theme_contrast[] = {
    {ROLE_TITLE, 231, 18, A_BOLD, COLOR_WHITE, COLOR_BLUE, A_BOLD},
    {ROLE_TITLE_DIM, 231, 18, A_NORMAL, COLOR_WHITE, COLOR_BLUE, A_NORMAL},
    {ROLE_CAPTION, 231, 18, A_BOLD, COLOR_WHITE, COLOR_BLUE, A_BOLD},
    {ROLE_LABEL, -1, -1, A_BOLD, -1, -1, A_BOLD},
    {ROLE_FOCUS, 11, -1, A_BOLD | A_UNDERLINE, COLOR_YELLOW, -1, A_BOLD | A_UNDERLINE},
    {ROLE_OFF, 250, -1, A_NORMAL, -1, -1, A_NORMAL},
    {ROLE_TRACK, 250, -1, A_NORMAL, -1, -1, A_NORMAL},
    {ROLE_TRACK_FILL, 14, -1, A_BOLD, COLOR_CYAN, -1, A_BOLD},
    {ROLE_KNOB, 11, -1, A_BOLD, COLOR_YELLOW, -1, A_BOLD},
    {ROLE_BAR, 14, -1, A_BOLD, COLOR_CYAN, -1, A_BOLD},
    {ROLE_SAMPLE, 13, -1, A_BOLD, COLOR_MAGENTA, -1, A_BOLD},
    {ROLE_SAMPLE_IN_BAR, 13, -1, A_BOLD, COLOR_MAGENTA, -1, A_BOLD},
    {ROLE_CUT, 250, -1, A_NORMAL, -1, -1, A_NORMAL},
    {ROLE_MARK, 13, -1, A_BOLD, COLOR_MAGENTA, -1, A_BOLD},
    {ROLE_THRESHOLD, 13, -1, A_BOLD, COLOR_MAGENTA, -1, A_BOLD},
    {ROLE_GAUGE, 10, -1, A_BOLD, COLOR_GREEN, -1, A_BOLD},
    {ROLE_HEADER, 252, -1, A_UNDERLINE, -1, -1, A_UNDERLINE},
    {ROLE_STATUS, 16, 231, A_NORMAL, COLOR_BLACK, COLOR_WHITE, A_NORMAL},
    {ROLE_STATUS_KEY, 16, 231, A_BOLD, COLOR_BLACK, COLOR_WHITE, A_BOLD},
    {ROLE_MESSAGE, 16, 120, A_BOLD, COLOR_BLACK, COLOR_GREEN, A_BOLD},
    {ROLE_HELP_KEY, 11, -1, A_BOLD, COLOR_YELLOW, -1, A_BOLD},
    {ROLE_WARN, 9, -1, A_BOLD, COLOR_RED, -1, A_BOLD},
    {ROLE_GEN_SEP, 250, -1, A_NORMAL, -1, -1, A_NORMAL},
    {ROLE_BAR_A, 13, -1, A_BOLD, COLOR_MAGENTA, -1, A_BOLD},
    {ROLE_PLOT, 10, -1, A_BOLD, COLOR_GREEN, -1, A_BOLD},
    {ROLE_PLOT_NOW, 11, -1, A_BOLD, COLOR_YELLOW, -1, A_BOLD | A_REVERSE},
};

static const struct {
    const struct theme_override *rows;
    size_t n;
} theme_variants[THEME_VARIANT_COUNT] = {
    [THEME_DARK] = {NULL, 0},
    [THEME_LIGHT] = {theme_light, sizeof theme_light / sizeof theme_light[0]},
    [THEME_CONTRAST] = {theme_contrast, sizeof theme_contrast / sizeof theme_contrast[0]},
};

/* The table's row for a role, with the variant's colours over it. */
static struct theme_row theme_row_of(int role, enum theme_variant variant)
{
    struct theme_row r = theme_rows[role];
    unsigned v = (unsigned)variant < THEME_VARIANT_COUNT ? (unsigned)variant : THEME_DARK;
    for (size_t i = 0; i < theme_variants[v].n; i++) {
        const struct theme_override *o = &theme_variants[v].rows[i];
        if ((int)o->role == role) {
            r.fg256 = o->fg256, r.bg256 = o->bg256, r.a256 = o->a256;
            r.fg8 = o->fg8, r.bg8 = o->bg8, r.a8 = o->a8;
        }
    }
    return r;
}

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

void theme_init(struct theme *t, bool want_color, enum theme_variant variant)
{
    t->mode = theme_pick(want_color);
    /* -1 means "the terminal's own colour"; without use_default_colors() it is white on
     * black, which is still readable. */
    bool defaults = t->mode != THEME_MONO && use_default_colors() == OK;
    for (int i = 0; i < ROLE_COUNT; i++) {
        struct theme_row row = theme_row_of(i, variant);
        const struct theme_row *r = &row;
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
