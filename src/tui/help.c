/* help.c: the `?` overlay: every key from the key map's help table, and how to read the
 * bars. Drawn over the frame in a box; any key closes it. */
#include <string.h>

#include "keymap.h"
#include "widgets.h"

enum help_glyph { HELP_NONE, HELP_SAMPLE, HELP_MARK };
static const struct {
    enum help_glyph glyph; /* drawn in front of the text */
    const char *text;
} help_legend[] = {
    {HELP_NONE, "bars: exact probability, 0..100%"},
    {HELP_SAMPLE, " on a bar: sampled frequency of N draws"},
    {HELP_NONE, "dim rows: cut by the filter named"},
    {HELP_MARK, " rows: where top-k / top-p / min-p end"},
};

static void help_box(const struct ui *u, int y, int x, int h, int w)
{
    const struct glyphs *g = u->g;
    attr_t a = ui_attr(u, ROLE_TRACK);
    for (int i = 0; i < h; i++) {
        bool edge = i == 0 || i == h - 1;
        ui_repeat(u, y + i, x, w, edge ? g->box_h : " ", edge ? a : ui_attr(u, ROLE_HELP));
        ui_text(u, y + i, x, 1, i == 0 ? g->box_tl : i == h - 1 ? g->box_bl : g->box_v, a);
        ui_text(u, y + i, x + w - 1, 1, i == 0 ? g->box_tr : i == h - 1 ? g->box_br : g->box_v,
                a);
    }
}

void help_draw(const struct ui *u, int cols, int rows, const struct model *m)
{
    (void)m;
    size_t nkeys;
    const struct keymap_help *lines = keymap_help_lines(&nkeys);
    int nlegend = (int)(sizeof help_legend / sizeof help_legend[0]);
    int want_h = (int)nkeys + nlegend + 3, want_w = 52;
    int h = want_h < rows ? want_h : rows, w = want_w < cols ? want_w : cols;
    if (h < 3 || w < 10)
        return;
    int y = (rows - h) / 2, x = (cols - w) / 2;
    help_box(u, y, x, h, w);
    ui_text(u, y, x + 2, w - 4, " keys ", ui_attr(u, ROLE_HELP_KEY));
    const char *foot = " any key closes ";
    if (w - 4 > ui_width(foot))
        ui_text(u, y + h - 1, x + w - 2 - ui_width(foot), ui_width(foot), foot,
                ui_attr(u, ROLE_TRACK));
    int row = y + 1, last = y + h - 2, kw = w / 2 < 22 ? w / 2 : 22;
    for (size_t i = 0; i < nkeys && row <= last; i++, row++) {
        const char *keys = u->g->ascii ? lines[i].ascii_keys : lines[i].keys;
        ui_text(u, row, x + 2, kw - 1 < w - 4 ? kw - 1 : w - 4, keys, ui_attr(u, ROLE_HELP_KEY));
        if (w - 4 > kw)
            ui_text(u, row, x + 2 + kw, w - 4 - kw, lines[i].what, ui_attr(u, ROLE_HELP));
    }
    row++; /* a blank line before the legend */
    for (int i = 0; i < nlegend && row <= last; i++, row++) {
        int gx = x + 2;
        if (help_legend[i].glyph == HELP_SAMPLE)
            gx += ui_text(u, row, gx, 1, u->g->sample, ui_attr(u, ROLE_SAMPLE));
        else if (help_legend[i].glyph == HELP_MARK)
            gx += ui_repeat(u, row, gx, 2, u->g->mark, ui_attr(u, ROLE_MARK));
        ui_text(u, row, gx, x + w - 2 - gx, help_legend[i].text, ui_attr(u, ROLE_HELP));
    }
}
