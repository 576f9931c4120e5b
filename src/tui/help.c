/* help.c: the `?` overlay: every key from the key map's bindings, and how to read the
 * bars. Drawn over the frame in a box; when the terminal is too short for all of it, it
 * scrolls (Up Down PgUp PgDn, see keymap_lookup_help) and says there is more; any other key
 * closes it. */
#include <string.h>

#include "keymap.h"
#include "widgets.h"

enum help_glyph { HELP_NONE, HELP_SAMPLE, HELP_MARK };
static const struct {
    enum help_glyph glyph; /* drawn in front of the text */
    const char *text;
} help_legend[] = { /* short enough for a 40-column box */
    {HELP_NONE, "bars: exact probability"},
    {HELP_SAMPLE, " sampled frequency of N draws"},
    {HELP_NONE, "dim rows: cut by the filter named"},
    {HELP_MARK, " where top-k/top-p/min-p end"},
};
#define HELP_NLEGEND ((int)(sizeof help_legend / sizeof help_legend[0]))

_Static_assert(HELP_NLEGEND == LAYOUT_HELP_LEGEND_LINES, "the layout counts the legend's lines");

static const char *help_keys(const struct glyphs *g, const struct keymap_binding *b)
{
    return g->ascii ? b->help.ascii_keys : b->help.keys;
}

/* Text on a border, right-aligned; false when it does not fit. */
static bool help_border_text(const struct ui *u, const struct help_geom *hg, int y,
                             const char *s)
{
    int w = ui_width(s);
    if (hg->text_w < w)
        return false;
    ui_text(u, y, hg->text_x + hg->text_w - w, w, s, ui_attr(u, ROLE_TRACK));
    return true;
}

/* The bottom border: "more ↓" while lines are below, how to scroll, how to close; what fits
 * of that, in that order of importance. */
static void help_foot(const struct ui *u, const struct help_geom *hg, bool more, bool scrolls)
{
    const char *down = u->g->arrow_down;
    const char *keys = u->g->ascii ? "Up/Down/PgDn" : "\u2191\u2193 PgDn";
    char full[96], brief[32];
    snprintf(brief, sizeof brief, " more %s ", down);
    if (more)
        snprintf(full, sizeof full, " more %s  %s, other keys close ", down, keys);
    else
        snprintf(full, sizeof full, " %s ", scrolls ? "other keys close" : "any key closes");
    int y = hg->y + hg->h - 1;
    if (!help_border_text(u, hg, y, full) && more)
        help_border_text(u, hg, y, brief);
}

/* Content line i: a key line, the blank line, or a legend line. */
static void help_line(const struct ui *u, const struct help_geom *hg, int row, int i)
{
    size_t nkeys;
    const struct keymap_binding *lines = keymap_bindings(&nkeys);
    int x = hg->text_x, room = hg->text_w;
    for (size_t e = 0; e < nkeys; e++) {
        int n = layout_help_entry_lines(hg, &lines[e], u->g->ascii);
        if (i >= n) {
            i -= n;
            continue;
        }
        if (i == 0) /* the key name, in its column or (wrapped) across the box */
            ui_text(u, row, x, n == 2 ? room : hg->kw - 1, help_keys(u->g, &lines[e]),
                    ui_attr(u, ROLE_HELP_KEY));
        if ((n == 1 || i == 1) && room > hg->kw)
            ui_text(u, row, x + hg->kw, room - hg->kw, lines[e].help.what, ui_attr(u, ROLE_HELP));
        return;
    }
    i -= 1; /* the blank line before the legend */
    if (i < 0)
        return;
    int gx = x;
    if (help_legend[i].glyph == HELP_SAMPLE)
        gx += ui_text(u, row, gx, 1, u->g->sample, ui_attr(u, ROLE_SAMPLE));
    else if (help_legend[i].glyph == HELP_MARK)
        gx += ui_repeat(u, row, gx, 2, u->g->mark, ui_attr(u, ROLE_MARK));
    ui_text(u, row, gx, x + room - gx, help_legend[i].text, ui_attr(u, ROLE_HELP));
}

void help_draw(const struct ui *u, const struct help_geom *hg, const struct model *m)
{
    if (hg->h == 0)
        return;
    int max_top = hg->max_top;
    int top = (int)m->help_top < max_top ? (int)m->help_top : max_top;
    ui_box(u, hg->y, hg->x, hg->h, hg->w);
    ui_text(u, hg->y, hg->text_x, hg->text_w, " keys ", ui_attr(u, ROLE_HELP_KEY));
    help_foot(u, hg, top < max_top, max_top > 0);
    if (top > 0) {
        char up[16];
        snprintf(up, sizeof up, " %s ", u->g->arrow_up);
        help_border_text(u, hg, hg->y, up);
    }
    for (int i = 0; i < hg->page && top + i < hg->lines; i++)
        help_line(u, hg, hg->y + 1 + i, top + i);
}
