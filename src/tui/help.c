/* help.c: the `?` overlay: every key from the key map's bindings, what each sampler does
 * (the sampler table's rules), and how to read the bars. Drawn over the frame in a box; when
 * the terminal is too short for all of it, it scrolls (Up Down PgUp PgDn, see
 * keymap_lookup_help) and says so; any other key closes it. */
#include <stdio.h>
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

/* The bottom border: "more ↓" while lines are below, which keys scroll, and that the others
 * close it, in as many words as fit. When it all fits, any key closes it and it says so. */
static void help_foot(const struct ui *u, const struct help_geom *hg, bool more, bool scrolls)
{
    const char *arrows = u->g->ascii ? "Up/Down" : "\u2191\u2193", *down = u->g->arrow_down;
    char forms[5][96];
    int n = 0;
    if (more) {
        snprintf(forms[n++], sizeof forms[0], " more %s  %s PgUp PgDn scroll, other keys close ",
                 down, arrows);
        snprintf(forms[n++], sizeof forms[0], " more %s  %s scroll, others close ", down, arrows);
        snprintf(forms[n++], sizeof forms[0], " %s scroll, others close ", arrows);
        snprintf(forms[n++], sizeof forms[0], " more %s ", down);
    } else if (scrolls) {
        snprintf(forms[n++], sizeof forms[0], " %s PgUp PgDn scroll, other keys close ", arrows);
        snprintf(forms[n++], sizeof forms[0], " %s scroll, others close ", arrows);
        snprintf(forms[n++], sizeof forms[0], " others close ");
    } else {
        snprintf(forms[n++], sizeof forms[0], " any key closes ");
    }
    for (int i = 0; i < n; i++)
        if (help_border_text(u, hg, hg->y + hg->h - 1, forms[i]))
            return;
}

/* Content line i: a key, a sampler's rule, a heading, a blank, or a legend line. */
static void help_line(const struct ui *u, const struct help_geom *hg, int row, int i)
{
    struct layout_help_line l;
    if (!layout_help_line(hg, u->g->ascii, i, &l))
        return;
    size_t nkeys;
    const struct keymap_binding *keys = keymap_bindings(&nkeys);
    int x = hg->text_x, room = hg->text_w;
    attr_t name = ui_attr(u, ROLE_HELP_KEY), text = ui_attr(u, ROLE_HELP);
    switch (l.part) {
    case LAYOUT_HELP_KEY: {
        const struct keymap_binding *b = &keys[l.entry];
        int n = layout_help_entry_lines(hg, b, u->g->ascii);
        if (l.sub == 0) /* the key name, in its column or (wrapped) across the box */
            ui_text(u, row, x, n == 2 ? room : hg->kw - 1, help_keys(u->g, b), name);
        if ((n == 1 || l.sub == 1) && room > hg->kw)
            ui_text(u, row, x + hg->kw, room - hg->kw, b->help.what, text);
        return;
    }
    case LAYOUT_HELP_HEADING:
        ui_text(u, row, x, room, "what each sampler does", name);
        return;
    case LAYOUT_HELP_SAMPLER: {
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)l.entry);
        if (l.name)
            ui_text(u, row, x, l.len ? hg->kw - 1 : room, ss->label, name);
        if (l.len && room > hg->kw) {
            char rule[128];
            snprintf(rule, sizeof rule, "%.*s", (int)l.len, ss->meaning + l.from);
            ui_text(u, row, x + hg->kw, room - hg->kw, rule, text);
        }
        return;
    }
    case LAYOUT_HELP_LEGEND: {
        int gx = x;
        if (help_legend[l.entry].glyph == HELP_SAMPLE)
            gx += ui_text(u, row, gx, 1, u->g->sample, ui_attr(u, ROLE_SAMPLE));
        else if (help_legend[l.entry].glyph == HELP_MARK)
            gx += ui_repeat(u, row, gx, 2, u->g->mark, ui_attr(u, ROLE_MARK));
        ui_text(u, row, gx, x + room - gx, help_legend[l.entry].text, text);
        return;
    }
    case LAYOUT_HELP_BLANK: return;
    }
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
